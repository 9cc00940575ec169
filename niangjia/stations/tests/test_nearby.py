from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

import pytest

from niangjia.stations import selectors
from niangjia.stations.hours import parse_hours
from niangjia.stations.models import Station, StationException
from niangjia.stations.tests.conftest import CENTRE, make_station

SH = ZoneInfo("Asia/Shanghai")
# a Wednesday, 10:00 in 长春
WED_10 = datetime.datetime(2026, 1, 14, 10, 0, tzinfo=SH)


@pytest.fixture
def scattered(world):
    """300 stations: a dense city centre, a sparse ring and a few far away (other provinces)."""
    rng = random.Random(5)
    rows = []
    for i in range(300):
        if i < 200:
            lat, lng = CENTRE[0] + rng.gauss(0, 0.03), CENTRE[1] + rng.gauss(0, 0.04)
        elif i < 290:
            lat, lng = CENTRE[0] + rng.uniform(-1.5, 1.5), CENTRE[1] + rng.uniform(-2, 2)
        else:
            lat, lng = rng.uniform(22, 45), rng.uniform(100, 120)
        amenities = {"hot_water": "2026-01-01"} if i % 3 == 0 else {"seating": "2026-01-01"}
        rows.append(
            Station(
                code=f"S-{i:04d}",
                name=f"驿站{i}",
                org=world.D1,
                address="x",
                lat=lat,
                lng=lng,
                input_lat=lat,
                input_lng=lng,
                coord_system="wgs84",
                amenities=amenities,
                hours=parse_hours("周一至周五 08:00-18:00" if i % 2 else "24小时"),
                status=Station.Status.SUSPENDED if i % 17 == 0 else Station.Status.OPEN,
            )
        )
    Station.objects.bulk_create(rows)
    return rows


def _full_scan(lat, lng, limit, radius_m=None, amenity=None, when=None):
    from niangjia.stations.coords import haversine_m

    local = when.astimezone(SH) if when else None
    out = []
    for s in Station.objects.filter(status=Station.Status.OPEN):
        if amenity and amenity not in s.amenities:
            continue
        d = haversine_m(lat, lng, s.lat, s.lng)
        if radius_m is not None and d > radius_m:
            continue
        if local is not None:
            from niangjia.stations.hours import open_at_datetime

            if not open_at_datetime(s.hours, local):
                continue
        out.append((d, s.pk))
    return [pk for _d, pk in sorted(out)[:limit]]


def test_nearby_equals_a_full_scan_from_many_points(scattered):
    rng = random.Random(9)
    for _ in range(60):
        lat, lng = CENTRE[0] + rng.uniform(-3, 3), CENTRE[1] + rng.uniform(-3, 3)
        limit = rng.choice([1, 5, 10, 50])
        got = [h.station.pk for h in selectors.nearby(lat, lng, limit=limit)]
        assert got == _full_scan(lat, lng, limit)
        assert got == [pk for _d, pk in selectors.nearby_brute_force(lat, lng, limit=limit)]


def test_nearby_is_sorted_by_distance_and_reports_it(scattered):
    hits = selectors.nearby(*CENTRE, limit=20)
    distances = [h.distance_m for h in hits]
    assert distances == sorted(distances)
    assert len(hits) == 20


def test_radius_limits_the_answer_exactly(scattered):
    hits = selectors.nearby(*CENTRE, limit=50, radius_m=1500)
    assert [h.station.pk for h in hits] == _full_scan(*CENTRE, 50, radius_m=1500)
    assert all(h.distance_m <= 1500 for h in hits)


def test_amenity_filter_matches_a_filtered_full_scan(scattered):
    hits = selectors.nearby(*CENTRE, limit=10, amenities=["hot_water"])
    assert [h.station.pk for h in hits] == _full_scan(*CENTRE, 10, amenity="hot_water")
    assert all("hot_water" in h.station.amenities for h in hits)


def test_open_now_filter_uses_shanghai_time(scattered):
    saturday_noon = datetime.datetime(2026, 1, 17, 4, 0, tzinfo=datetime.UTC)  # 12:00 in 长春
    hits = selectors.nearby(*CENTRE, limit=10, open_now=True, now=saturday_noon)
    assert [h.station.pk for h in hits] == _full_scan(*CENTRE, 10, when=saturday_noon)
    assert all(h.open_now for h in hits)
    assert all(h.station.hours == parse_hours("24小时") for h in hits)


def test_a_far_away_point_still_finds_the_nearest(scattered):
    hits = selectors.nearby(20.0, 110.0, limit=3)  # 海南: only the scattered few are anywhere near
    assert [h.station.pk for h in hits] == _full_scan(20.0, 110.0, 3)


def test_suspended_and_closed_stations_are_not_listed(world):
    make_station(world.D1, "暂停", status=Station.Status.SUSPENDED)
    make_station(world.D1, "关闭", status=Station.Status.CLOSED)
    assert selectors.nearby(*CENTRE, limit=10) == []


def test_a_closure_exception_makes_the_station_closed_that_day(world):
    s = make_station(world.D1, "甲")
    StationException.objects.create(
        station=s,
        kind="closure",
        start_date=datetime.date(2026, 1, 14),
        end_date=datetime.date(2026, 1, 15),
    )
    assert selectors.open_now_map([s], WED_10)[s.pk] is False
    assert selectors.open_now_map([s], WED_10 + datetime.timedelta(days=2))[s.pk] is True
    assert selectors.nearby(*CENTRE, open_now=True, now=WED_10) == []


def test_special_hours_replace_the_weekly_hours(world):
    s = make_station(world.D1, "甲", hours=parse_hours("每天 08:00-18:00"))
    StationException.objects.create(
        station=s,
        kind="special",
        start_date=datetime.date(2026, 1, 14),
        end_date=datetime.date(2026, 1, 14),
        hours=parse_hours("每天 12:00-14:00"),
    )
    assert selectors.open_now_map([s], WED_10)[s.pk] is False
    assert selectors.open_now_map([s], WED_10.replace(hour=13))[s.pk] is True


def test_nearby_runs_few_queries(scattered, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        selectors.nearby(*CENTRE, limit=10)
