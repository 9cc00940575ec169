"""Care benchmarks: importing 100,000 distribution rows, and campaign figures over 10,000,000
distributions.

    createdb -h 127.0.0.1 -U postgres niangjia_bench_care
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/niangjia_bench_care
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.care_bench                    # both parts
    .venv/bin/python -m bench.care_bench --only import --rows 20000
    .venv/bin/python -m bench.care_bench --only import --method both --repeat 3
    dropdb -h 127.0.0.1 -U postgres niangjia_bench_care

The database name must contain "bench"; it is wiped and refilled.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.care_bench")
    p.add_argument("--only", choices=["import", "figures"])
    p.add_argument("--rows", type=int, default=100_000, help="import rows (default 100000)")
    p.add_argument("--people", type=int, default=1_000_000, help="people for the figures set")
    p.add_argument("--items", type=int, default=10, help="items: distributions = people × items")
    p.add_argument("--reps", type=int, default=100)
    p.add_argument(
        "--method",
        choices=["copy", "bulk", "both"],
        default="copy",
        help="import save path: PostgreSQL COPY (default), bulk_create, or both alternately",
    )
    p.add_argument("--repeat", type=int, default=1, help="import runs (median reported)")
    return p.parse_args(argv)


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name or connection.vendor != "postgresql":
        print(f"refusing: {name!r} is not a PostgreSQL database named *bench*", file=sys.stderr)
        sys.exit(2)


def wipe():
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "TRUNCATE care_itemtally, care_reachtally, care_reach, care_distribution,"
            " care_enterprisevisit, care_importjob, care_budgetapproval, care_hardshipfile,"
            " care_aidapplication, care_beneficiary, care_itemtype, care_campaign_enterprises,"
            " care_campaign, orgs_member, orgs_staffrole, orgs_person, orgs_enterprise, orgs_org"
            " RESTART IDENTITY CASCADE"
        )


def tree():
    """A city with 16 districts of 12 streets each (209 nodes)."""
    from niangjia.orgs.models import Org

    def child(parent, **fields):
        return Org.objects.add_child(Org.objects.get(pk=parent.pk), fields)

    root = Org.objects.add_root(
        {"name": "全国总工会", "level": "national", "region_code": "110000"}
    )
    prov = child(root, name="天津市总工会", level="province", region_code="120000")
    city = child(prov, name="天津市（基准）", level="city", region_code="120100")
    streets = []
    for d in range(16):
        district = child(city, name=f"区{d}", level="district", region_code="120116")
        for s in range(12):
            streets.append(
                child(district, name=f"区{d}街道{s}", level="street", region_code="120116")
            )
    return Org.objects.get(pk=city.pk), streets


def campaign_at(org, items):
    from niangjia.care.models import Campaign, ItemType

    campaign = Campaign.objects.create(
        name=f"基准活动{org.pk}",
        org=org,
        starts_on="2026-12-01",
        ends_on="2027-02-28",
        budget_amount=Decimal("9999999999.00"),
        status="active",
    )
    made = [
        ItemType.objects.create(campaign=campaign, name=name, kind=kind, unit_value=Decimal(value))
        for name, kind, value in items
    ]
    return campaign, made


def bench_import(rows: int, method: str = "copy") -> dict:
    from openpyxl import Workbook

    from niangjia.care import imports
    from niangjia.care.models import Distribution
    from niangjia.core.demo import fake_credit_code, fake_resident_id
    from niangjia.orgs.models import Enterprise

    wipe()
    city, streets = tree()
    rng = random.Random(1)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准企业{i}",
            credit_code=fake_credit_code(rng, "120116"),
            industry="C",
            size="small",
            org=streets[i % len(streets)],
        )
        for i in range(500)
    )
    campaign, (gift, cash) = campaign_at(
        city, [("礼包", "gift", "300"), ("慰问金", "cash", "2000")]
    )
    people = int(rows * 0.8)
    seen, ids = set(), []
    while len(ids) < people:
        id_number = fake_resident_id(rng, "120116")
        if id_number not in seen:
            seen.add(id_number)
            ids.append(id_number)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "身份证号码", "手机号码", "类别", "工作单位", "慰问项目", "数量", "金额"])
    n = 0
    for i, id_number in enumerate(ids):
        employer = enterprises[i % len(enterprises)].name
        ws.append([f"职工{i}", id_number, f"139{i:08d}", "一线职工", employer, "礼包", 1, None])
        n += 1
        if n < rows and i < rows - people:
            ws.append([f"职工{i}", id_number, "", "困难职工", employer, "慰问金", 1, 1000])
            n += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    print(f"import: {n:,} rows, {len(data) / 1e6:.1f} MB xlsx; running …", flush=True)

    t0 = time.perf_counter()
    records = imports.read_workbook(data)
    t1 = time.perf_counter()
    good, errors = imports.validate_rows(campaign, records)
    t2 = time.perf_counter()
    assert not errors, errors[:3]
    calls = []
    created = imports.save_rows(
        campaign, good, actor=None, method=method, progress=lambda d, t: calls.append(d)
    )
    t3 = time.perf_counter()
    assert created == n == Distribution.objects.count()
    result = {
        "method": method,
        "save_progress_calls": len(calls),
        "rows": n,
        "people": people,
        "read_s": round(t1 - t0, 1),
        "validate_s": round(t2 - t1, 1),
        "save_s": round(t3 - t2, 1),
        "total_s": round(t3 - t0, 1),
    }
    # a second run of the same file: every row is a duplicate against the database
    t4 = time.perf_counter()
    _good, errors = imports.validate_rows(campaign, imports.read_workbook(data))
    result["reimport_rejected_rows"] = len(errors)
    result["reimport_validate_s"] = round(time.perf_counter() - t4, 1)
    print(f"import: {json.dumps(result)}", flush=True)
    return result


def bench_figures(people: int, items: int, reps: int) -> dict:
    from django.db import connection

    from niangjia.care import selectors
    from niangjia.care.models import Distribution

    wipe()
    city, streets = tree()
    campaign, made = campaign_at(
        city, [(f"项目{i}", "gift", str(50 + 10 * i)) for i in range(items)]
    )
    street_ids = [s.pk for s in streets]
    cats = ["hardship", "new_form", "frontline", "model_worker", "migrant"]
    timings = {}
    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute(
            """INSERT INTO orgs_person (name, gender, id_number_encrypted, id_number_hash,
                   phone_encrypted, phone_hash, org_id, created_at, updated_at)
               SELECT '职工' || g, '', '', 'bench-' || g, '', '', (%s::bigint[])[1 + g %% %s],
                      now(), now()
               FROM generate_series(1, %s) g""",
            [street_ids, len(street_ids), people],
        )
        c.execute(
            """INSERT INTO care_beneficiary (person_id, org_id, category, platform,
                   bank_name, bank_card_encrypted, note, created_at, updated_at)
               SELECT p.id, p.org_id, (%s::text[])[1 + p.id %% 5], '', '', '', '', now(), now()
               FROM orgs_person p""",
            [cats],
        )
        timings["people_and_beneficiaries_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        c.execute(
            """INSERT INTO care_distribution (campaign_id, item_id, beneficiary_id, person_id,
                   org_id, category, quantity, amount, distributed_at, receipt_kind,
                   signature, sms_code_hash, payment_method, payment_status,
                   payment_failure_reason, override_reason, void_reason, created_at, updated_at)
               SELECT %s, i.id, b.id, b.person_id, b.org_id, b.category, 1, i.unit_value,
                      now(), 'list', '', '', '', '', '', '', '', now(), now()
               FROM care_beneficiary b CROSS JOIN care_itemtype i WHERE i.campaign_id = %s""",
            [campaign.pk, campaign.pk],
        )
        timings["distributions_s"] = round(time.perf_counter() - t, 1)
        # the summary rows, exactly as the services keep them (a one-off scan at load time)
        t = time.perf_counter()
        c.execute(
            """INSERT INTO care_itemtally (campaign_id, org_id, item_id, category, times,
                   quantity, amount)
               SELECT campaign_id, org_id, item_id, category, count(*), sum(quantity), sum(amount)
               FROM care_distribution WHERE voided_at IS NULL
               GROUP BY campaign_id, org_id, item_id, category"""
        )
        c.execute(
            """INSERT INTO care_reach (campaign_id, person_id, org_id, category, live, first_at)
               SELECT campaign_id, person_id, min(org_id), min(category), count(*), min(distributed_at)
               FROM care_distribution WHERE voided_at IS NULL GROUP BY campaign_id, person_id"""
        )
        c.execute(
            """INSERT INTO care_reachtally (campaign_id, org_id, category, persons)
               SELECT campaign_id, org_id, category, count(*) FROM care_reach WHERE live > 0
               GROUP BY campaign_id, org_id, category"""
        )
        timings["summaries_s"] = round(time.perf_counter() - t, 1)
        c.execute("VACUUM ANALYZE")
    total = Distribution.objects.count()
    print(f"figures: {total:,} distributions loaded {timings}", flush=True)

    def figures():
        return selectors.campaign_figures(campaign, city)

    for _ in range(3):
        figures()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        result = figures()
        samples.append((time.perf_counter() - t) * 1000)
    # the scan the summaries replace: one plain GROUP BY over the hand-outs of the subtree
    scan_sql = (
        "SELECT d.item_id, d.category, count(*), count(DISTINCT d.person_id), sum(d.amount)"
        " FROM care_distribution d JOIN orgs_org o ON o.id = d.org_id"
        f" WHERE d.campaign_id = {campaign.pk} AND d.voided_at IS NULL"
        f" AND o.path LIKE '{city.path}%%' GROUP BY 1, 2"
    )
    scan = []
    with connection.cursor() as c:
        for _ in range(3):
            t = time.perf_counter()
            c.execute(scan_sql.replace("%%", "%"))
            rows = c.fetchall()
            scan.append((time.perf_counter() - t) * 1000)
    scan_times = sum(r[2] for r in rows)
    assert result["person_times"] == scan_times == total, (result["person_times"], scan_times)
    assert result["persons"] == people
    ordered = sorted(samples)
    out = {
        "distributions": total,
        "people": people,
        "load": timings,
        "figures_median_ms": round(statistics.median(samples), 2),
        "figures_p95_ms": round(ordered[int(0.95 * len(ordered)) - 1], 2),
        "reps": reps,
        "scan_group_by_ms": [round(x) for x in scan],
        "checked_equal_to_scan": True,
    }
    print(f"figures: {json.dumps(out)}", flush=True)
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    setup()
    results = {"loadavg_start": os.getloadavg()}
    if args.only != "figures":
        methods = ["copy", "bulk"] if args.method == "both" else [args.method]
        runs = [bench_import(args.rows, m) for _ in range(args.repeat) for m in methods]
        results["import_runs"] = runs
        results["import"] = {
            m: {
                key: statistics.median(r[key] for r in runs if r["method"] == m)
                for key in ("read_s", "validate_s", "save_s", "total_s")
            }
            for m in methods
        }
    if args.only != "import":
        results["figures"] = bench_figures(args.people, args.items, args.reps)
    results["loadavg_end"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
