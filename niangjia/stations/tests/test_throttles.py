"""#11 §2: a station's anonymous ratings, problem reports and check-ins are throttled per
client address (a new device cookie per request does not help): the station's page with a 429,
a Chinese message, what was typed, and nothing written."""

from __future__ import annotations

from django.test import Client

from niangjia.stations.models import Checkin, Rating, Report


def test_station_ratings_trip_their_throttle_and_keep_the_input(station, rates):
    rates("station_feedback", "2/hour")
    for _ in range(2):
        Client().post(f"/stations/{station.code}/rate/", {"score": "4", "comment": "暖和"})
    count = Rating.objects.count()
    response = Client().post(f"/stations/{station.code}/rate/", {"score": "2", "comment": "太冷了"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁" in page
    assert 'value="太冷了"' in page
    assert 'value="2" id="star-2" checked' in page
    assert Rating.objects.count() == count


def test_station_reports_trip_their_throttle_and_keep_the_input(station, rates):
    rates("station_feedback", "2/hour")
    for _ in range(2):
        Client().post(f"/stations/{station.code}/report/", {"kind": "no_hot_water"})
    assert Report.objects.count() == 2
    response = Client().post(
        f"/stations/{station.code}/report/", {"kind": "no_hot_water", "note": "水龙头坏了"}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁" in page and "水龙头坏了" in page
    assert Report.objects.count() == 2


def test_station_checkins_trip_their_throttle(station, rates):
    rates("checkin", "2/hour")
    for _ in range(2):
        Client().post(f"/stations/{station.code}/checkin/")
    assert Checkin.objects.count() == 2
    response = Client().post(f"/stations/{station.code}/checkin/")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Checkin.objects.count() == 2
