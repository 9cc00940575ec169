from __future__ import annotations

from niangjia.stations.models import Checkin, Rating, Report


def test_map_page_uses_vendored_leaflet_and_explicit_icons(client, world):
    r = client.get("/stations/")
    assert r.status_code == 200
    assert "vendor/leaflet/leaflet.js" in r.text
    assert "vendor/leaflet/images/marker-icon.png" in r.text
    assert 'data-tile-url=""' in r.text


def test_tile_url_comes_from_settings(client, world, settings):
    settings.STATIONS_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert "https://tiles.example/{z}/{x}/{y}.png" in client.get("/stations/").text


def test_station_page_shows_hours_amenities_access_and_route(client, station):
    r = client.get(f"/stations/{station.code}/")
    assert r.status_code == 200
    assert "每天 24小时" in r.text
    assert "热水" in r.text
    assert "面向所有户外劳动者和公众开放" in r.text
    assert "https://uri.amap.com/navigation?to=" in r.text
    assert r.cookies["nj_device"].value


def test_unknown_station_is_404(client, world):
    assert client.get("/stations/NOPE-1/").status_code == 404


def test_checkin_once_per_hour_per_device(client, station):
    client.get(f"/stations/{station.code}/")  # gets the device cookie
    r1 = client.post(f"/stations/{station.code}/checkin/", follow=True)
    r2 = client.post(f"/stations/{station.code}/checkin/", follow=True)
    assert "签到成功" in r1.text
    assert "已经签到过了" in r2.text
    assert Checkin.objects.count() == 1


def test_rating_and_report_from_the_station_page(client, station):
    client.get(f"/stations/{station.code}/")
    client.post(f"/stations/{station.code}/rate/", {"score": "4", "comment": "暖和"})
    r = client.post(f"/stations/{station.code}/rate/", {"score": "9"}, follow=True)
    assert "1 到 5 星" in r.text
    client.post(f"/stations/{station.code}/report/", {"kind": "no_hot_water"})
    r = client.post(f"/stations/{station.code}/report/", {"kind": "bogus"}, follow=True)
    assert "请选择问题类型" in r.text
    assert list(Rating.objects.values_list("score", flat=True)) == [4]
    assert list(Report.objects.values_list("kind", flat=True)) == ["no_hot_water"]


def test_public_home_lists_the_station_finder(client, world):
    r = client.get("/")
    assert "找驿站" in r.text
