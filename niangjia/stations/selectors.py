"""Reads for the stations module: the exact nearby search, scoped lists and the figures."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

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
FIRST_RADIUS_M = 2_000.0  # a city has a station every few hundred metres; the box grows ×4
# beyond this the box is no longer selective: scan everything once instead of growing further
FULL_SCAN_RADIUS_M = 3_000_000.0
NEARBY_FIELDS = ("id", "code", "name", "type", "address", "lat", "lng", "amenities", "hours")


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


@dataclass
class Nearby:
    station: Station
    distance_m: float
    open_now: bool


def public_stations() -> QuerySet[Station]:
    return Station.objects.filter(status=Station.Status.OPEN)


def _filtered(qs: QuerySet, amenities: list[str], access: str | None) -> QuerySet:
    for code in amenities:
        qs = qs.filter(amenities__has_key=code)
    if access:
        qs = qs.filter(access=access)
    return qs


def nearby_ranked(
    lat: float,
    lng: float,
    *,
    limit: int = 10,
    radius_m: float | None = None,
    amenities: list[str] | None = None,
    open_now: bool = False,
    access: str | None = None,
    now: datetime.datetime | None = None,
    base: QuerySet | None = None,
) -> list[tuple[float, int]]:
    """(distance in metres, station id) of the `limit` nearest stations to (lat, lng) (WGS-84)
    by great-circle distance, exactly, nearest first.

    A bounding box around a circle of radius r contains every station within r, so once the box
    yields `limit` matches no farther than r, no station outside the box can beat them (it is
    farther than r). Otherwise r grows (by the density seen so far, at least ×1.5, at most ×4)
    and the box is queried again, up to the radius asked for; past a continental radius one
    unbounded scan finishes the job. Ties break on id, so the answer equals a full scan sorted by
    (distance, id). Only (id, lat, lng) come back from the index range scan: model instances are
    built for the winners only.
    """
    local = (now or timezone.now()).astimezone(SHANGHAI)
    qs = _filtered(base if base is not None else public_stations(), amenities or [], access)
    columns = ("pk", "lat", "lng", "hours") if open_now else ("pk", "lat", "lng")
    cap = radius_m if radius_m is not None else math.inf
    r = min(FIRST_RADIUS_M, cap)
    excs: dict[int, StationException] = {}
    while True:
        full = r >= FULL_SCAN_RADIUS_M
        if full:
            rows = list(qs.values_list(*columns))
        else:
            min_lat, max_lat, min_lng, max_lng = coords.bounding_box(lat, lng, r)
            rows = list(
                qs.filter(
                    lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng
                ).values_list(*columns)
            )
        reach = math.inf if full else r
        hits = []
        for row in rows:
            d = coords.haversine_m(lat, lng, row[1], row[2])
            if d <= reach and d <= cap:
                hits.append((d, row[0], row))
        if open_now and hits:
            excs = exceptions_on([h[1] for h in hits], local.date())
            hits = [
                h
                for h in hits
                if open_at_datetime(excs[h[1]].hours if h[1] in excs else h[2][3], local)
            ]
        if len(hits) >= limit or full or r >= cap:
            hits.sort(key=lambda h: (h[0], h[1]))
            return [(d, pk) for d, pk, _row in hits[:limit]]
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
    base: QuerySet | None = None,
) -> list[Nearby]:
    """The exact nearest stations (see nearby_ranked) with their rows and open-now state."""
    ranked = nearby_ranked(
        lat,
        lng,
        limit=limit,
        radius_m=radius_m,
        amenities=amenities,
        open_now=open_now,
        access=access,
        now=now,
        base=base,
    )
    if not ranked:
        return []
    local = (now or timezone.now()).astimezone(SHANGHAI)
    today = local.date()
    has_exception = StationException.objects.filter(
        station=OuterRef("pk"), start_date__lte=today, end_date__gte=today
    )
    rows = {
        s.pk: s
        for s in Station.objects.filter(pk__in=[pk for _d, pk in ranked])
        .only(*NEARBY_FIELDS, "status")
        .annotate(has_exception=Exists(has_exception))
    }
    flagged = [pk for pk, s in rows.items() if s.has_exception]
    excs = exceptions_on(flagged, today) if flagged else {}
    return [Nearby(rows[pk], d, is_open(rows[pk], local, excs.get(pk))) for d, pk in ranked]


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
    qs = filter_for(user, perm, Station.objects.all()).select_related("org")
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
