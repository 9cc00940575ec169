"""Synthetic data at benchmark scale: a realistic union tree and a population with encrypted PII.

Orgs: treebeard paths, depth and numchild are computed here (with treebeard's own path helper) and
written with bulk_create, instead of 100,000 `add_child` calls that each lock and update the tree.
Siblings are numbered 1..n (in name order, so the tree also suits a `node_order_by = ["name"]`),
which is a tree treebeard itself could have built: `add_child` keeps appending after the last
child. Rows go in level by level and shuffled within a level, as a real roll-out would add them,
so heap order does not flatter path-prefix scans.

People: every ID number is a valid fictional resident ID (region of the person's union, birth date,
sequence, checksum), unique by construction; ID number and phone are encrypted and blind-indexed
with the project's own `niangjia.core.pii` functions. Rows are built (the Fernet encryption is the
cost) by worker processes and streamed into PostgreSQL with COPY by the parent.
"""

from __future__ import annotations

import datetime
import math
import multiprocessing
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from niangjia.core.demo import fake_mobile, fake_name
from niangjia.core.pii import blind_index, encrypt
from niangjia.core.validators import resident_id_checksum_char
from niangjia.orgs.models import Org, Person

L = Org.Level
A = Org.AgencyType
G = Org.GrassrootsType

# The root org's address marks a database as holding benchmark data (see run.check_target).
BENCH_MARKER = "niangjia-bench synthetic data"

PROVINCES = (
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
)
PLACE_CHARS = "安平宁河山阳东西南北新清华永丰兴泰昌德隆庆长乐福和原城江海湖林石金玉春明光正定远"
BUSINESSES = (
    "机械",
    "纺织",
    "电子",
    "物流",
    "建材",
    "食品",
    "化工",
    "科技",
    "商贸",
    "建筑",
    "能源",
)
JOINT = ("商圈", "楼宇", "市场", "行业", "园区企业")
INSTITUTIONS = ("中学", "小学", "医院", "卫生院", "镇政府", "税务所", "供电所")
AGENCY_NAMES = {
    A.COURT: "人民法院",
    A.HRSS: "人力资源和社会保障局",
    A.ARBITRATION: "劳动人事争议仲裁委员会",
    A.JUSTICE: "司法局",
    A.POLICE: "公安分局",
}


@dataclass(frozen=True)
class Shape:
    """How many orgs of each level; 100,000 gives the shape in the issue."""

    provinces: int
    cities: int
    districts: int
    streets: int
    agencies: int
    grassroots: int

    @property
    def total(self) -> int:
        return (
            1
            + self.provinces
            + self.cities
            + self.districts
            + self.streets
            + self.agencies
            + (self.grassroots)
        )


def shape_for(total: int) -> Shape:
    """1 national root, 31 provinces, ~0.34% cities, ~2.9% districts, ~40% streets and parks,
    ~1% agencies (attached to districts), the rest grassroots unions."""
    provinces = len(PROVINCES)
    cities = max(1, round(total * 0.0034))
    districts = max(1, round(total * 0.029))
    streets = max(1, round(total * 0.40))
    agencies = round(total * 0.01)
    grassroots = total - 1 - provinces - cities - districts - streets - agencies
    if grassroots < 1:
        raise ValueError(f"--orgs must be at least 100 (got {total})")
    return Shape(provinces, cities, districts, streets, agencies, grassroots)


class _Node:
    __slots__ = (
        "agency_type",
        "children",
        "depth",
        "grassroots_type",
        "kind",
        "level",
        "name",
        "numchild",
        "path",
        "place",
        "region_code",
    )

    def __init__(self, name, level, *, place="", kind="union", grassroots_type="", agency_type=""):
        self.name = name
        self.level = level
        self.place = place
        self.kind = kind
        self.grassroots_type = grassroots_type
        self.agency_type = agency_type
        self.children: list[_Node] = []
        self.path = ""
        self.depth = 0
        self.numchild = 0
        self.region_code = ""


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS)


def _spread(rng: random.Random, parents: list[_Node], children: list[_Node]) -> None:
    """Hang children under parents: each parent one first (while they last), the rest by skewed
    weights, so some districts have many streets and some few, as in life."""
    first = rng.sample(range(len(parents)), min(len(parents), len(children)))
    weights = [rng.lognormvariate(0, 0.6) for _ in parents]
    rest = rng.choices(range(len(parents)), weights=weights, k=len(children) - len(first))
    for index, child in zip(first + rest, children, strict=True):
        parents[index].children.append(child)


def _street(rng: random.Random) -> _Node:
    place = _place(rng)
    roll = rng.random()
    name = (
        f"{place}街道总工会"
        if roll < 0.6
        else f"{place}镇总工会"
        if roll < 0.85
        else f"{place}工业园区工会"
    )
    return _Node(name, L.STREET, place=place)


def _grassroots(rng: random.Random) -> _Node:
    place = _place(rng)
    kind = rng.choices((G.ENTERPRISE, G.VILLAGE, G.JOINT, G.INSTITUTION), (60, 20, 10, 10))[0]
    name = {
        G.ENTERPRISE: f"{place}{rng.choice(BUSINESSES)}有限公司工会",
        G.VILLAGE: f"{place}村工会",
        G.JOINT: f"{place}{rng.choice(JOINT)}联合工会",
        G.INSTITUTION: f"{place}{rng.choice(INSTITUTIONS)}工会",
    }[kind]
    return _Node(name, L.GRASSROOTS, place=place, grassroots_type=kind)


def _region_code(node: _Node, parent: _Node, position: int) -> str:
    """GB/T 2260-shaped codes: PP0000 for a province, PPCC00 for a city, PPCCDD for a district;
    lower nodes and agencies carry their district's code."""
    number = f"{(position - 1) % 99 + 1:02d}"
    if node.level == L.CITY:
        return f"{parent.region_code[:2]}{number}00"
    if node.level == L.DISTRICT:
        return f"{parent.region_code[:4]}{number}"
    return parent.region_code


def build_tree(total: int, seed: int) -> list[list[_Node]]:
    """The whole tree in memory, paths assigned; returned level by level (root first)."""
    rng = random.Random(seed)
    shape = shape_for(total)
    root = _Node("中华全国总工会", L.NATIONAL)
    root.path, root.depth, root.region_code = Org._get_path(None, 1, 1), 1, "110000"
    provinces = []
    for code, name in PROVINCES:
        node = _Node(f"{name}总工会", L.PROVINCE, place=name)
        node.region_code = f"{code}0000"
        provinces.append(node)
    root.children = provinces
    cities = []
    for _ in range(shape.cities):
        place = _place(rng)
        cities.append(_Node(f"{place}市总工会", L.CITY, place=place))
    _spread(rng, provinces, cities)
    districts = []
    for _ in range(shape.districts):
        place = _place(rng)
        districts.append(_Node(f"{place}{rng.choice('区区县')}总工会", L.DISTRICT, place=place))
    _spread(rng, cities, districts)
    streets = [_street(rng) for _ in range(shape.streets)]
    _spread(rng, districts, streets)
    agencies = []
    for _ in range(shape.agencies):
        agency_type = rng.choice(list(AGENCY_NAMES))
        agencies.append(_Node("", L.AGENCY, kind=Org.Kind.AGENCY, agency_type=agency_type))
    for agency in agencies:  # ~1 in 3 districts has one or more partner agencies
        district = rng.choice(districts)
        agency.name = f"{district.place}{AGENCY_NAMES[agency.agency_type]}"
        district.children.append(agency)
    _spread(rng, streets, [_grassroots(rng) for _ in range(shape.grassroots)])

    levels: list[list[_Node]] = [[root]]
    while levels[-1]:
        below: list[_Node] = []
        for parent in levels[-1]:
            # siblings in name order: what node_order_by = ["name"] would give (C-collation
            # order is code-point order, Python's str order), and harmless without it
            parent.children.sort(key=lambda n: n.name)
            parent.numchild = len(parent.children)
            for position, child in enumerate(parent.children, start=1):
                child.depth = parent.depth + 1
                child.path = Org._get_path(parent.path, child.depth, position)
                if not child.region_code:
                    child.region_code = _region_code(child, parent, position)
            below.extend(parent.children)
        levels.append(below)
    levels.pop()
    assert sum(map(len, levels)) == total, (sum(map(len, levels)), total)
    return levels


def generate_orgs(total: int, *, seed: int = 2025, batch_size: int = 5000) -> dict[str, float]:
    """Build and insert the tree; returns timings in seconds."""
    started = time.perf_counter()
    levels = build_tree(total, seed)
    built = time.perf_counter()
    rng = random.Random(seed + 1)
    with transaction.atomic():
        for level in levels:
            rows = [
                Org(
                    path=n.path,
                    depth=n.depth,
                    numchild=n.numchild,
                    name=n.name,
                    kind=n.kind,
                    level=n.level,
                    grassroots_type=n.grassroots_type,
                    agency_type=n.agency_type,
                    region_code=n.region_code,
                    address=BENCH_MARKER if n.depth == 1 else "",
                )
                for n in level
            ]
            rng.shuffle(rows)
            Org.objects.bulk_create(rows, batch_size=batch_size)
    done = time.perf_counter()
    return {"build_s": built - started, "insert_s": done - built, "total_s": done - started}


# --- people ------------------------------------------------------------------------------------

_BIRTH_FIRST = datetime.date(1965, 1, 1)  # ages 18 to 60 on 2025-01-01
_BIRTH_DAYS = (datetime.date(2006, 12, 31) - _BIRTH_FIRST).days + 1
_DAY_STRIDE = 7919  # a prime not dividing _BIRTH_DAYS: i -> day is a permutation in each block
assert math.gcd(_DAY_STRIDE, _BIRTH_DAYS) == 1
MAX_PEOPLE = _BIRTH_DAYS * 1000


def resident_id(i: int, region: str) -> tuple[str, datetime.date, str]:
    """The i-th fictional ID number: (birth date, sequence) is unique per i, whatever the region.

    Within each block of _BIRTH_DAYS people the birth dates are a permutation of all days; the
    block number, scrambled bijectively over 0..999, is the 3-digit sequence (its last digit is
    the sex digit: odd for men)."""
    if not 0 <= i < MAX_PEOPLE:
        raise ValueError(f"at most {MAX_PEOPLE} unique fictional IDs")
    block, offset = divmod(i, _BIRTH_DAYS)
    birth = _BIRTH_FIRST + datetime.timedelta(days=offset * _DAY_STRIDE % _BIRTH_DAYS)
    sequence = (block * 737 + 123) % 1000
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    gender = Person.Gender.MALE if sequence % 2 else Person.Gender.FEMALE
    return body + resident_id_checksum_char(body), birth, gender


PERSON_COLUMNS = (
    "created_at",
    "updated_at",
    "name",
    "gender",
    "birth_date",
    "id_number_encrypted",
    "id_number_hash",
    "phone_encrypted",
    "phone_hash",
    "org_id",
)

_WORKER: dict = {}


def _init_worker(org_ids, org_regions, seed, stamp, date_adapter) -> None:
    _WORKER.update(
        org_ids=org_ids, org_regions=org_regions, seed=seed, stamp=stamp, date=date_adapter
    )


def _people_rows(bounds: tuple[int, int]) -> list[tuple]:
    start, end = bounds
    w = _WORKER
    rng = random.Random(f"{w['seed']}:{start}")  # deterministic whatever the worker count
    org_ids, regions, stamp, adapt_date = w["org_ids"], w["org_regions"], w["stamp"], w["date"]
    rows = []
    for i in range(start, end):
        k = rng.randrange(len(org_ids))
        id_number, birth, gender = resident_id(i, regions[k])
        phone = fake_mobile(rng)
        rows.append(
            (
                stamp,
                stamp,
                fake_name(rng),
                gender,
                adapt_date(birth),
                encrypt(id_number),
                blind_index(id_number),
                encrypt(phone),
                blind_index(phone),
                org_ids[k],
            )
        )
    return rows


def _write_rows(chunks: Iterable[list[tuple]], progress: Callable[[int], None]) -> None:
    table = connection.ops.quote_name(Person._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PERSON_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for rows in chunks:
                    for row in rows:
                        copy.write_row(row)
                    written += len(rows)
                    progress(written)
        else:
            marks = ", ".join(["%s"] * len(PERSON_COLUMNS))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for rows in chunks:
                cursor.executemany(sql, rows)
                written += len(rows)
                progress(written)


def generate_people(
    count: int,
    *,
    seed: int = 2025,
    workers: int = 2,
    chunk: int = 10_000,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, float]:
    """Insert `count` people, each registered at a random grassroots union; timings in seconds."""
    started = time.perf_counter()
    grassroots = list(
        Org.objects.filter(level=L.GRASSROOTS).order_by("pk").values_list("pk", "region_code")
    )
    if not grassroots:
        raise RuntimeError("generate the orgs first")
    org_ids = [pk for pk, _ in grassroots]
    org_regions = [region for _, region in grassroots]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    initargs = (org_ids, org_regions, seed, stamp, connection.ops.adapt_datefield_value)
    bounds = [(s, min(s + chunk, count)) for s in range(0, count, chunk)]
    if workers > 1:
        # fork with no open connection: the children only compute rows, the parent writes them
        if connection.in_atomic_block:
            raise RuntimeError("generate_people(workers > 1) cannot run inside a transaction")
        connection.close()
        pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, initargs)
        try:
            with transaction.atomic():
                _write_rows(pool.imap(_people_rows, bounds), progress)
        finally:
            pool.close()
            pool.join()
    else:
        _init_worker(*initargs)
        with transaction.atomic():
            _write_rows(map(_people_rows, bounds), progress)
    return {"total_s": time.perf_counter() - started}


# --- checks ------------------------------------------------------------------------------------


def tree_problems() -> dict[str, int]:
    """Whole-tree consistency in three set-based queries (treebeard's find_problems runs two
    queries per node, too slow for 100,000 nodes): wrong depth, orphans, wrong numchild."""
    t = connection.ops.quote_name(Org._meta.db_table)
    step = Org.steplen
    sql = {
        "wrong_depth": f"SELECT COUNT(*) FROM {t} WHERE depth * {step} <> LENGTH(path)",
        "orphans": f"""SELECT COUNT(*) FROM {t} c WHERE c.depth > 1 AND NOT EXISTS (
            SELECT 1 FROM {t} p WHERE p.path = SUBSTR(c.path, 1, LENGTH(c.path) - {step}))""",
        "wrong_numchild": f"""SELECT COUNT(*) FROM {t} p LEFT JOIN (
            SELECT SUBSTR(path, 1, LENGTH(path) - {step}) AS parent, COUNT(*) AS n
            FROM {t} WHERE depth > 1 GROUP BY SUBSTR(path, 1, LENGTH(path) - {step})
        ) c ON c.parent = p.path WHERE p.numchild <> COALESCE(c.n, 0)""",
        # the kind/level/agency_type CheckConstraint holds, and agencies hang off districts only
        "misplaced_agencies": f"""SELECT COUNT(*) FROM {t} a JOIN {t} p
            ON p.path = SUBSTR(a.path, 1, LENGTH(a.path) - {step})
            WHERE a.kind = 'agency' AND p.level <> 'district'""",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, query in sql.items():
            cursor.execute(query)
            found[name] = cursor.fetchone()[0]
    return found


def level_counts() -> dict[str, int]:
    rows = Org.objects.values("level").annotate(n=Count("pk")).order_by()
    counts = {row["level"]: row["n"] for row in rows}
    counts["people"] = Person.objects.count()
    counts["people_at_grassroots"] = Person.objects.filter(org__level=L.GRASSROOTS).count()
    return counts
