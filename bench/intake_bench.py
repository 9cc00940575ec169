"""The intake assistant's speed: analyse() on complaint texts of 100, 500 and 2,000 characters.

    .venv/bin/python -m bench.intake_bench            # prints median / p95 per length
    .venv/bin/python -m bench.intake_bench --reps 1000

Target (issue 4): a 500-character text analysed in under 20 ms at the median. The texts are
built from the labelled corpus (niangjia/intake/tests/corpus.jsonl), joined and cut to length,
so they hold the amounts, dates, names and signals real complaints hold. No database, no Django
settings: the analyser is a plain function. Each length is measured on several different texts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from niangjia.intake.analyser import analyse  # noqa: E402

CORPUS = ROOT / "niangjia" / "intake" / "tests" / "corpus.jsonl"
LENGTHS = (100, 500, 2000)
TARGET_MS = {500: 20.0}


def texts_of(length: int, count: int = 10) -> list[str]:
    """`count` different texts of exactly `length` characters, from the corpus."""
    items = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts = []
    for start in range(count):
        parts, size, i = [], 0, start
        while size < length:
            parts.append(items[i % len(items)])
            size += len(parts[-1])
            i += 7  # a stride, so neighbouring texts differ
        texts.append("".join(parts)[:length])
    return texts


def measure(length: int, reps: int) -> dict:
    today = datetime.date(2026, 11, 29)
    texts = texts_of(length)
    for text in texts:  # warm up: regex caches, imports
        analyse(text, today)
    times = []
    for i in range(reps):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        analyse(text, today)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "length": length,
        "reps": reps,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.intake_bench", description=__doc__.split("\n")[0]
    )  # noqa: E501
    parser.add_argument("--reps", type=int, default=500, help="analyses per length")
    args = parser.parse_args(argv)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {args.reps} analyses per length\n"
    )  # noqa: E501
    print("| text length (chars) | median (ms) | p95 (ms) | max (ms) | target |")
    print("|---:|---:|---:|---:|---|")
    failed = False
    for length in LENGTHS:
        r = measure(length, args.reps)
        target = TARGET_MS.get(length)
        verdict = ""
        if target is not None:
            ok = r["median_ms"] < target
            failed |= not ok
            verdict = f"median < {target:g} ms: {'met' if ok else 'MISSED'}"
        print(
            f"| {length:,} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['max_ms']:.2f} | {verdict} |"
        )  # noqa: E501
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
