"""Synthetic rights cases at benchmark scale, on top of bench/generate.py's org tree and people.

1,000,000 cases spread over 2,000 district unions (skewed: some districts are much busier than
others), each handled by the district or one of its streets, received over three years (a little
more each year). A case's stage and outcome follow from its age and its track: most go through
mediation and close within weeks, a fifth go on to arbitration, court and enforcement and take
months. Case rows are built in Python (numbers per union and year, as `next_case_number` draws
them) and streamed with COPY; the rows hanging off a case (workers, claims, recoveries, deadlines,
ratings, counters) are made by INSERT … SELECT over the cases in PostgreSQL, with a hash of the
case id as the dice, so they are reproducible:

- workers: 1 for 78% of cases, 2 for 17%, 3–6 for 5% (group cases): about 1.35 a case, drawn
  from the generated people, so a person can turn up in several cases;
- claims: one (70%) or two per case;
- recoveries: ~40% of closed cases, one payment on the closing day;
- deadlines: each open case one open deadline (about a third overdue), litigation-track cases a
  second one a year ahead; each closed case one done deadline;
- ratings: ~30% of closed cases.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.generate import BUSINESSES, PLACE_CHARS
from niangjia.orgs.models import Org, Person, StaffRole
from niangjia.rights.models import (
    Case,
    CaseCounter,
    CaseRating,
    CaseWorker,
    ClaimItem,
    Deadline,
    Recovery,
)
from niangjia.rights.services import case_prefix

OFFICER_PREFIX = "bench_rights_officer_"
DAYS = 3 * 365

CATEGORIES = (
    ("wages", 38),
    ("termination", 15),
    ("compensation", 12),
    ("injury", 10),
    ("social_insurance", 8),
    ("overtime", 7),
    ("relationship", 5),
    ("other", 5),
)
SOURCES = (("walk_in", 40), ("hotline", 30), ("online", 20), ("court_entrusted", 6))
SOURCES += (("transferred_in", 4),)
MEDIATION_OUTCOMES = (
    ("mediated", 70),
    ("partially_mediated", 8),
    ("withdrawn", 10),
    ("terminated", 6),
    ("not_accepted", 4),
    ("transferred", 2),
)
LITIGATION_OUTCOMES = (
    ("award", 40),
    ("judgment", 30),
    ("withdrawn", 10),
    ("mediated", 10),
    ("terminated", 10),
)
# (age in days below which, stage) for a case still open
MEDIATION_STAGES = ((3, "intake"), (10, "accepted"), (10**6, "mediation"))
LITIGATION_STAGES = (
    (3, "intake"),
    (10, "accepted"),
    (45, "mediation"),
    (120, "arbitration"),
    (250, "litigation"),
    (10**6, "enforcement"),
)

CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "number",
    "org_id",
    "officer_id",
    "source",
    "category",
    "stage",
    "outcome",
    "outcome_note",
    "employer_name",
    "project_name",
    "facts",
    "received_on",
    "infringed_on",
    "employment_ended_on",
    "injury_on",
    "not_accepted_reason",
    "screening_override_reason",
    "agreement_terms",
    "agreement_amount",
    "agreement_signed_on",
    "payment_due_on",
    "closed_on",
    "intake_fingerprint",
    "org_path",
)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _pick(pairs) -> tuple[list, list]:
    values = [v for v, _ in pairs]
    cum, total = [], 0
    for _, w in pairs:
        total += w
        cum.append(total)
    return values, cum


def pick_districts(count: int, seed: int) -> list[Org]:
    districts = list(Org.objects.filter(level=Org.Level.DISTRICT).order_by("path"))
    if len(districts) < count:
        raise RuntimeError(f"{count} districts wanted, {len(districts)} in the tree")
    return sorted(random.Random(seed).sample(districts, count), key=lambda o: o.path)


def create_officers(districts: list[Org]) -> dict[int, int]:
    """One rights officer account per district (their cases' 承办人); district pk → user pk."""
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"{OFFICER_PREFIX}{d.pk}", password=password) for d in districts],
        batch_size=2000,
    )
    StaffRole.objects.bulk_create(
        [
            StaffRole(user=u, org=d, role=StaffRole.Role.RIGHTS_OFFICER)
            for u, d in zip(users, districts, strict=True)
        ],
        batch_size=2000,
    )
    return {d.pk: u.pk for u, d in zip(users, districts, strict=True)}


def _units(districts: list[Org]) -> dict[int, list[Org]]:
    """District pk → the district and its streets (the unions that handle cases)."""
    streets = defaultdict(list)
    wanted = {d.path: d.pk for d in districts}
    step = Org.steplen
    for org in Org.objects.filter(level=Org.Level.STREET).only("pk", "path", "name"):
        district = wanted.get(org.path[: len(org.path) - step])
        if district is not None:
            streets[district].append(org)
    return {d.pk: [d, *streets[d.pk]] for d in districts}


def _prefixes(units: dict[int, list[Org]]) -> dict[int, str]:
    """case_prefix per union, made unique (two 安平区 in different cities) by a digit."""
    seen: dict[str, int] = {}
    out = {}
    for orgs in units.values():
        for org in orgs:
            base = case_prefix(org)
            n = seen.get(base, 0)
            seen[base] = n + 1
            out[org.pk] = base if n == 0 else f"{base}{n + 1}"
    return out


def case_rows(count: int, districts: list[Org], officers: dict[int, int], today, seed: int):
    """The case tuples (CASE_COLUMNS order, ids 1..count), as an iterator."""
    rng = random.Random(seed)
    units = _units(districts)  # read before the caller opens COPY on the connection
    prefixes = _prefixes(units)
    return _case_rows(count, districts, officers, today, rng, units, prefixes)


def _case_rows(count, districts, officers, today, rng, units, prefixes):
    weights = [rng.lognormvariate(0, 0.7) for _ in districts]
    chosen = rng.choices(range(len(districts)), weights=weights, k=count)
    categories, cat_cum = _pick(CATEGORIES)
    sources, src_cum = _pick(SOURCES)
    med_outcomes, med_cum = _pick(MEDIATION_OUTCOMES)
    lit_outcomes, lit_cum = _pick(LITIGATION_OUTCOMES)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    tz = timezone.get_current_timezone()
    employers = [
        f"{a}{b}{rng.choice(BUSINESSES)}有限公司" for a in PLACE_CHARS for b in PLACE_CHARS[:12]
    ]
    # received dates first, in order, so numbers rise with the date as real counters do
    ages = sorted((int(rng.random() ** 1.15 * DAYS) for _ in range(count)), reverse=True)
    for i, (age, k) in enumerate(zip(ages, chosen, strict=True), start=1):
        district = districts[k]
        handlers = units[district.pk]
        org = handlers[0] if len(handlers) == 1 or rng.random() < 0.55 else rng.choice(handlers)
        received = today - datetime.timedelta(days=age)
        category = rng.choices(categories, cum_weights=cat_cum)[0]
        litigation = rng.random() < 0.2
        duration = (
            45 + int(rng.expovariate(1 / 200)) if litigation else 1 + int(rng.expovariate(1 / 30))
        )
        closed_on = outcome = None
        if duration <= age:
            stage = "closed"
            closed_on = received + datetime.timedelta(days=duration)
            pool, cum = (lit_outcomes, lit_cum) if litigation else (med_outcomes, med_cum)
            outcome = rng.choices(pool, cum_weights=cum)[0]
        else:
            stages = LITIGATION_STAGES if litigation else MEDIATION_STAGES
            stage = next(s for limit, s in stages if age < limit)
        counters[(org.pk, received.year)] += 1
        number = f"{prefixes[org.pk]}维〔{received.year}〕{counters[(org.pk, received.year)]:04d}号"
        employer = rng.choice(employers)
        mediated = outcome in ("mediated", "partially_mediated")
        amount = round(rng.uniform(3000, 90000), 2) if mediated else None
        created = datetime.datetime.combine(received, datetime.time(9), tz)
        updated = datetime.datetime.combine(closed_on or received, datetime.time(17), tz)
        yield (
            i,
            created,
            updated,
            number,
            org.pk,
            officers[district.pk] if stage != "intake" or rng.random() < 0.5 else None,
            rng.choices(sources, cum_weights=src_cum)[0],
            category,
            stage,
            outcome or "",
            "已结案" if outcome else "",
            employer,
            f"{employer[:2]}花园{rng.randint(1, 9)}期工程" if category == "wages" and i % 3 else "",
            f"申请人称{employer}自{received.year - 1}年起拖欠其劳动报酬，多次催要未果，请求工会协助维权。",
            received,
            received - datetime.timedelta(days=rng.randint(5, 200)),
            received - datetime.timedelta(days=rng.randint(1, 90))
            if category in ("termination", "compensation")
            else None,
            received - datetime.timedelta(days=rng.randint(30, 300))
            if category == "injury"
            else None,
            "",
            "",
            "双方自愿达成协议。" if mediated else "",
            amount,
            closed_on if mediated else None,
            closed_on + datetime.timedelta(days=15) if mediated else None,
            closed_on,
            "",
            org.path,  # the path copy the scope reads (Case.org_path), as case_create sets it
        )


def _rand(salt: int) -> str:
    """A uniform [0, 1) number from the case id: the dice of the INSERT … SELECT statements."""
    return f"((hashint8(c.id * 16 + {salt}) & 2147483647)::float8 / 2147483648.0)"


def _children_sql(today: datetime.date, person_min: int, people: int) -> list[tuple[str, str]]:
    t = {
        m: _table(m)
        for m in (Case, CaseWorker, ClaimItem, Recovery, Deadline, CaseRating, CaseCounter)
    }
    d = f"DATE '{today.isoformat()}'"
    claim_kind = """CASE c.category WHEN 'wages' THEN 'wages' WHEN 'injury' THEN 'injury'
        WHEN 'termination' THEN 'economic_compensation' WHEN 'compensation' THEN 'damages'
        WHEN 'social_insurance' THEN 'social_insurance' WHEN 'overtime' THEN 'overtime'
        WHEN 'relationship' THEN 'double_wage' ELSE 'other' END"""
    recovery_kind = """CASE c.category WHEN 'injury' THEN 'injury'
        WHEN 'termination' THEN 'compensation' WHEN 'compensation' THEN 'damages'
        WHEN 'wages' THEN 'wages' WHEN 'overtime' THEN 'wages' ELSE 'other' END"""
    return [
        (
            "workers",
            f"""INSERT INTO {t[CaseWorker]} (case_id, person_id, employment_form, job,
                is_representative)
            SELECT c.id, {person_min} + mod(c.id * 7919 + j * 104729, {people}),
                (ARRAY['standard', 'standard', 'standard', 'standard', 'dispatch', 'part_time',
                       'platform', 'service_contract'])[1 + mod(c.id + j, 8)::int],
                '', j = 0
            FROM (SELECT id, {_rand(1)} AS r FROM {t[Case]} c) c,
                LATERAL generate_series(0, CASE WHEN c.r < 0.05 THEN 2 + mod(c.id, 5)
                                                WHEN c.r < 0.22 THEN 1 ELSE 0 END) AS j""",
        ),
        (
            "claims",
            f"""INSERT INTO {t[ClaimItem]} (case_id, worker_id, kind, amount, period_start,
                period_end, calculation, calculator, calculator_inputs, calculator_result)
            SELECT c.id, NULL,
                CASE WHEN j = 0 THEN {claim_kind}
                     WHEN c.category = 'overtime' THEN 'annual_leave' ELSE 'overtime' END,
                round((2000 + {_rand(3)} * 78000 / (j + 1))::numeric, 2),
                c.received_on - 365, c.received_on - 30, '{{}}'::jsonb, '', '{{}}'::jsonb,
                '{{}}'::jsonb
            FROM {t[Case]} c,
                LATERAL generate_series(0, CASE WHEN {_rand(2)} < 0.3 THEN 1 ELSE 0 END) AS j""",
        ),
        (
            "recoveries",
            f"""INSERT INTO {t[Recovery]} (case_id, amount, "on", payer, kind, over_claim_reason,
                recorded_at, recorded_by_id)
            SELECT c.id, round((1000 + {_rand(5)} * 50000)::numeric, 2), c.closed_on,
                c.employer_name, {recovery_kind}, '', c.closed_on + TIME '16:00', NULL
            FROM {t[Case]} c
            WHERE c.stage = 'closed' AND {_rand(4)} < 0.4""",
        ),
        (
            "deadlines",
            f"""INSERT INTO {t[Deadline]} (case_id, rule, name, legal_basis, start, due,
                moved_for_holiday, calendar_complete, status, note, events, reminded_on)
            SELECT c.id, 'mediation_15', '调解期限', '《企业劳动争议协商调解规定》第二十九条',
                c.received_on,
                CASE WHEN c.stage = 'closed' THEN c.received_on + 15
                     ELSE {d} - 25 + mod(c.id * 7, 80)::int END,
                false, true, CASE WHEN c.stage = 'closed' THEN 'done' ELSE 'open' END, '',
                '[]'::jsonb, NULL::date
            FROM {t[Case]} c
            UNION ALL
            SELECT c.id, 'arbitration_limit', '仲裁时效', '《劳动争议调解仲裁法》第二十七条',
                c.received_on, {d} + 200 + mod(c.id, 165)::int, false, true, 'open', '',
                '[]'::jsonb, NULL::date
            FROM {t[Case]} c
            WHERE c.stage IN ('arbitration', 'litigation', 'enforcement')""",
        ),
        (
            "ratings",
            f"""INSERT INTO {t[CaseRating]} (case_id, score, comment, at)
            SELECT c.id, CASE WHEN {_rand(7)} < 0.55 THEN 5 WHEN {_rand(7)} < 0.85 THEN 4
                              WHEN {_rand(7)} < 0.95 THEN 3 WHEN {_rand(7)} < 0.98 THEN 2
                              ELSE 1 END,
                '', c.closed_on + TIME '18:00'
            FROM {t[Case]} c
            WHERE c.stage = 'closed' AND {_rand(6)} < 0.3""",
        ),
        (
            "counters",
            f"""INSERT INTO {t[CaseCounter]} (org_id, year, last)
            SELECT org_id, EXTRACT(YEAR FROM received_on)::int, COUNT(*)
            FROM {t[Case]} GROUP BY 1, 2""",
        ),
    ]


def generate_cases(
    count: int,
    *,
    districts: int = 2000,
    today: datetime.date | None = None,
    seed: int = 2025,
    progress=print,
) -> dict[str, float]:
    """Officers, cases and everything under them; timings in seconds."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the rights generator uses PostgreSQL's COPY and hashint8")
    today = today or timezone.localdate()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    people = Person.objects.order_by("pk").values_list("pk", flat=True)
    person_min, person_max = people.first(), people.last()
    if person_min is None:
        raise RuntimeError("generate the people first")
    n_people = person_max - person_min + 1
    with transaction.atomic():
        chosen = pick_districts(districts, seed)
        officers = create_officers(chosen)
        timings["officers_s"] = time.perf_counter() - started
        columns = ", ".join(connection.ops.quote_name(c) for c in CASE_COLUMNS)
        mark = time.perf_counter()
        with connection.cursor() as cursor:
            rows = case_rows(count, chosen, officers, today, seed)
            with cursor.copy(f"COPY {_table(Case)} ({columns}) FROM STDIN") as copy:
                for n, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if n % 200_000 == 0:
                        progress(f"  {n:>9,} cases ({n / (time.perf_counter() - mark):,.0f}/s)")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Case._meta.db_table, count],
            )
            timings["cases_s"] = time.perf_counter() - mark
            progress(f"  cases: {timings['cases_s']:.1f} s")
            for name, sql in _children_sql(today, person_min, n_people):
                mark = time.perf_counter()
                cursor.execute(sql)
                timings[f"{name}_s"] = time.perf_counter() - mark
                progress(f"  {name}: {cursor.rowcount:,} rows, {timings[f'{name}_s']:.1f} s")
    timings["total_s"] = time.perf_counter() - started
    return timings


def case_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = {
        m._meta.model_name: m.objects.count()
        for m in (Case, CaseWorker, ClaimItem, Recovery, Deadline, CaseRating)
    }
    counts["closed"] = Case.objects.filter(stage=Case.Stage.CLOSED).count()
    open_deadlines = Deadline.objects.filter(status=Deadline.Status.OPEN)
    counts["open_deadlines"] = open_deadlines.count()
    counts["overdue_deadlines"] = open_deadlines.filter(due__lt=timezone.localdate()).count()
    counts["handling_unions"] = Case.objects.values("org").distinct().count()
    counts["stages"] = dict(
        Case.objects.values_list("stage").annotate(n=Count("pk")).order_by("stage")
    )
    return counts
