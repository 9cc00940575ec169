"""Generate the benchmark data set and measure the foundation queries.

    createdb -h 127.0.0.1 -U postgres niangjia_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/niangjia_bench
    .venv/bin/python manage.py migrate
    make bench                                   # 100,000 orgs, 1,000,000 people
    make bench BENCH_ARGS="--orgs 5000 --people 20000"
    make bench BENCH_ARGS="--reuse"              # measure again without regenerating

The target database must be named *bench* (or pass --force) and hold nothing but benchmark data:
it is wiped and refilled. Figures are printed as Markdown and saved to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
STRICT_MIN_ORGS = 10_000  # below this, a subtree query that is not indexed only warns


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=100_000, help="org nodes (default 100000)")
    parser.add_argument("--people", type=int, default=1_000_000, help="people (default 1000000)")
    parser.add_argument(
        "--only",
        choices=["orgs", "people"],
        help="orgs: generate and measure the org tree only; people: measure people only",
    )
    parser.add_argument(
        "--force", action="store_true", help="allow a database whose name lacks 'bench'"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep existing benchmark data of the requested size instead of regenerating",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="encryption processes"
    )
    parser.add_argument("--reps", type=int, default=200, help="repetitions per query")
    parser.add_argument(
        "--budget", type=float, default=15.0, help="seconds per query before fewer reps (min 20)"
    )
    parser.add_argument("--lookups", type=int, default=1000, help="distinct IDs to look up")
    parser.add_argument("--json", type=Path, help="results file (default bench/results/…json)")
    return parser.parse_args(argv)


def refuse(message: str) -> None:
    print(f"bench: refusing to run: {message}", file=sys.stderr)
    sys.exit(2)


def check_target(force: bool) -> bool:
    """Stop unless the database is a migrated benchmark database; True if it holds bench data."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bench.benchmarks import BENCH_USERNAME
    from bench.generate import BENCH_MARKER
    from niangjia.orgs.models import Enterprise, Member, Org, Person

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name.lower() and not force:
        refuse(
            f"database {name!r} does not look like a benchmark database (its name lacks 'bench');"
            " point DATABASE_URL at a dedicated one, or pass --force"
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        refuse(f"database {name!r} has unapplied migrations: run `python manage.py migrate`")
    roots = set(Org.objects.filter(depth=1).values_list("address", flat=True))
    is_bench = roots == {BENCH_MARKER}
    foreign = (
        (roots and not is_bench)
        or (not roots and (Person.objects.exists() or Member.objects.exists()))
        or Enterprise.objects.exists()
        or get_user_model().objects.exclude(username=BENCH_USERNAME).exists()
    )
    if foreign:  # --force never overrides this: the run would wipe someone's data
        refuse(f"database {name!r} holds data that is not benchmark data")
    return is_bench


def wipe() -> None:
    """Empty the org tables of a benchmark database (checked by check_target first)."""
    from django.db import connection

    from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole

    tables = [m._meta.db_table for m in (Member, StaffRole, Person, Enterprise, Org)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def analyze() -> float:
    """Fresh statistics and visibility map, then a checkpoint so that writing out the load does
    not land in the timed queries."""
    from django.db import DatabaseError, connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE")
        try:
            cursor.execute("CHECKPOINT")  # superuser or pg_checkpoint only; optional
        except DatabaseError as exc:
            print(f"  (no CHECKPOINT: {exc})".strip())
    return time.perf_counter() - started


def environment() -> dict:
    import django
    from django.db import connection

    from niangjia.orgs.models import Org, Person

    info = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "vendor": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = int(meminfo.readline().split()[1])
        info["memory_gib"] = round(kib / 1024 / 1024, 1)
    except OSError:
        pass
    if hasattr(os, "getloadavg"):  # other work on the machine shows in the p95 column
        info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            info["server"] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers',"
                " 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'lc_collate')"
            )
            info["settings"] = {n: f"{s}{' × ' + u if u else ''}" for n, s, u in cursor.fetchall()}
            sizes = {}
            for model in (Org, Person):
                cursor.execute(
                    "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
                    [model._meta.db_table] * 2,
                )
                table, indexes = cursor.fetchone()
                sizes[model._meta.db_table] = {"table": table, "indexes": indexes}
            info["sizes"] = sizes
            cursor.execute(
                "SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid))"
                " FROM pg_stat_user_indexes WHERE relname IN (%s, %s) ORDER BY 1",
                [Org._meta.db_table, Person._meta.db_table],
            )
            info["indexes"] = dict(cursor.fetchall())
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            info["server"] = f"SQLite {cursor.fetchone()[0]}"
    return info


def generate(args: argparse.Namespace, is_bench: bool) -> dict:
    from django.db import connection

    from bench import generate as gen
    from niangjia.orgs.models import Org, Person

    want_people = 0 if args.only == "orgs" else args.people
    if (
        is_bench
        and args.reuse
        and Org.objects.count() == args.orgs
        and (args.only == "orgs" or Person.objects.count() == want_people)
    ):
        print(f"reusing the benchmark data in {connection.settings_dict['NAME']}")
        return {"reused": True}
    if args.only == "people" and args.reuse:
        refuse("--only people --reuse needs existing data of the requested size")
    timings: dict = {"reused": False, "workers": args.workers}
    if is_bench:
        wipe()
    shape = gen.shape_for(args.orgs)
    print(f"generating {args.orgs:,} orgs: {shape}")
    timings["orgs"] = gen.generate_orgs(args.orgs, seed=args.seed)
    print(f"  orgs: {timings['orgs']['total_s']:.1f} s")
    if want_people:
        print(f"generating {want_people:,} people with {args.workers} worker process(es)")
        started = time.perf_counter()

        def progress(done: int) -> None:
            if done % 100_000 == 0 or done == want_people:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:>9,} people  ({rate:,.0f}/s)", flush=True)

        timings["people"] = gen.generate_people(
            want_people, seed=args.seed, workers=args.workers, progress=progress
        )
        print(f"  people: {timings['people']['total_s']:.1f} s")
    timings["analyze_s"] = analyze()
    print(
        f"  {'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE'}:"
        f" {timings['analyze_s']:.1f} s"
    )
    return timings


def verify(args: argparse.Namespace, nodes: dict) -> dict:
    from bench import generate as gen
    from niangjia.core.validators import resident_id_error
    from niangjia.orgs.models import Org, Person

    checks: dict = {"levels": gen.level_counts(), "tree": gen.tree_problems()}
    city = nodes[Org.Level.CITY]["node"]
    # treebeard's own checker: two queries a node, so the whole tree only on small runs
    sample = None if args.orgs <= 5000 else city
    started = time.perf_counter()
    problems = Org.objects.find_problems(parent=sample)
    checks["treebeard_find_problems"] = {
        "scope": "whole tree" if sample is None else f"subtree of city {city.path}",
        "problems": [len(p) for p in problems],
        "seconds": round(time.perf_counter() - started, 1),
    }
    person = Person.objects.order_by("pk").first()
    if person is not None:
        checks["sample_id_valid"] = resident_id_error(person.id_number) is None
    bad = sum(checks["tree"].values()) + sum(checks["treebeard_find_problems"]["problems"])
    if bad or checks.get("sample_id_valid") is False:
        print(f"bench: the generated data is inconsistent: {checks}", file=sys.stderr)
        sys.exit(1)
    return checks


def markdown(results: list, env: dict, timings: dict, nodes: dict, checks: dict) -> str:
    out = []
    out.append(f"## {env['vendor']} · {env.get('server', '')}")
    out.append("")
    out.append(
        f"{env['cpus']} CPUs, {env.get('memory_gib')} GiB; load average at start"
        f" {env.get('loadavg_at_start')}, at end {env.get('loadavg_at_end')}"
    )
    out.append("")
    out.append("| query | rows | median ms | p95 ms | reps | queries | plan |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        plan = ", ".join(r.indexes) or "—"
        if r.seq_scans:
            plan += f"; seq scan {', '.join(r.seq_scans)}"
        flag = f" **{'; '.join(r.problems)}**" if r.problems else ""
        out.append(
            f"| `{r.label}` | {r.rows:,} | {r.median:.2f} | {r.p95:.2f} | {len(r.times_ms)} |"
            f" {r.queries} | {plan}{flag} |"
        )
    out.append("")
    out.append("Nodes measured (median subtree size of their level):")
    for level, info in nodes.items():
        out.append(
            f"- {level}: {info['node'].name} `{info['node'].path}`, {info['size']:,} nodes"
            f" (of {info['nodes']:,} {level} nodes: min {info['min']:,}, max {info['max']:,})"
        )
    out.append("")
    out.append(f"Generation: `{json.dumps(timings, default=str)}`")
    out.append(f"Checks: `{json.dumps(checks, default=str, ensure_ascii=False)}`")
    out.append("")
    for r in results:
        out.append(f"### {r.key}")
        out.append("")
        out.append("```sql")
        out.append(r.sql)
        out.append("```")
        out.append("```")
        out.extend(r.plan)
        out.append("```")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log or debug cursor in the timed loops

    from bench import benchmarks
    from niangjia.orgs.models import Org

    is_bench = check_target(args.force)
    loadavg = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    timings = generate(args, is_bench)
    nodes = benchmarks.typical_nodes()
    checks = verify(args, nodes)
    print(f"checks: {json.dumps(checks, ensure_ascii=False)}")

    results = []
    if args.only != "people":
        print("measuring org subtrees …", flush=True)
        results += benchmarks.org_benchmarks(nodes, reps=args.reps, budget_s=args.budget)
    if args.only != "orgs":
        print("measuring people …", flush=True)
        results += benchmarks.people_benchmarks(
            nodes[Org.Level.CITY]["node"],
            reps=args.reps,
            budget_s=args.budget,
            lookups=args.lookups,
            seed=args.seed,
        )
    env = environment() | {"loadavg_at_start": loadavg}
    print()
    print(markdown(results, env, timings, nodes, checks))

    path = args.json or RESULTS_DIR / (
        f"{env['vendor']}-{args.orgs}-orgs-{0 if args.only == 'orgs' else args.people}-people-"
        f"{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "args": vars(args) | {"json": str(args.json) if args.json else None},
        "environment": env,
        "generation": timings,
        "checks": checks,
        "nodes": {
            level: {k: (v.path if k == "node" else v) for k, v in info.items()}
            for level, info in nodes.items()
        },
        "results": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"\nresults saved to {path}")
    # The rule is for PostgreSQL, the production database, at a size where an index matters (a
    # planner rightly scans a tiny table); SQLite (development) and toy sizes only warn.
    failed = [r for r in results if r.problems]
    strict = env["vendor"] == "postgresql" and args.orgs >= STRICT_MIN_ORGS
    verdict = "FAILED" if strict else "warning"
    for r in failed:
        print(f"bench: {verdict} {r.key}: {'; '.join(r.problems)}", file=sys.stderr)
    return 1 if failed and verdict == "FAILED" else 0


if __name__ == "__main__":
    sys.exit(main())
