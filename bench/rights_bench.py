"""Rights at scale: the officer's case list and the figures page over 1,000,000 cases.

    createdb -h 127.0.0.1 -U postgres niangjia_bench_rights
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/niangjia_bench_rights
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.rights_bench            # 100k orgs, 500k people, 1M cases
    .venv/bin/python -m bench.rights_bench --reuse    # measure again without regenerating
    dropdb -h 127.0.0.1 -U postgres niangjia_bench_rights

Target (issue 3): an officer's filtered case list and the figures page for a city node each under
100 ms server time at the median, with a constant number of queries per page whatever the rows.
Measured three ways: the selectors as the pages call them (list: Paginator count + first page of
25), and the whole pages through Django's test Client (middleware, session, form, template).
Figures are printed as Markdown and saved as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_MS = 100.0
PAGE = 25


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.rights_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=2_000, help="districts with cases")
    parser.add_argument("--reuse", action="store_true", help="keep data of the requested size")
    parser.add_argument("--force", action="store_true", help="allow a name without 'bench'")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--reps", type=int, default=60, help="repetitions per measurement")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def refuse(message: str) -> None:
    print(f"rights_bench: refusing to run: {message}", file=sys.stderr)
    sys.exit(2)


# --- the target database -----------------------------------------------------------------------


def check_target(force: bool) -> bool:
    """Stop unless a migrated PostgreSQL benchmark database; True if it holds benchmark data."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bench.generate import BENCH_MARKER
    from niangjia.orgs.models import Enterprise, Org, Person

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "postgresql":
        refuse("the rights benchmark needs PostgreSQL (DATABASE_URL=postgres://…)")
    if "bench" not in name.lower() and not force:
        refuse(f"database {name!r} does not look like a benchmark database (name lacks 'bench')")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        refuse(f"database {name!r} has unapplied migrations: run `python manage.py migrate`")
    roots = set(Org.objects.filter(depth=1).values_list("address", flat=True))
    is_bench = roots == {BENCH_MARKER}
    foreign_users = get_user_model().objects.exclude(username__startswith="bench_")
    if (
        (roots and not is_bench)
        or (not roots and Person.objects.exists())
        or Enterprise.objects.exists()
        or foreign_users.exists()
    ):
        refuse(f"database {name!r} holds data that is not benchmark data")
    return is_bench


def wipe() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole
    from niangjia.rights.models import Case, CaseCounter

    models = (Case, CaseCounter, Member, StaffRole, Person, Enterprise, Org, get_user_model())
    quoted = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def generate(args: argparse.Namespace, is_bench: bool) -> dict:
    from bench import generate as gen
    from bench import rights_generate as rgen
    from bench.run import analyze
    from niangjia.orgs.models import Org, Person
    from niangjia.rights.models import Case

    if (
        is_bench
        and args.reuse
        and Org.objects.count() == args.orgs
        and Person.objects.count() == args.people
        and Case.objects.count() == args.cases
    ):
        print("reusing the benchmark data")
        return {"reused": True}
    timings: dict = {"reused": False}
    started = time.perf_counter()
    wipe()
    print(f"generating {args.orgs:,} orgs", flush=True)
    timings["orgs"] = gen.generate_orgs(args.orgs, seed=args.seed)
    print(f"  orgs: {timings['orgs']['total_s']:.1f} s", flush=True)
    print(f"generating {args.people:,} people ({args.workers} processes)", flush=True)
    timings["people"] = gen.generate_people(args.people, seed=args.seed, workers=args.workers)
    print(f"  people: {timings['people']['total_s']:.1f} s", flush=True)
    print(f"generating {args.cases:,} cases over {args.districts:,} districts", flush=True)
    timings["cases"] = rgen.generate_cases(
        args.cases,
        districts=args.districts,
        seed=args.seed,
        progress=lambda s: print(s, flush=True),
    )
    timings["analyze_s"] = analyze()
    timings["total_s"] = time.perf_counter() - started
    print(f"  VACUUM ANALYZE: {timings['analyze_s']:.1f} s; all: {timings['total_s']:.1f} s")
    return timings


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Measure:
    key: str
    label: str
    group: str
    rows: int
    times_ms: list[float]
    queries: int
    what: str = ""  # the page or filter, the same for every officer
    statements: list[dict] = field(default_factory=list)  # sql, plan, execution_ms

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]

    def as_dict(self) -> dict:
        return asdict(self) | {"median_ms": self.median, "p95_ms": self.p95}


def _explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def measure(
    key: str,
    label: str,
    group: str,
    fn: Callable[[], int],
    *,
    reps: int,
    budget_s: float,
    plans: bool = True,
) -> Measure:
    """Time `fn` (which returns its row count); count its queries; EXPLAIN each of them."""
    from django.db import connection

    from bench.benchmarks import time_calls

    # a wrapper, not CaptureQueriesContext: the test Client resets the query log per request
    captured: list[dict] = []

    def record(execute, sql, params, many, context):
        captured.append({"sql": sql, "params": params})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rows = fn()
    result = Measure(
        key=key,
        label=label,
        group=group,
        rows=rows,
        times_ms=time_calls(fn, reps=reps, budget_s=budget_s),
        queries=len(captured),
    )
    for q in captured if plans else []:
        sql = q["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = _explain(sql, q["params"])
        exec_ms = next(
            (float(line.split(":")[1].split()[0]) for line in plan if "Execution Time" in line),
            None,
        )
        with connection.cursor() as cursor:
            sql = cursor.mogrify(sql, q["params"]) if q["params"] else sql
        result.statements.append({"sql": sql, "plan": plan, "execution_ms": exec_ms})
    print(
        f"  {label}: {rows:,} rows, median {result.median:.1f} ms, p95 {result.p95:.1f} ms,"
        f" {result.queries} queries",
        flush=True,
    )
    return result


# --- fixtures ----------------------------------------------------------------------------------


def case_counts_by_prefix(depth: int) -> list[tuple[str, int]]:
    """(node path at `depth`, cases handled in its subtree), fewest first."""
    from django.db import connection

    step = 4
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT substr(o.path, 1, {depth * step}) AS p, COUNT(*) AS n
            FROM rights_case c JOIN orgs_org o ON o.id = c.org_id
            WHERE o.depth >= {depth} GROUP BY 1 ORDER BY 2, 1"""
        )
        return cursor.fetchall()


def pick_nodes() -> dict[str, dict]:
    """The busiest city, a median city, and a district of the busiest city with about a tenth
    of its cases."""
    from niangjia.orgs.models import Org

    cities = case_counts_by_prefix(3)
    districts = case_counts_by_prefix(4)
    big_path, big_n = cities[-1]
    mid_path, mid_n = cities[len(cities) // 2]
    inside = [(p, n) for p, n in districts if p.startswith(big_path)]
    dist_path, dist_n = min(inside, key=lambda pn: abs(pn[1] - big_n / 10))
    return {
        "city_busiest": {"node": Org.objects.get(path=big_path), "cases": big_n},
        "city_median": {"node": Org.objects.get(path=mid_path), "cases": mid_n},
        "district": {"node": Org.objects.get(path=dist_path), "cases": dist_n},
        "spread": {
            "cities_with_cases": len(cities),
            "city_cases_min_median_max": [cities[0][1], mid_n, big_n],
            "districts_with_cases": len(districts),
            "district_cases_min_median_max": [
                districts[0][1],
                districts[len(districts) // 2][1],
                districts[-1][1],
            ],
        },
    }


def officer(name: str, org):
    from django.contrib.auth import get_user_model

    from niangjia.orgs.models import StaffRole

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=f"bench_rights_{name}")
    StaffRole.objects.filter(user=user).exclude(org=org).delete()
    StaffRole.objects.get_or_create(user=user, org=org, role=StaffRole.Role.RIGHTS_OFFICER)
    return User.objects.get(pk=user.pk)


# --- the suites --------------------------------------------------------------------------------


def a_case_number(node) -> str:
    """The number of a case in the node's subtree (its 101st oldest): what an officer types."""
    from niangjia.rights.models import Case

    cases = Case.objects.filter(org__path__startswith=node.path).order_by("received_on", "pk")
    return cases.values_list("number", flat=True)[min(100, cases.count() - 1)]


def list_filters(today: datetime.date, number: str) -> list[tuple[str, dict, dict]]:
    """(name, selector kwargs, page query string) of the measured case-list filters."""
    start = today - datetime.timedelta(days=90)
    return [
        ("all", {}, {}),
        ("stage", {"stage": "mediation"}, {"stage": "mediation"}),
        (
            "category_dates",
            {"category": "wages", "received_from": start, "received_to": today},
            {"category": "wages", "received_from": start, "received_to": today},
        ),
        ("overdue", {"overdue": True}, {"overdue": "on"}),
        ("search_number", {"search": number}, {"q": number}),
    ]


def selector_suite(who: str, user, node, args) -> list:
    from django.core.paginator import Paginator

    from niangjia.rights import selectors, services

    today = services.today()
    number = a_case_number(node)
    results = []
    selectors.case_list(user).exists()  # grants loaded once, as in a request

    for name, kwargs, _query in list_filters(today, number):

        def page(kwargs=kwargs) -> int:
            p = Paginator(selectors.case_list(user, today=today, **kwargs), PAGE).get_page(1)
            list(p.object_list)
            return p.paginator.count

        results.append(
            measure(
                f"list_{who}_{name}",
                f"case_list({who}, {name}): count + first {PAGE}",
                "selector",
                page,
                reps=args.reps,
                budget_s=args.budget,
            )
        )
    start = today - datetime.timedelta(days=365)
    results.append(
        measure(
            f"figures_{who}",
            f"figures({who}, org={node.path}, last 365 days)",
            "selector",
            lambda: selectors.figures(user, org=node, start=start, end=today)["cases_handled"],
            reps=args.reps,
            budget_s=args.budget,
        )
    )
    return results


def page_suite(who: str, user, node, args) -> list:
    from urllib.parse import urlencode

    from django.test import Client
    from django.urls import reverse

    from niangjia.rights import services

    today = services.today()
    number = a_case_number(node)
    client = Client()
    client.force_login(user)
    results = []

    def get(url: str) -> Callable[[], int]:
        def call() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return len(response.content)

        return call

    for name, _kwargs, query in list_filters(today, number):
        url = reverse("rights:case-list") + ("?" + urlencode(query) if query else "")
        m = measure(
            f"page_list_{who}_{name}",
            f"GET {url} ({who})",
            "page",
            get(url),
            reps=args.reps,
            budget_s=args.budget,
            plans=False,
        )
        m.what = f"list_{name}"
        results.append(m)
    start = today - datetime.timedelta(days=365)
    url = (
        reverse("rights:figures") + "?" + urlencode({"org": node.pk, "start": start, "end": today})
    )
    m = measure(
        f"page_figures_{who}",
        f"GET {url} ({who})",
        "page",
        get(url),
        reps=args.reps,
        budget_s=args.budget,
        plans=False,
    )
    m.what = "figures"
    results.append(m)
    return results


# --- report ------------------------------------------------------------------------------------


def markdown(results: list[Measure], env: dict, nodes: dict, timings: dict, counts: dict) -> str:
    out = [f"## rights · {env.get('server', '')}", ""]
    out.append(
        f"{env['cpus']} CPUs; load average at start {env.get('loadavg_at_start')},"
        f" at end {env.get('loadavg_at_end')}"
    )
    out += ["", "| measurement | rows | median ms | p95 ms | reps | queries | ≤100 ms |"]
    out.append("|---|---:|---:|---:|---:|---:|:-:|")
    for r in results:
        ok = "yes" if r.median <= TARGET_MS else "**no**"
        out.append(
            f"| `{r.label}` | {r.rows:,} | {r.median:.1f} | {r.p95:.1f} | {len(r.times_ms)} |"
            f" {r.queries} | {ok} |"
        )
    out.append("")
    for key, info in nodes.items():
        if "node" in info:
            out.append(
                f"- {key}: {info['node'].name} `{info['node'].path}`, {info['cases']:,} cases"
            )
    out.append(f"- spread: `{json.dumps(nodes['spread'])}`")
    out.append(f"- counts: `{json.dumps(counts, ensure_ascii=False)}`")
    out.append(f"- generation: `{json.dumps(timings, default=str)}`")
    out.append("")
    for r in results:
        for i, st in enumerate(r.statements):
            out += [f"### {r.key} [{i}] ({st['execution_ms']} ms in the server)", "", "```sql"]
            out += [st["sql"], "```", "```", *st["plan"], "```", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from bench.rights_generate import case_counts
    from bench.run import environment

    is_bench = check_target(args.force)
    loadavg = [round(x, 2) for x in os.getloadavg()]
    timings = generate(args, is_bench)
    counts = case_counts()
    print(f"counts: {json.dumps(counts, ensure_ascii=False)}")
    nodes = pick_nodes()
    for key, info in nodes.items():
        if "node" in info:
            print(f"{key}: {info['node'].name} {info['node'].path} {info['cases']:,} cases")

    results: list[Measure] = []
    for who in ("city_busiest", "city_median", "district"):
        node = nodes[who]["node"]
        print(f"measuring selectors as the {who} officer …", flush=True)
        results += selector_suite(who, officer(who, node), node, args)
    for who in ("city_busiest", "city_median", "district"):
        node = nodes[who]["node"]
        print(f"measuring pages as the {who} officer …", flush=True)
        results += page_suite(who, officer(who, node), node, args)

    env = environment() | {"loadavg_at_start": loadavg}
    print()
    print(markdown(results, env, nodes, timings, counts))
    path = (
        args.json
        or RESULTS_DIR / f"rights-{args.cases}-cases-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "args": vars(args) | {"json": str(args.json) if args.json else None},
        "environment": env,
        "generation": timings,
        "counts": counts,
        "nodes": {
            k: {kk: (vv.path if kk == "node" else vv) for kk, vv in v.items()}
            for k, v in nodes.items()
        },
        "results": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"\nresults saved to {path}")
    # the page-level query count must not depend on the rows: a district and a city run the same
    by_page: dict[str, set[int]] = {}
    for r in results:
        if r.group == "page":
            by_page.setdefault(r.what, set()).add(r.queries)
    varying = {k: v for k, v in by_page.items() if len(v) > 1}
    slow = [r.label for r in results if r.median > TARGET_MS]
    for label in slow:
        print(f"rights_bench: over {TARGET_MS:.0f} ms at the median: {label}", file=sys.stderr)
    if varying:
        print(f"rights_bench: query counts vary with the rows: {varying}", file=sys.stderr)
    return 1 if slow or varying else 0


if __name__ == "__main__":
    sys.exit(main())
