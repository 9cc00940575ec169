"""Reads for the stations module: the exact nearby search, scoped lists and the figures."""

from __future__ import annotations

import datetime
import functools
import json
import math
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from niangjia.core.permissions import Perm, filter_for
from niangjia.stations import coords
from niangjia.stations.hours import open_at_datetime
from niangjia.stations.models import (
    Checkin,
    Rating,
    Report,
    Station,
    StationEvent,
    StationException,
    Tally,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_LIMIT = 50
MAX_RADIUS_KM = 500
# beyond this the box is no longer selective: scan everything once instead of growing further
FULL_SCAN_RADIUS_M = 3_000_000.0


# --- open now -----------------------------------------------------------------------------------


def exceptions_on(station_ids: list[int], day: datetime.date) -> dict[int, StationException]:
    """The exception in force on `day` for each station that has one (latest-starting wins)."""
    if not station_ids:
        return {}
    found: dict[int, StationException] = {}
    qs = StationException.objects.filter(
        station_id__in=station_ids, start_date__lte=day, end_date__gte=day
    ).order_by("start_date", "pk")
    for exc in qs.only("station_id", "hours", "start_date"):
        found[exc.station_id] = exc
    return found


def is_open(station, local: datetime.datetime, exception: StationException | None) -> bool:
    if getattr(station, "status", Station.Status.OPEN) != Station.Status.OPEN:
        return False
    rules = station.hours if exception is None else exception.hours
    return open_at_datetime(rules, local)


def open_now_map(stations: list, now: datetime.datetime | None = None) -> dict[int, bool]:
    """Station id -> open right now (Asia/Shanghai), honouring today's exceptions. One query."""
    local = (now or timezone.now()).astimezone(SHANGHAI)
    excs = exceptions_on([s.pk for s in stations], local.date())
    return {s.pk: is_open(s, local, excs.get(s.pk)) for s in stations}


# --- nearby -------------------------------------------------------------------------------------


@dataclass(slots=True)
class NearbyStation:
    """The display columns of a station in a nearby answer (no model instance is built)."""

    id: int
    code: str
    name: str
    type: str
    address: str
    lat: float
    lng: float
    amenities: dict
    hours: list
    status: str = Station.Status.OPEN

    @property
    def pk(self) -> int:
        return self.id

    def get_type_display(self) -> str:
        return str(Station.Type(self.type).label) if self.type in TYPES else self.type

    @property
    def gcj02(self) -> tuple[float, float]:
        return coords.wgs84_to_gcj02(self.lat, self.lng)


TYPES = frozenset(Station.Type.values)


@dataclass(slots=True)
class Nearby:
    station: NearbyStation
    distance_m: float
    open_now: bool


def public_stations() -> QuerySet[Station]:
    return Station.objects.filter(status=Station.Status.OPEN)


# The great-circle distance in SQL, written term for term as coords.haversine_m computes it (same
# libm functions, same order of operations), so SQL and Python agree to the last bit or so.
# Parameters: radians(lat0), cos(radians(lat0)), lng0.
_HAVERSINE = (
    "(2 * {r} * ASIN({least}(1.0, SQRT("
    "POWER(SIN((RADIANS(s.lat) - %s) / 2), 2)"
    " + %s * COS(RADIANS(s.lat)) * POWER(SIN(RADIANS(s.lng - %s) / 2), 2)))))"
)
# today's exception (latest-starting wins), looked up for the returned rows only
_EXCEPTION = (
    "(SELECT e.hours FROM stations_stationexception e WHERE e.station_id = t.id"
    " AND e.start_date <= %s AND e.end_date >= %s ORDER BY e.start_date DESC, e.id DESC LIMIT 1)"
)
_COLUMNS = "s.id, s.code, s.name, s.type, s.address, s.lat, s.lng, s.amenities, s.hours"
_SQL_CACHE: dict[tuple, str] = {}


def _nearby_sql(vendor: str, *, box: bool, amenities: int, access: bool, limited: bool) -> str:
    """ONE statement: the open stations in the box (an index range scan on (lat, lng)), their
    exact distance computed in SQL, those within the radius nearest first (ties on id, at most
    `limit` unless the caller filters further), their display columns and today's opening-hours
    exception. Parameters: today, today, radians(lat0), cos(radians(lat0)), lng0, [min_lat,
    max_lat, min_lng, max_lng], amenity keys…, [access], radius, [limit]."""
    key = (vendor, box, amenities, access, limited)
    sql = _SQL_CACHE.get(key)
    if sql is not None:
        return sql
    least = "LEAST" if vendor == "postgresql" else "MIN"
    dist = _HAVERSINE.format(r=repr(coords.EARTH_RADIUS_M), least=least)
    where = ["s.status = 'open'"]
    if box and vendor == "postgresql":
        # the partial GiST index on point(lng, lat) (migration 00xx) answers a 2-D box directly
        where.append("point(s.lng, s.lat) <@ box(point(%s, %s), point(%s, %s))")
    elif box:
        where.append("s.lat >= %s AND s.lat <= %s AND s.lng >= %s AND s.lng <= %s")
    has_key = (
        "s.amenities ? %s" if vendor == "postgresql" else "JSON_TYPE(s.amenities, %s) IS NOT NULL"
    )
    where += [has_key] * amenities
    if access:
        where.append("s.access = %s")
    # only the constant fragments above are joined into the SQL; every value is a parameter
    conditions = " AND ".join(where)
    inner = (
        f"SELECT * FROM (SELECT {_COLUMNS}, {dist} AS d FROM stations_station s"  # noqa: S608
        f" WHERE {conditions}) s WHERE s.d <= %s ORDER BY s.d, s.id"
    )
    if limited:
        inner += " LIMIT %s"
    sql = _SQL_CACHE[key] = f"SELECT t.*, {_EXCEPTION} FROM ({inner}) t ORDER BY t.d, t.id"  # noqa: S608
    return sql


# --- where to start: a coarse density grid --------------------------------------------------------
# The search is exact whatever radius it starts from; a good start makes it one statement instead
# of several. Each process keeps the count of open stations per GRID_DEG × GRID_DEG cell (one
# GROUP BY, refreshed every GRID_TTL_S seconds). A stale or empty grid only costs extra tries.

GRID_DEG = 0.1
GRID_TTL_S = 300.0
GRID_MAX_RING = 40
LIKELY_FACTOR = 1.5  # aim the first box at 1.5 × `limit` stations by the local density
_GRID: dict = {"at": -math.inf, "alias": None, "cells": {}}


def _grid() -> dict[tuple[int, int], int]:
    now = time.monotonic()
    if now - _GRID["at"] > GRID_TTL_S or _GRID["alias"] != connection.alias:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT FLOOR(lat / %s), FLOOR(lng / %s), COUNT(*) FROM stations_station"
                " WHERE status = 'open' GROUP BY 1, 2",
                [GRID_DEG, GRID_DEG],
            )
            cells = {(int(a), int(b)): n for a, b, n in cursor.fetchall()}
        _GRID.update(at=now, alias=connection.alias, cells=cells)
    return _GRID["cells"]


def reset_grid() -> None:
    """Forget the density grid (tests; after a bulk import)."""
    _GRID.update(at=-math.inf, alias=None, cells={})


def first_radii(lat: float, lng: float, limit: int) -> tuple[float, float]:
    """(a radius likely to hold `limit` open stations, one that holds them if the grid is
    current): from the smallest square of cells around the point holding `limit` stations, the
    density there and the distance to the square's farthest corner."""
    cells = _grid()
    ci, cj = math.floor(lat / GRID_DEG), math.floor(lng / GRID_DEG)
    count = cells.get((ci, cj), 0)
    ring = 0
    while count < limit and ring < GRID_MAX_RING:
        ring += 1
        for j in range(cj - ring, cj + ring + 1):
            count += cells.get((ci - ring, j), 0) + cells.get((ci + ring, j), 0)
        for i in range(ci - ring + 1, ci + ring):
            count += cells.get((i, cj - ring), 0) + cells.get((i, cj + ring), 0)
    lat0, lat1 = (ci - ring) * GRID_DEG, (ci + ring + 1) * GRID_DEG
    lng0, lng1 = (cj - ring) * GRID_DEG, (cj + ring + 1) * GRID_DEG
    sure = max(coords.haversine_m(lat, lng, a, b) for a in (lat0, lat1) for b in (lng0, lng1))
    if count < limit:
        return sure, sure * 2
    area = coords.haversine_m(lat0, lng, lat1, lng) * coords.haversine_m(
        (lat0 + lat1) / 2, lng0, (lat0 + lat1) / 2, lng1
    )
    likely = math.sqrt(LIKELY_FACTOR * limit * area / (math.pi * count))
    return min(max(likely, 200.0), sure), sure


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True)

    return PreparedCursor


def _search_cursor():
    """A cursor for the search statement. On PostgreSQL (unless prepared statements are turned off
    in settings) it binds server-side and keeps the statement prepared: with the GiST index the
    generic plan is as good as a custom one, and skipping the planner takes the statement from
    ~0.4 to ~0.1 ms. It goes through Django's cursor wrapper, so errors, query logging and
    assertNumQueries behave as for any other query."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        return connection.cursor()
    cursor = _prepared_cursor_class()(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _search(
    lat: float,
    lng: float,
    *,
    limit: int,
    radius_m: float | None,
    amenities: list[str],
    open_now: bool,
    access: str | None,
    now: datetime.datetime | None,
) -> list[Nearby]:
    """The exact search: one SQL statement per radius tried (usually one)."""
    vendor = connection.vendor
    local = (now or timezone.now()).astimezone(SHANGHAI)
    today = local.date() if vendor == "postgresql" else local.date().isoformat()
    p1 = math.radians(lat)
    head = [today, today, p1, math.cos(p1), lng]
    keys = amenities if vendor == "postgresql" else [f'$."{a}"' for a in amenities]
    tail = [*keys, *([access] if access else [])]
    cap = radius_m if radius_m is not None else math.inf
    likely, sure = first_radii(lat, lng, limit)
    tries = [min(likely, cap)]
    if sure > likely and not (amenities or access or open_now):
        tries.append(min(sure, cap))
    r = tries.pop(0)
    with _search_cursor() as cursor:
        while True:
            full = r >= FULL_SCAN_RADIUS_M
            sql = _nearby_sql(
                vendor, box=not full, amenities=len(keys), access=bool(access), limited=not open_now
            )
            box = [] if full else list(coords.bounding_box(lat, lng, r))
            if box and vendor == "postgresql":
                box = [box[2], box[0], box[3], box[1]]  # corners as (lng, lat) points
            params = [*head, *box, *tail, cap if full else r]
            if full and cap == math.inf:
                params[-1] = 1e12
            if not open_now:
                params.append(limit)
            cursor.execute(sql, params)
            hits = []
            for row in cursor.fetchall():
                hours, exc = _json(row[8]), _json(row[10])
                is_open_now = open_at_datetime(hours if exc is None else exc, local)
                if open_now and not is_open_now:
                    continue
                station = NearbyStation(*row[:7], _json(row[7]), hours)
                hits.append(Nearby(station, row[9], is_open_now))
                if len(hits) == limit:
                    break
            if len(hits) >= limit or full or r >= cap:
                return hits
            if tries:
                r = tries.pop(0)
                continue
            grow = 4.0 if not hits else min(4.0, max(1.5, 1.3 * math.sqrt(limit / len(hits))))
            r = min(r * grow, cap)


def nearby(
    lat: float,
    lng: float,
    *,
    limit: int = 10,
    radius_m: float | None = None,
    amenities: list[str] | None = None,
    open_now: bool = False,
    access: str | None = None,
    now: datetime.datetime | None = None,
) -> list[Nearby]:
    """The `limit` nearest public stations to (lat, lng) (WGS-84) by great-circle distance,
    exactly, nearest first, with their display columns and open-now state (Asia/Shanghai,
    honouring today's exception).

    A bounding box around a circle of radius r contains every station within r, so once the box
    yields `limit` matches no farther than r, no station outside the box can beat them (it is
    farther than r). Otherwise r grows (by the density seen so far, at least ×1.5, at most ×4)
    and the box is queried again, up to the radius asked for; past a continental radius one
    unbounded scan finishes the job. Ties break on id, so the answer equals a full scan sorted by
    (distance, id). Each try is ONE SQL statement (box on the (lat, lng) index, haversine, order,
    limit, display columns, today's exception); no model instance is built. With `open_now` the
    hours are checked in Python over the box's rows in distance order."""
    return _search(
        lat,
        lng,
        limit=limit,
        radius_m=radius_m,
        amenities=list(amenities or []),
        open_now=open_now,
        access=access,
        now=now,
    )


def nearby_ranked(lat: float, lng: float, **kwargs) -> list[tuple[float, int]]:
    """(distance in metres, station id) of the exact nearest stations (see nearby)."""
    return [(h.distance_m, h.station.id) for h in nearby(lat, lng, **kwargs)]


def nearby_brute_force(
    lat: float, lng: float, *, limit: int = 10, radius_m: float | None = None
) -> list[tuple[float, int]]:
    """The reference answer: every public station, distance computed for each (bench and tests)."""
    rows = public_stations().values_list("pk", "lat", "lng")
    hits = sorted(
        (coords.haversine_m(lat, lng, la, ln), pk) for pk, la, ln in rows.iterator(chunk_size=5000)
    )
    if radius_m is not None:
        hits = [h for h in hits if h[0] <= radius_m]
    return hits[:limit]


# --- staff lists --------------------------------------------------------------------------------


def station_list(
    user,
    *,
    search: str = "",
    status: str = "",
    org_id: int | None = None,
    flagged: bool = False,
    perm: Perm = Perm.STATION_VIEW,
) -> QuerySet[Station]:
    """Stations in the user's scope, with their operating org and an open-reports count."""
    qs = filter_for(user, perm, Station.objects.all()).select_related("org", "host_enterprise")
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(code__icontains=search.upper())
            | Q(address__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    if org_id:
        from niangjia.orgs.models import Org

        org = Org.objects.filter(pk=org_id).first()
        qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
    open_reports = Report.objects.filter(station=OuterRef("pk"), status=Report.Status.OPEN)
    qs = qs.annotate(flagged=Exists(open_reports))
    if flagged:
        qs = qs.filter(flagged=True)
    return qs.order_by("org__path", "name", "pk")


def report_list(user, *, status: str = Report.Status.OPEN) -> QuerySet[Report]:
    qs = filter_for(user, Perm.STATION_VIEW, Report.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("station", "station__org", "resolved_by").order_by("-created_at")


# --- figures ------------------------------------------------------------------------------------


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    totals: dict
    per_day: list[dict]
    busiest: list[dict]
    per_district: list[dict]
    best_rated: list[dict]


def _day_bounds(start: datetime.date, end: datetime.date):
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=SHANGHAI)
    hi = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
    )
    return lo, hi


def figures(
    user, *, start: datetime.date, end: datetime.date, station: Station | None = None, top: int = 10
) -> Figures:
    """Visits (QR check-ins + staff tallies + people served at events) per day, per station and
    per district, and ratings, over the user's scope (or one station). A constant number of
    queries whatever the size of the scope."""
    stations = filter_for(user, Perm.STATION_VIEW, Station.objects.all())
    if station is not None:
        stations = stations.filter(pk=station.pk)
    ids = stations.values("pk")
    lo, hi = _day_bounds(start, end)
    checkins = Checkin.objects.filter(station__in=ids, at__gte=lo, at__lt=hi)
    tallies = Tally.objects.filter(station__in=ids, date__gte=start, date__lte=end)
    events = StationEvent.objects.filter(station__in=ids, date__gte=start, date__lte=end)

    per_day: dict[datetime.date, dict] = {}

    def bucket(day):
        return per_day.setdefault(day, {"date": day, "checkins": 0, "tallies": 0, "served": 0})

    for row in (
        checkins.annotate(day=TruncDate("at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(n=Count("pk"))
    ):
        bucket(row["day"])["checkins"] += row["n"]
    for row in tallies.values("date").annotate(n=Sum("visits")):
        bucket(row["date"])["tallies"] += row["n"]
    for row in events.values("date").annotate(n=Sum("served")):
        bucket(row["date"])["served"] += row["n"]
    days = []
    for day in sorted(per_day):
        b = per_day[day]
        b["total"] = b["checkins"] + b["tallies"] + b["served"]
        days.append(b)

    per_station: dict[int, int] = {}
    for qs, agg in ((checkins, Count("pk")), (tallies, Sum("visits")), (events, Sum("served"))):
        for row in qs.values("station_id").annotate(n=agg):
            per_station[row["station_id"]] = per_station.get(row["station_id"], 0) + row["n"]
    info = {
        s["pk"]: s
        for s in stations.values("pk", "name", "code", "org_id", "org__name", "org__path")
    }
    busiest = sorted(
        ({"station": info[pk], "visits": n} for pk, n in per_station.items() if pk in info),
        key=lambda r: (-r["visits"], r["station"]["name"]),
    )[:top]

    # districts: the operating org of each station (the demo's districts operate their stations)
    district: dict[int, dict] = {}
    station_counts = stations.values("org_id", "org__name").annotate(n=Count("pk"))
    for row in station_counts:
        district[row["org_id"]] = {"org": row["org__name"], "stations": row["n"], "visits": 0}
    for pk, n in per_station.items():
        if pk in info:
            district[info[pk]["org_id"]]["visits"] += n
    ratings = Rating.objects.filter(station__in=ids)
    rating_rows = list(ratings.values("station_id").annotate(n=Count("pk"), avg=Sum("score")))
    best = sorted(
        (
            {"station": info[r["station_id"]], "count": r["n"], "average": r["avg"] / r["n"]}
            for r in rating_rows
            if r["station_id"] in info
        ),
        key=lambda r: (-r["average"], -r["count"]),
    )[:top]
    total_ratings = sum(r["n"] for r in rating_rows)
    totals = {
        "stations": sum(d["stations"] for d in district.values()),
        "visits": sum(per_station.values()),
        "checkins": sum(d["checkins"] for d in days),
        "tallies": sum(d["tallies"] for d in days),
        "served": sum(d["served"] for d in days),
        "ratings": total_ratings,
        "average_rating": (
            sum(r["avg"] for r in rating_rows) / total_ratings if total_ratings else None
        ),
        "open_reports": Report.objects.filter(station__in=ids, status=Report.Status.OPEN).count(),
    }
    per_district = sorted(district.values(), key=lambda d: -d["visits"])
    return Figures(start, end, totals, days, busiest, per_district, best)
