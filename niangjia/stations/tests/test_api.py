from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from niangjia.stations import coords
from niangjia.stations.tests.conftest import CENTRE, make_station

URL = "/api/v1/stations/nearby/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def three(world):
    near = make_station(world.D1, "近", lat=CENTRE[0] + 0.001)
    mid = make_station(world.D1, "中", lat=CENTRE[0] + 0.01, amenities={"seating": "2026-01-01"})
    far = make_station(world.D3, "远", lat=CENTRE[0] + 0.05)
    return near, mid, far


def test_nearby_is_public_and_answers_the_contract(api, three):
    near, mid, far = three
    # when
    r = api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1], "limit": 10})
    # then
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["name"] for x in results] == ["近", "中", "远"]
    first = results[0]
    assert set(first) >= {
        "id",
        "name",
        "type",
        "address",
        "lat",
        "lng",
        "distance_m",
        "open_now",
        "amenities",
        "navigation",
    }
    assert first["id"] == near.pk
    assert first["type"] == "工会驿站"
    assert first["amenities"] == ["热水", "座椅"]
    assert 100 <= first["distance_m"] <= 120
    assert first["open_now"] is True
    assert first["lat"] == pytest.approx(near.lat, abs=1e-6)
    glat, glng = coords.wgs84_to_gcj02(near.lat, near.lng)
    assert first["navigation"]["amap"].startswith(
        f"https://uri.amap.com/navigation?to={glng:.6f},{glat:.6f},"
    )
    assert "mode=walk" in first["navigation"]["amap"]
    assert "coordinate=gaode" in first["navigation"]["amap"]
    assert "api.map.baidu.com" in first["navigation"]["baidu"]
    assert "apis.map.qq.com" in first["navigation"]["tencent"]


def test_gcj02_input_and_output(api, three):
    near = three[0]
    glat, glng = coords.wgs84_to_gcj02(*CENTRE)
    r = api.get(URL, {"lat": glat, "lng": glng, "coord": "gcj02", "limit": 1})
    hit = r.json()["results"][0]
    assert hit["id"] == near.pk
    assert 100 <= hit["distance_m"] <= 120
    expect = coords.wgs84_to_gcj02(near.lat, near.lng)
    assert (hit["lat"], hit["lng"]) == (
        pytest.approx(expect[0], abs=1e-6),
        pytest.approx(expect[1], abs=1e-6),
    )


def test_filters_limit_radius_and_amenity(api, three):
    r = api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 2})
    assert [x["name"] for x in r.json()["results"]] == ["近", "中"]
    r = api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1], "amenity": "热水"})
    assert [x["name"] for x in r.json()["results"]] == ["近", "远"]
    r = api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1], "amenity": "hot_water", "limit": 1})
    assert [x["name"] for x in r.json()["results"]] == ["近"]


@pytest.mark.parametrize(
    ("params", "key", "text"),
    [
        ({"lat": 95, "lng": 125}, "lat", "纬度应在 -90 到 90 之间"),
        ({"lat": 43, "lng": 190}, "lng", "经度应在 -180 到 180 之间"),
        ({"lat": 48.85, "lng": 2.35}, "lat", "不在中国境内"),
        ({"lat": 125.3, "lng": 43.8}, "lat", "纬度和经度可能填反了"),
        ({"lat": 43.8, "lng": 125.3, "coord": "bd09"}, "coord", "未知的坐标系"),
        ({"lat": 43.8, "lng": 125.3, "limit": 51}, "limit", "limit 应在 1 到 50 之间"),
        ({"lat": 43.8, "lng": 125.3, "limit": "x"}, "limit", "limit 必须是整数"),
        ({"lat": 43.8, "lng": 125.3, "radius_km": -1}, "radius_km", "radius_km 应大于 0"),
        ({"lat": 43.8, "lng": 125.3, "amenity": "游泳池"}, "amenity", "未知的服务设施"),
        ({"lat": "abc", "lng": 125.3}, "detail", "纬度和经度必须是数字"),
        ({"lat": "nan", "lng": 125.3}, "detail", "纬度和经度必须是数字"),
        ({"lng": 125.3}, "detail", "请提供纬度"),
    ],
)
def test_bad_input_is_a_chinese_400(api, world, params, key, text):
    r = api.get(URL, params)
    assert r.status_code == 400
    body = r.json()
    message = body[key] if isinstance(body[key], str) else body[key][0]
    assert text in message


def test_nearby_is_throttled(api, three, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    from niangjia.stations.api import NearbyThrottle

    NearbyThrottle.THROTTLE_RATES = {"anon": "3/minute"}
    try:
        codes = [api.get(URL, {"lat": CENTRE[0], "lng": CENTRE[1]}).status_code for _ in range(5)]
    finally:
        del NearbyThrottle.THROTTLE_RATES
    assert codes == [200, 200, 200, 429, 429]


def test_staff_station_api_is_scoped(api, world, three):
    near, mid, far = three
    api.force_authenticate(world.users["station_manager"])
    ids = [x["id"] for x in api.get("/api/v1/stations/").json()["results"]]
    assert sorted(ids) == sorted([near.pk, mid.pk])
    assert api.get(f"/api/v1/stations/{far.pk}/").status_code == 404
    api.force_authenticate(world.users["outsider"])
    assert api.get("/api/v1/stations/").json()["results"] == []
    assert api.get(f"/api/v1/stations/{near.pk}/").status_code == 404
