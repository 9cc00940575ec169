from __future__ import annotations

import pytest
from django.core.cache import cache

from niangjia.stations import coords
from niangjia.stations.hours import parse_hours
from niangjia.stations.models import Station

# 长春 人民广场 (WGS-84)
CENTRE = (43.8868, 125.3245)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the public API is throttled per IP; tests share one locmem cache
    yield
    cache.clear()


def make_station(org, name="测试驿站", lat=CENTRE[0], lng=CENTRE[1], **extra) -> Station:
    extra.setdefault("hours", parse_hours("24小时"))
    extra.setdefault("amenities", {"hot_water": "2026-01-01", "seating": "2026-01-01"})
    extra.setdefault("address", "测试地址")
    extra.setdefault("code", f"T-{Station.objects.count() + 1:05d}")
    return Station.objects.create(
        org=org,
        name=name,
        lat=lat,
        lng=lng,
        input_lat=lat,
        input_lng=lng,
        coord_system=coords.WGS84,
        **extra,
    )


@pytest.fixture
def station(world):
    return make_station(world.D1, "甲区工会驿站")


@pytest.fixture
def other_station(world):
    return make_station(world.D3, "丙区工会驿站", lat=CENTRE[0] + 0.01)
