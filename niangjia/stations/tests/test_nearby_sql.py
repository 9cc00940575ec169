"""The one-statement nearby search: exact whatever radius it starts from, open-now from SQL rows
honouring exceptions, filters in SQL, and the lean endpoint around it."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from niangjia.stations import selectors
from niangjia.stations.coords import haversine_m
from niangjia.stations.hours import open_at_datetime, parse_hours
from niangjia.stations.models import Station, StationException
from niangjia.stations.tests.conftest import CENTRE, make_station

SH = ZoneInfo("Asia/Shanghai")
WED_10 = datetime.datetime(2026, 1, 14, 10, 0, tzinfo=SH)
URL = "/api/v1/stations/nearby/"


@pytest.fixture(autouse=True)
def _fresh_grid():
    selectors.reset_grid()
    yield
    selectors.reset_grid()


@pytest.fixture
def spread(world):
    """200 stations: a dense centre, a sparse ring, a few far away; mixed access and amenities."""
    rng = random.Random(11)
    rows = []
    for i in range(200):
        if i < 120:
            lat, lng = CENTRE[0] + rng.gauss(0, 0.03), CENTRE[1] + rng.gauss(0, 0.04)
        elif i < 190:
            lat, lng = CENTRE[0] + rng.uniform(-1.5, 1.5), CENTRE[1] + rng.uniform(-2, 2)
        else:
            lat, lng = rng.uniform(22, 45), rng.uniform(100, 120)
        rows.append(
            Station(
                code=f"Q-{i:04d}",
                name=f"驿站{i}",
                org=world.D1,
                address="x",
                lat=lat,
                lng=lng,
                input_lat=lat,
                input_lng=lng,
                coord_system="wgs84",
                amenities={"hot_water": "2026-01-01"} if i % 3 else {"wifi": "2026-01-01"},
                hours=parse_hours("周一至周五 08:00-18:00" if i % 2 else "24小时"),
                access=Station.Access.MEMBERS if i % 5 == 0 else Station.Access.PUBLIC,
                status=Station.Status.CLOSED if i % 13 == 0 else Station.Status.OPEN,
            )
        )
    Station.objects.bulk_create(rows)
    return rows


def _scan(lat, lng, limit, *, amenity=None, access=None, radius_m=None, when=None):
    local = when.astimezone(SH) if when else None
    out = []
    for s in Station.objects.filter(status=Station.Status.OPEN):
        d = haversine_m(lat, lng, s.lat, s.lng)
        if amenity and amenity not in s.amenities:
            continue
        if access and s.access != access:
            continue
        if radius_m is not None and d > radius_m:
            continue
        if local is not None and not open_at_datetime(s.hours, local):
            continue
        out.append((d, s.pk))
    return [pk for _d, pk in sorted(out)[:limit]]


@pytest.mark.parametrize(
    "hint",
    [None, (1.0, 1.0), (1.0, 5.0), (50_000_000.0, 50_000_000.0), (300.0, 2_000_000.0)],
    ids=["grid", "tiny", "tiny-then-small", "whole-earth", "small-then-huge"],
)
def test_exact_whatever_radius_the_search_starts_from(spread, monkeypatch, hint):
    if hint is not None:
        monkeypatch.setattr(selectors, "first_radii", lambda lat, lng, limit: hint)
    rng = random.Random(3)
    for _ in range(25):
        lat, lng = CENTRE[0] + rng.uniform(-3, 3), CENTRE[1] + rng.uniform(-3, 3)
        limit = rng.choice([1, 7, 10, 50])
        got = selectors.nearby(lat, lng, limit=limit)
        assert [h.station.pk for h in got] == _scan(lat, lng, limit)
        for h in got:  # distances from SQL agree with the Python haversine
            assert h.distance_m == pytest.approx(
                haversine_m(lat, lng, h.station.lat, h.station.lng), abs=1e-6
            )


def test_a_stale_grid_still_gives_the_exact_answer(spread):
    selectors.nearby(*CENTRE)  # loads the grid
    Station.objects.filter(pk__in=[s.pk for s in spread[:120]]).update(status="suspended")
    assert [h.station.pk for h in selectors.nearby(*CENTRE, limit=10)] == _scan(*CENTRE, 10)


def test_filters_run_in_sql_and_stay_exact(spread):
    for kwargs in (
        {"amenities": ["wifi"]},
        {"access": Station.Access.MEMBERS},
        {"amenities": ["hot_water"], "access": Station.Access.PUBLIC},
        {"radius_m": 3_000.0},
    ):
        got = [h.station.pk for h in selectors.nearby(*CENTRE, limit=15, **kwargs)]
        expect = _scan(
            *CENTRE,
            15,
            amenity=(kwargs.get("amenities") or [None])[0],
            access=kwargs.get("access"),
            radius_m=kwargs.get("radius_m"),
        )
        assert got == expect, kwargs


def test_open_now_filter_with_amenity_is_exact(spread):
    saturday_noon = datetime.datetime(2026, 1, 17, 12, 0, tzinfo=SH)
    got = selectors.nearby(*CENTRE, limit=10, amenities=["wifi"], open_now=True, now=saturday_noon)
    assert [h.station.pk for h in got] == _scan(*CENTRE, 10, amenity="wifi", when=saturday_noon)
    assert all(h.open_now for h in got)


def test_open_now_value_honours_todays_exception_latest_start_wins(world):
    s = make_station(world.D1, "甲", hours=parse_hours("每天 08:00-18:00"))
    other = make_station(world.D1, "乙", lat=CENTRE[0] + 0.001)
    StationException.objects.create(
        station=s,
        kind="closure",
        start_date=datetime.date(2026, 1, 10),
        end_date=datetime.date(2026, 1, 20),
    )
    StationException.objects.create(
        station=s,
        kind="special",
        start_date=datetime.date(2026, 1, 14),
        end_date=datetime.date(2026, 1, 14),
        hours=parse_hours("每天 09:00-11:00"),
    )
    hits = {h.station.pk: h.open_now for h in selectors.nearby(*CENTRE, now=WED_10)}
    assert hits == {s.pk: True, other.pk: True}  # the special hours (started later) win
    thursday = WED_10 + datetime.timedelta(days=1)
    hits = {h.station.pk: h.open_now for h in selectors.nearby(*CENTRE, now=thursday)}
    assert hits == {s.pk: False, other.pk: True}  # back under the closure
    open_ids = [h.station.pk for h in selectors.nearby(*CENTRE, open_now=True, now=thursday)]
    assert open_ids == [other.pk]


def test_nearby_is_one_statement_once_the_grid_is_loaded(spread, django_assert_num_queries):
    selectors.nearby(*CENTRE)
    with django_assert_num_queries(1):
        hits = selectors.nearby(*CENTRE, limit=10)
    assert len(hits) == 10


def test_endpoint_runs_at_most_two_queries(world, django_assert_max_num_queries):
    make_station(world.D1, "近")
    with django_assert_max_num_queries(2):  # the density grid (first time) and the search
        r = APIClient().get(URL, {"lat": CENTRE[0], "lng": CENTRE[1], "limit": 1})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    hit = r.json()["results"][0]
    assert hit["name"] == "近"
    assert hit["type"] == "工会驿站"


def test_endpoint_throttle_answers_a_chinese_429_with_retry_after(world):
    from niangjia.stations.api import NearbyThrottle

    NearbyThrottle.THROTTLE_RATES = {"anon": "2/minute"}
    try:
        api = APIClient()
        codes = [api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1]}) for _ in range(3)]
    finally:
        del NearbyThrottle.THROTTLE_RATES
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert "请求过于频繁" in codes[2].json()["detail"]
    assert int(codes[2]["Retry-After"]) > 0


def test_endpoint_refuses_other_methods_and_is_in_the_schema(world, client):
    assert APIClient().post(URL, {}).status_code == 405
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert "/api/v1/stations/nearby/" in schema.content.decode()


@pytest.mark.postgres
def test_postgresql_search_uses_the_gist_index_and_a_prepared_statement(spread):
    """The box is answered by the partial GiST index on point(lng, lat), and the statement stays
    prepared on the connection (its generic plan skips re-planning on every request)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'station_open_point_gist'"
        )
        (indexdef,) = cursor.fetchone()
    assert "gist" in indexdef
    assert "point(lng, lat)" in indexdef
    selectors.nearby(43.88, 125.32, limit=5)
    selectors.nearby(43.89, 125.33, limit=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("stations_station" in s and "<@ box" in s for s in statements)
