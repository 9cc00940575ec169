"""Hotline desk at scale: the caller lookup (selector and the desk's htmx fragment) and the figures
for a district, over 1,000,000 consultations on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres niangjia_bench_hotline
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/niangjia_bench_hotline
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.hotline_bench            # 20k orgs, 200k people, 200k cases, 1M calls
    .venv/bin/python -m bench.hotline_bench --reuse    # measure again without regenerating
    dropdb -h 127.0.0.1 -U postgres niangjia_bench_hotline

The org tree, people and cases come from bench/generate.py and bench/rights_generate.py (the
rights benchmark's generators, smaller by default); the consultations are streamed with COPY:
spread over 500 districts and their streets (skewed, as cases are), over 365 days, office hours
busier, 400,000 distinct callers of whom a few ring very often. Three numbers are planted: a
worker of a case in the measured district who called 25 times, a "frequent caller" with 300
calls across the city, and a first-time caller. Results are printed and saved as JSON under
bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
KNOWN = "13895270001"  # a case's worker with 25 earlier calls in the district
FREQUENT = "13895270002"  # 300 calls across the city
NEW = "13895270003"  # never called


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hotline_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--districts", type=int, default=500)
    parser.add_argument("--consultations", type=int, default=1_000_000)
    parser.add_argument("--callers", type=int, default=400_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


CONSULT_COLUMNS = (
    "org_id", "org_path", "caller_phone_encrypted", "caller_phone_hash", "caller_name",
    "employer_name", "started_at", "duration_seconds", "channel", "category", "question",
    "answer", "outcome", "created_at",
)  # fmt: skip
CATEGORIES = (
    ("wages", 34), ("policy", 20), ("social_insurance", 10), ("injury", 8), ("termination", 8),
    ("overtime", 7), ("compensation", 5), ("relationship", 4), ("other", 4),
)  # fmt: skip
OUTCOMES = (("answered", 66), ("referred", 14), ("callback_needed", 17), ("converted_to_case", 3))
HOURS = list(range(8, 21))
HOUR_WEIGHTS = [3, 8, 9, 7, 3, 5, 8, 7, 6, 4, 2, 1, 1]


def _consultation_rows(count, units, callers, seed, now, district_weights):
    from niangjia.core.pii import blind_index, encrypt

    rng = random.Random(seed)
    cats = [c for c, _ in CATEGORIES], [w for _, w in CATEGORIES]
    outs = [o for o, _ in OUTCOMES], [w for _, w in OUTCOMES]
    district_ids = list(units)
    # a caller's ciphertext and hash computed once: a frequent caller is one number
    cache: dict[int, tuple[str, str]] = {}
    for _ in range(count):
        district = rng.choices(district_ids, district_weights)[0]
        org = rng.choice(units[district])
        # skewed: low caller numbers ring much more often
        n = int(callers * rng.random() ** 2)
        if n not in cache:
            phone = f"15{n:09d}"
            cache[n] = (encrypt(phone), blind_index(phone))
        encrypted, digest = cache[n]
        day = rng.randrange(365)
        hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
        started = now - datetime.timedelta(days=day)
        started = started.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        outcome = rng.choices(*outs)[0]
        yield (
            org.pk, org.path, encrypted, digest, "", "", started, rng.randint(30, 1200), "hotline",
            rng.choices(*cats)[0], "（基准测试）咨询", "", outcome if outcome != "converted_to_case"
            else "answered", started,
        )  # fmt: skip


def generate(args, is_bench: bool) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import generate as gen
    from bench import rights_generate as rgen
    from bench.rights_bench import wipe
    from bench.run import analyze
    from niangjia.hotline.models import Consultation
    from niangjia.orgs.models import Org, Person
    from niangjia.rights.models import Case

    if (
        is_bench
        and args.reuse
        and Org.objects.count() == args.orgs
        and Person.objects.count() == args.people
        and Case.objects.count() == args.cases
        and Consultation.objects.count() >= args.consultations
    ):
        print("reusing the benchmark data")
        return {"reused": True}
    timings: dict = {"reused": False}
    started = time.perf_counter()
    wipe()
    print(
        f"generating {args.orgs:,} orgs, {args.people:,} people, {args.cases:,} cases", flush=True
    )
    timings["orgs"] = gen.generate_orgs(args.orgs, seed=args.seed)
    timings["people"] = gen.generate_people(args.people, seed=args.seed, workers=args.workers)
    timings["cases"] = rgen.generate_cases(
        args.cases, districts=args.districts, seed=args.seed, progress=lambda s: None
    )
    # the consultations go to the districts that have cases, weighted like their case counts
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(org_path, 1, 16), COUNT(*) FROM rights_case GROUP BY 1 ORDER BY 1"
        )
        case_counts = dict(cursor.fetchall())
    districts = list(Org.objects.filter(path__in=list(case_counts)))
    units = rgen._units(districts)
    weights = [case_counts[d.path] for d in districts]
    units = {d.pk: units[d.pk] for d in districts}
    print(f"generating {args.consultations:,} consultations", flush=True)
    mark = time.perf_counter()
    now = timezone.localtime()  # the office hours below are Beijing time, not UTC
    table = connection.ops.quote_name(Consultation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in CONSULT_COLUMNS)
    rows = _consultation_rows(args.consultations, units, args.callers, args.seed, now, weights)
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for n, row in enumerate(rows, 1):
            copy.write_row(row)
            if n % 250_000 == 0:
                print(f"  {n:>9,} ({n / (time.perf_counter() - mark):,.0f}/s)", flush=True)
    timings["consultations_s"] = time.perf_counter() - mark
    plant(now)
    timings["analyze_s"] = analyze()
    timings["total_s"] = time.perf_counter() - started
    print(f"  consultations: {timings['consultations_s']:.1f} s; all: {timings['total_s']:.1f} s")
    return timings


def measured_district():
    """The district with the most consultations (what its officer's figures page reads)."""
    from django.db import connection

    from niangjia.orgs.models import Org

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(org_path, 1, 16) p, COUNT(*) n FROM hotline_consultation"
            " GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        path, n = cursor.fetchone()
    return Org.objects.get(path=path), n


def plant(now) -> None:
    """The known caller (a case's worker in the measured district, 25 calls there), the frequent
    caller (300 calls over the district's city) and nothing for the first-time caller."""
    from niangjia.hotline.models import Consultation
    from niangjia.orgs.models import Org, Person, subtree_q
    from niangjia.rights.models import Case, CaseWorker

    district, _n = measured_district()
    case = Case.objects.filter(subtree_q(district.path, "org_path")).order_by("pk").first()
    worker = CaseWorker.objects.filter(case=case).select_related("person").first()
    person = Person.objects.get(pk=worker.person_id)
    person.phone = KNOWN
    person.save(update_fields=["phone_encrypted", "phone_hash"])
    city = Org.objects.get(path=district.path[:12])
    streets = list(Org.objects.filter(subtree_q(city.path), level__in=["district", "street"]))
    rows = []
    for i in range(25):
        c = Consultation(
            org=district, org_path=district.path, category="overtime", question="（基准）来电",
            started_at=now - datetime.timedelta(days=3 * i + 1), duration_seconds=300,
        )  # fmt: skip
        c.caller_phone = KNOWN
        rows.append(c)
    for i in range(300):
        org = streets[i % len(streets)]
        c = Consultation(
            org=org, org_path=org.path, category="policy", question="（基准）常客来电",
            started_at=now - datetime.timedelta(hours=29 * i + 1), duration_seconds=120,
        )  # fmt: skip
        c.caller_phone = FREQUENT
        rows.append(c)
    Consultation.objects.bulk_create(rows, batch_size=1000)


def officer(name: str, org):
    from bench.rights_bench import officer as rights_officer

    return rights_officer(f"hotline_{name}", org)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.test import Client
    from django.utils import timezone

    from bench.rights_bench import check_target, measure
    from bench.run import environment
    from niangjia.hotline import selectors
    from niangjia.hotline.models import Consultation
    from niangjia.orgs.models import Org

    is_bench = check_target(args.force)
    timings = generate(args, is_bench)
    total = Consultation.objects.count()
    district, district_calls = measured_district()
    city = Org.objects.get(path=district.path[:12])
    print(f"{total:,} consultations; district {district.name} ({district_calls:,} calls)")
    results = []
    kw = {"reps": args.reps, "budget_s": args.budget}
    for who, node in (("district", district), ("city", city)):
        user = officer(who, node)
        selectors.caller_history(user, NEW)  # grants loaded once, as in a request
        for label, phone in (("known", KNOWN), ("frequent", FREQUENT), ("new", NEW)):

            def lookup(user=user, phone=phone) -> int:
                h = selectors.caller_history(user, phone)
                return h["calls_total"] + len(h["cases"])

            results.append(
                measure(f"lookup_{who}_{label}", f"caller_history, {who} officer, {label}",
                        "selector", lookup, **kw)
            )  # fmt: skip
        client = Client()
        client.force_login(user)

        def fragment(client=client) -> int:
            response = client.get(f"/staff/hotline/caller/?caller_phone={KNOWN}")
            assert response.status_code == 200, response.status_code
            return len(response.content)

        results.append(
            measure(f"page_caller_{who}", f"page /staff/hotline/caller/, {who} officer",
                    "page", fragment, plans=False, **kw)
        )  # fmt: skip
    today = timezone.localdate()
    user = officer("district", district)
    for days in (30, 365):
        start = today - datetime.timedelta(days=days - 1)

        def figures(start=start) -> int:
            return selectors.figures(user, org=district, start=start, end=today)["calls"]

        results.append(
            measure(f"figures_{days}", f"figures, district, {days} days", "selector", figures, **kw)
        )
    client = Client()
    client.force_login(user)
    url = f"/staff/hotline/figures/?org={district.pk}&start={today - datetime.timedelta(days=364)}"

    def figures_page() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    results.append(
        measure("page_figures_365", "page /staff/hotline/figures/, district, 365 days", "page",
                figures_page, plans=False, **kw)
    )  # fmt: skip
    print("\n| measurement | rows | median ms | p95 ms | queries |\n|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.label} | {r.rows:,} | {r.median:.1f} | {r.p95:.1f} | {r.queries} |")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = args.json or RESULTS_DIR / f"hotline-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(
        json.dumps(
            {
                "environment": environment(),
                "args": {k: str(v) for k, v in vars(args).items()},
                "timings": timings,
                "consultations": total,
                "district": {"name": district.name, "calls": district_calls},
                "results": [r.as_dict() for r in results],
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    )
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
