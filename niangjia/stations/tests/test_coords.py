from __future__ import annotations

import random

import pytest

from niangjia.stations import coords


def test_gcj02_round_trip_is_under_a_metre_across_china():
    rng = random.Random(1)
    worst = 0.0
    for _ in range(3000):
        lat, lng = rng.uniform(18.2, 53.5), rng.uniform(73.7, 134.9)
        back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lat, lng))
        worst = max(worst, coords.haversine_m(lat, lng, *back))
    assert worst < 1.0


def test_gcj02_offset_matches_the_reference_algorithm_in_changchun():
    # eviltransform's wgs2gcj for 人民广场: a shift of a few hundred metres to the north-east
    glat, glng = coords.wgs84_to_gcj02(43.8868, 125.3245)
    assert glat == pytest.approx(43.889214, abs=1e-6)
    assert glng == pytest.approx(125.331020, abs=1e-6)
    assert 400 < coords.haversine_m(43.8868, 125.3245, glat, glng) < 700


def test_outside_china_is_not_shifted():
    assert coords.wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)


def test_haversine_known_distance_beijing_shanghai():
    d = coords.haversine_m(39.9042, 116.4074, 31.2304, 121.4737)
    assert 1_060_000 < d < 1_075_000


@pytest.mark.parametrize(
    "point",
    [
        (39.9, 116.4),
        (31.23, 121.47),
        (43.88, 125.32),
        (42.9, 129.5),
        (47.85, 88.13),
        (29.65, 91.1),
        (18.25, 109.5),
        (25.03, 121.56),
        (22.3, 114.17),
        (48.36, 134.29),
    ],
)
def test_in_china_accepts_chinese_cities(point):
    assert coords.in_china(*point)


@pytest.mark.parametrize(
    "point",
    [
        (37.57, 126.98),
        (39.0, 125.75),
        (47.9, 106.9),
        (35.7, 139.7),
        (21.03, 105.85),
        (27.7, 85.3),
        (43.25, 76.9),
        (0.0, 0.0),
        (125.0, 43.0),
        (43.1, 131.9),
    ],
)
def test_in_china_rejects_neighbours_the_sea_and_swapped_coordinates(point):
    assert not coords.in_china(*point)


def test_bounding_box_contains_the_circle():
    rng = random.Random(2)
    for _ in range(500):
        lat, lng = rng.uniform(18, 53), rng.uniform(74, 134)
        r = rng.uniform(10, 500_000)
        box = coords.bounding_box(lat, lng, r)
        for _ in range(8):
            # a point at distance r in a random bearing is inside the box
            import math

            b = rng.uniform(0, 2 * math.pi)
            d = r / coords.EARTH_RADIUS_M
            p1, l1 = math.radians(lat), math.radians(lng)
            p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
            l2 = l1 + math.atan2(
                math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
            )
            plat, plng = math.degrees(p2), math.degrees(l2)
            assert box[0] - 1e-9 <= plat <= box[1] + 1e-9
            assert box[2] - 1e-9 <= plng <= box[3] + 1e-9
