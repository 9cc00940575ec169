"""The measured queries: org subtrees, people in a staff member's scope, lookup by ID number.

Each benchmark is a zero-argument callable run through the project's real selectors and services.
It is timed over many repetitions (median and p95), run once under CaptureQueriesContext to count
its queries, and its (last) query is run again under EXPLAIN ANALYZE for the plan.
"""

from __future__ import annotations

import gc
import math
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext

from bench.generate import MAX_PEOPLE, resident_id
from niangjia.core.permissions import Perm, filter_for
from niangjia.orgs.models import Member, Org, Person, StaffRole
from niangjia.orgs.selectors import org_subtree, person_list
from niangjia.orgs.services import person_find

LEVEL_DEPTH = {Org.Level.PROVINCE: 2, Org.Level.CITY: 3, Org.Level.DISTRICT: 4}
BENCH_USERNAME = "bench_city_officer"
PAGE = 20


@dataclass
class Result:
    key: str
    label: str
    group: str
    rows: int
    times_ms: list[float]
    queries: int
    sql: str = ""
    plan: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    seq_scans: list[str] = field(default_factory=list)
    path_in_index_cond: bool = False
    rows_removed_by_filter: int = 0
    must_be_one_indexed_query: bool = False
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def problems(self) -> list[str]:
        """Why a subtree query breaks the "one indexed query" rule (empty when it holds)."""
        if not self.must_be_one_indexed_query:
            return []
        found = []
        if self.queries != 1:
            found.append(f"{self.queries} queries, expected 1")
        org_table = Org._meta.db_table
        if org_table in self.seq_scans:
            found.append(f"full scan of {org_table}")
        if connection.vendor == "postgresql" and not self.path_in_index_cond:
            found.append("the path prefix is not an index condition")
        return found

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(median_ms=self.median, p95_ms=self.p95, reps=len(self.times_ms))
        data["problems"] = self.problems
        return data


# --- measuring ---------------------------------------------------------------------------------


@contextmanager
def no_gc():
    """As timeit does: collect first, then keep the cyclic GC out of the timed calls."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def time_calls(fn: Callable[[], object], *, reps: int, budget_s: float, warmup: int = 3):
    """Milliseconds per call: `reps` calls, or fewer (at least 20) if the budget runs out."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    with no_gc():
        deadline = time.perf_counter() + budget_s
        while len(times) < reps and (len(times) < 20 or time.perf_counter() < deadline):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return times


def time_each(fn: Callable[[object], object], args: Sequence) -> list[float]:
    """Milliseconds per call, one call per argument (e.g. 1,000 different ID numbers)."""
    times = []
    with no_gc():
        for arg in args:
            started = time.perf_counter()
            fn(arg)
            times.append((time.perf_counter() - started) * 1000)
    return times


_PG_INDEX = re.compile(
    r"(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)"
)
_PG_SEQ = re.compile(r"Seq Scan on (\S+)")
_PG_REMOVED = re.compile(r"Rows Removed by Filter: (\d+)")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\S+)")
_SQLITE_SCAN = re.compile(r"^SCAN (\S+)")


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
    return []


def analyse_plan(result: Result) -> None:
    text = "\n".join(result.plan)
    if connection.vendor == "postgresql":
        result.indexes = sorted(set(_PG_INDEX.findall(text)))
        result.seq_scans = sorted(set(_PG_SEQ.findall(text)))
        result.rows_removed_by_filter = sum(int(n) for n in _PG_REMOVED.findall(text))
        result.path_in_index_cond = any(
            "Index Cond" in line and "path" in line for line in result.plan
        )
    else:
        result.indexes = sorted({m for line in result.plan for m in _SQLITE_INDEX.findall(line)})
        result.seq_scans = sorted(
            {m for line in result.plan for m in _SQLITE_SCAN.findall(line.strip())}
        )


def run_one(
    key: str,
    label: str,
    group: str,
    fn: Callable[[], object],
    *,
    reps: int,
    budget_s: float,
    one_indexed_query: bool = False,
    note: str = "",
) -> Result:
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    rows = value if isinstance(value, int) else len(value)
    result = Result(
        key=key,
        label=label,
        group=group,
        rows=rows,
        times_ms=time_calls(fn, reps=reps, budget_s=budget_s),
        queries=len(ctx.captured_queries),
        must_be_one_indexed_query=one_indexed_query,
        note=note,
    )
    if ctx.captured_queries:
        result.sql = ctx.captured_queries[-1]["sql"]
        result.plan = explain(result.sql)
        analyse_plan(result)
    return result


# --- fixtures ----------------------------------------------------------------------------------


def subtree_sizes(level: str) -> list[tuple[str, int]]:
    """(path, subtree size) of every node of `level`, smallest first; one grouped query."""
    depth = LEVEL_DEPTH[level]
    rows = (
        Org.objects.filter(depth__gte=depth)
        .annotate(prefix=Substr("path", 1, depth * Org.steplen))
        .values("prefix")
        .annotate(n=Count("pk"))
        .order_by("n", "prefix")
        .values_list("prefix", "n")
    )
    return list(rows)


def typical_nodes() -> dict[str, dict]:
    """For each level, the node of median subtree size, and the spread of sizes."""
    picked = {}
    for level in LEVEL_DEPTH:
        sizes = subtree_sizes(level)
        path, size = sizes[len(sizes) // 2]
        picked[level] = {
            "node": Org.objects.get(path=path),
            "size": size,
            "nodes": len(sizes),
            "min": sizes[0][1],
            "max": sizes[-1][1],
        }
    return picked


def bench_user(city: Org):
    """A rights officer (PERSON_VIEW over the subtree) bound to one city node; fresh instance."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=BENCH_USERNAME)
    StaffRole.objects.filter(user=user).exclude(org=city).delete()
    StaffRole.objects.get_or_create(user=user, org=city, role=StaffRole.Role.RIGHTS_OFFICER)
    return User.objects.get(pk=user.pk)


def known_people(count: int, seed: int) -> list[tuple[int, str, str]]:
    """(pk, ID number, phone) of `count` random people, decrypted through the model."""
    bounds = Person.objects.order_by().values_list("pk", flat=True)
    low, high = bounds.order_by("pk").first(), bounds.order_by("-pk").first()
    rng = random.Random(seed)
    wanted = rng.sample(range(low, high + 1), min(count, high - low + 1))
    found = list(Person.objects.filter(pk__in=wanted))
    rng.shuffle(found)
    return [(p.pk, p.id_number, p.phone) for p in found]


# --- the suites --------------------------------------------------------------------------------


def org_benchmarks(nodes: dict[str, dict], *, reps: int, budget_s: float) -> list[Result]:
    results = []
    for level, info in nodes.items():
        node = info["node"]
        label = f"{Org.Level(level).label} {node.path}"
        results.append(
            run_one(
                f"org_subtree_count_{level}",
                f"org_subtree({label}).count()",
                "orgs",
                lambda node=node: org_subtree(node).count(),
                reps=reps,
                budget_s=budget_s,
                one_indexed_query=True,
            )
        )
        results.append(
            run_one(
                f"org_subtree_page_{level}",
                f"org_subtree({label}).order_by('path')[:{PAGE}]",
                "orgs",
                lambda node=node: list(org_subtree(node).order_by("path")[:PAGE]),
                reps=reps,
                budget_s=budget_s,
                one_indexed_query=True,
            )
        )
    for level, info in nodes.items():
        # Diagnostic (not app code): the same page as a range on the unique path index, which
        # PostgreSQL can both seek and read in path order.
        node = info["node"]
        upper = node.path + Org.alphabet[-1] * (
            Org._meta.get_field("path").max_length - len(node.path)
        )
        results.append(
            run_one(
                f"org_subtree_page_range_{level}",
                f"diagnostic: path__range=({node.path}, …ZZZ).order_by('path')[:{PAGE}]",
                "diagnostic",
                lambda node=node, upper=upper: list(
                    Org.objects.filter(path__range=(node.path, upper)).order_by("path")[:PAGE]
                ),
                reps=reps,
                budget_s=budget_s,
            )
        )
    return results


def people_benchmarks(
    city: Org, *, reps: int, budget_s: float, lookups: int, seed: int
) -> list[Result]:
    user = bench_user(city)
    filter_for(user, Perm.PERSON_VIEW, Person.objects.all())  # load the grants once, as a request
    scoped = lambda: filter_for(user, Perm.PERSON_VIEW, Person.objects.all())  # noqa: E731
    results = [
        run_one(
            "person_scope_page",
            f"filter_for(city officer, PERSON_VIEW, Person)[:{PAGE}]",
            "people",
            lambda: list(scoped()[:PAGE]),
            reps=reps,
            budget_s=budget_s,
        ),
        run_one(
            "person_scope_count",
            "filter_for(city officer, PERSON_VIEW, Person).count()",
            "people",
            lambda: scoped().count(),
            reps=reps,
            budget_s=budget_s,
        ),
        run_one(
            "person_list_page",
            f"person_list(city officer)[:{PAGE}]  (staff list page: by name)",
            "people",
            lambda: list(person_list(user)[:PAGE]),
            reps=reps,
            budget_s=budget_s,
        ),
        # Diagnostics (not app code): the same subtree without the membership OR-branch that
        # Person's scope adds, to show what that branch costs.
        run_one(
            "person_subtree_count_no_members",
            "diagnostic: Person.filter(org__path__startswith=city).count()",
            "diagnostic",
            lambda: Person.objects.filter(org__path__startswith=city.path).count(),
            reps=reps,
            budget_s=budget_s,
        ),
        run_one(
            "person_subtree_page_union",
            f"diagnostic: pk__in=(org subtree UNION members)[:{PAGE}]",
            "diagnostic",
            lambda: list(
                Person.objects.filter(
                    pk__in=Person.objects.filter(org__path__startswith=city.path)
                    .values("pk")
                    .union(
                        Member.objects.filter(union__path__startswith=city.path).values("person_id")
                    )
                )[:PAGE]
            ),
            reps=reps,
            budget_s=budget_s,
        ),
        run_one(
            "person_subtree_count_union",
            "diagnostic: pk__in=(org subtree UNION members).count()",
            "diagnostic",
            lambda: Person.objects.filter(
                pk__in=Person.objects.filter(org__path__startswith=city.path)
                .values("pk")
                .union(Member.objects.filter(union__path__startswith=city.path).values("person_id"))
            ).count(),
            reps=reps,
            budget_s=budget_s,
        ),
    ]

    people = known_people(lookups, seed)
    results.append(_lookup_result("person_find_id", "person_find(id_number=…) hit", people, 1))
    results.append(_lookup_result("person_find_phone", "person_find(phone=…) hit", people, 2))
    rng = random.Random(seed)
    misses = [
        (None, resident_id(MAX_PEOPLE - 1 - rng.randrange(100_000), "110101")[0], "")
        for _ in range(min(lookups, 200))
    ]
    results.append(_lookup_result("person_find_miss", "person_find(id_number=…) miss", misses, 1))
    return results


def _lookup_result(key: str, label: str, people: list[tuple], column: int) -> Result:
    """person_find over many different values, each looked up once; checks every answer."""
    field_name = "id_number" if column == 1 else "phone"
    wrong = 0

    def find(person):
        nonlocal wrong
        found = person_find(**{field_name: person[column]})
        if column == 1 and (found.pk if found else None) != person[0]:
            wrong += 1
        if column == 2 and found is None:  # phones repeat: any holder of the number will do
            wrong += 1
        return found

    for person in people[:3]:  # warm up
        find(person)
    with CaptureQueriesContext(connection) as ctx:
        hit = find(people[0])
    wrong = 0
    times = time_each(find, people)
    result = Result(
        key=key,
        label=f"{label} ×{len(people)} distinct",
        group="lookup",
        rows=int(hit is not None),
        times_ms=times,
        queries=len(ctx.captured_queries),
        note=f"{wrong} wrong answers" if wrong else "every answer checked",
    )
    if ctx.captured_queries:
        result.sql = ctx.captured_queries[-1]["sql"]
        result.plan = explain(result.sql)
        analyse_plan(result)
    if wrong:
        result.note = f"{wrong} WRONG ANSWERS"
    return result
