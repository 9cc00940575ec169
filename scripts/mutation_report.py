"""`make mutation`'s verdict: the kill ratio of each mutated module, failing under the threshold.

Reads the per-module results mutmut 3 leaves in mutants/<path>.meta. A mutant counts as killed when
a test failed, timed out (an endless loop) or the type checker caught it; survivors, mutants no test
reaches and unchecked ones count against the module. Exit status 1 when any module is under
--threshold (percent, default 90)."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 37, 24, -24, 152, 255}  # mutmut.stats.status_by_exit_code: killed/timeout
SURVIVED = 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=90.0)
    parser.add_argument("--list-survivors", action="store_true")
    args = parser.parse_args()
    config = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    failed = False
    for source in config["source_paths"]:
        meta = Path("mutants") / f"{source}.meta"
        if not meta.exists():
            sys.stdout.write(f"{source}: no results (run `mutmut run` first)\n")
            failed = True
            continue
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        tally = Counter(
            "killed" if code in KILLED else "survived" if code == SURVIVED else "other"
            for code in codes.values()
        )
        total = len(codes)
        ratio = 100.0 * tally["killed"] / total if total else 0.0
        verdict = "ok" if ratio >= args.threshold else f"FAIL (< {args.threshold:g}%)"
        sys.stdout.write(
            f"{source}: {tally['killed']}/{total} killed = {ratio:.1f}% "
            f"({tally['survived']} survived, {tally['other']} not tested/unchecked) {verdict}\n"
        )
        if args.list_survivors:
            for key, code in sorted(codes.items()):
                if code not in KILLED:
                    sys.stdout.write(f"    {key}: {code}\n")
        failed |= ratio < args.threshold
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
