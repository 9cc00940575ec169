from __future__ import annotations

import datetime

import pytest

from niangjia.stations.models import Report, Station, Tally
from niangjia.stations.tests.conftest import CENTRE, make_station
from niangjia.stations.tests.test_import import row, xlsx


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["station_manager"])
    return client


@pytest.fixture
def outsider(client, world):
    client.force_login(world.users["outsider"])
    return client


def test_list_shows_only_stations_in_scope(manager, station, other_station):
    r = manager.get("/staff/stations/")
    assert r.status_code == 200
    assert station.name in r.text
    assert other_station.name not in r.text


def test_outsider_gets_403_on_pages_and_404_on_objects(outsider, station):
    assert outsider.get("/staff/stations/").status_code == 403
    assert outsider.get("/staff/stations/map/").status_code == 403
    assert outsider.get("/staff/stations/import/").status_code == 403
    assert outsider.get("/staff/stations/export.xlsx").status_code == 403
    assert outsider.get(f"/staff/stations/{station.pk}/").status_code == 404
    assert outsider.get(f"/staff/stations/{station.pk}/edit/").status_code == 404
    r = outsider.post(f"/staff/stations/{station.pk}/tallies/", {"date": "2026-01-01", "visits": 5})
    assert r.status_code == 404
    assert not Tally.objects.exists()


def test_out_of_scope_station_is_404_for_staff(manager, other_station):
    assert manager.get(f"/staff/stations/{other_station.pk}/").status_code == 404


def test_list_runs_a_constant_number_of_queries(manager, world, django_assert_max_num_queries):
    for i in range(30):
        s = make_station(world.D1, f"驿站{i}", lat=CENTRE[0] + i * 0.01)
        Report.objects.create(station=s, kind="other", note="x")
    with django_assert_max_num_queries(12):
        assert manager.get("/staff/stations/").status_code == 200


def test_detail_edit_and_qr(manager, station):
    r = manager.get(f"/staff/stations/{station.pk}/")
    assert r.status_code == 200
    assert "uri.amap.com/navigation" in r.text
    png = manager.get(f"/staff/stations/{station.pk}/qr.png")
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = manager.get(f"/staff/stations/{station.pk}/qr.svg")
    assert b"<svg" in svg.content
    assert manager.get(f"/staff/stations/{station.pk}/qr.gif").status_code == 404
    r = manager.get(f"/staff/stations/{station.pk}/edit/")
    assert r.status_code == 200


def test_edit_with_bad_hours_shows_the_error_and_keeps_input(manager, world, station):
    form = {
        "name": "改名驿站",
        "type": "union",
        "org": world.D1.pk,
        "host_kind": "other",
        "address": "新地址",
        "coord_system": "wgs84",
        "lat": CENTRE[0],
        "lng": CENTRE[1],
        "amenities": ["hot_water"],
        "hours": "早八晚六",
        "access": "public",
        "status": "open",
    }
    r = manager.post(f"/staff/stations/{station.pk}/edit/", form)
    assert r.status_code == 200
    assert "开放时间格式不正确" in r.text
    assert "改名驿站" in r.text
    station.refresh_from_db()
    assert station.name == "甲区工会驿站"
    form["hours"] = "每天 07:00-19:00"
    r = manager.post(f"/staff/stations/{station.pk}/edit/", form)
    assert r.status_code == 302
    station.refresh_from_db()
    assert station.name == "改名驿站"
    assert station.hours_text == "每天 07:00-19:00"


def test_import_page_reports_bad_rows_then_imports(manager, world):
    bad = xlsx([row(1), row(2, 服务设施="按摩椅")])
    r = manager.post("/staff/stations/import/", {"file": bad})
    assert r.status_code == 200
    assert "第 3 行" in r.text
    assert "未知的服务设施：按摩椅" in r.text
    assert Station.objects.count() == 0
    r = manager.post("/staff/stations/import/", {"file": xlsx([row(1), row(2)])})
    assert r.status_code == 302
    assert Station.objects.count() == 2
    assert manager.get("/staff/stations/import/template.xlsx").status_code == 200


def test_exports_and_map(manager, station, other_station):
    r = manager.get("/staff/stations/export-poi.csv")
    text = r.content.decode("utf-8")
    assert station.name in text
    assert other_station.name not in text
    assert manager.get("/staff/stations/export.xlsx").status_code == 200
    r = manager.get("/staff/stations/map/")
    assert station.code in r.text
    assert other_station.code not in r.text
    assert "共 1 个驿站" in r.text


def test_report_resolution_tally_event_and_exception_pages(manager, station):
    report = Report.objects.create(station=station, kind="closed")
    r = manager.get("/staff/stations/reports/")
    assert station.name in r.text
    manager.post(f"/staff/stations/reports/{report.pk}/resolve/", {"resolution": "已核实"})
    report.refresh_from_db()
    assert report.status == "resolved"
    manager.post(f"/staff/stations/{station.pk}/tallies/", {"date": "2026-01-03", "visits": 12})
    manager.post(
        f"/staff/stations/{station.pk}/events/",
        {"date": "2026-01-03", "title": "流动厨房", "served": 80},
    )
    manager.post(
        f"/staff/stations/{station.pk}/exceptions/",
        {"kind": "holiday", "start_date": "2026-02-16", "end_date": "2026-02-22"},
    )
    assert station.tallies.get().visits == 12
    assert station.events.get().served == 80
    assert station.exceptions.get().closed
    r = manager.get("/staff/stations/figures/?start=2026-01-01&end=2026-01-31")
    assert r.status_code == 200
    assert 'id="fig-visits">92<' in r.text


def test_figures_page_constant_queries(manager, world, django_assert_max_num_queries):
    for i in range(10):
        s = make_station(world.D1, f"驿站{i}", lat=CENTRE[0] + i * 0.01)
        Tally.objects.create(station=s, date=datetime.date(2026, 1, 2), visits=i)
    with django_assert_max_num_queries(16):
        manager.get("/staff/stations/figures/?start=2026-01-01&end=2026-01-31")


def test_a_photo_is_uploaded_checked_by_content_and_shown_publicly(
    manager, station, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    # a file named .jpg that is not an image is refused and nothing is stored
    r = manager.post(
        f"/staff/stations/{station.pk}/photo/",
        {"photo": SimpleUploadedFile("x.jpg", b"MZ not an image", "image/jpeg")},
        follow=True,
    )
    assert "请上传 JPG、PNG 或 WebP 格式的照片" in r.text
    assert not Station.objects.get(pk=station.pk).photo
    manager.post(
        f"/staff/stations/{station.pk}/photo/",
        {"photo": SimpleUploadedFile("门口.png", png, "image/png")},
    )
    station.refresh_from_db()
    assert station.photo.name.endswith(f"{station.code}.png")
    public = manager.get(f"/stations/{station.code}/")
    assert station.photo.url in public.text


def test_other_staff_cannot_change_a_photo(client, world, other_station):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["station_manager"])
    r = client.post(
        f"/staff/stations/{other_station.pk}/photo/",
        {"photo": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert r.status_code == 404


def test_exception_can_be_corrected_and_withdrawn(manager, station):
    manager.post(
        f"/staff/stations/{station.pk}/exceptions/",
        {"kind": "closure", "start_date": "2026-02-16", "end_date": "2026-02-22", "reason": "维修"},
    )
    exception = station.exceptions.get()
    r = manager.get(f"/staff/stations/{station.pk}/")
    assert f"/exceptions/{exception.pk}/edit/" in r.text
    r = manager.get(f"/staff/stations/{station.pk}/exceptions/{exception.pk}/edit/")
    assert r.status_code == 200
    assert 'value="维修"' in r.text
    bad = {
        "kind": "closure",
        "start_date": "2026-02-16",
        "end_date": "2026-02-10",
        "reason": "改期",
    }
    r = manager.post(f"/staff/stations/{station.pk}/exceptions/{exception.pk}/edit/", bad)
    assert r.status_code == 200
    assert "结束日期不能早于开始日期" in r.text
    assert 'value="改期"' in r.text  # what was typed is kept
    good = bad | {"end_date": "2026-02-18", "hours_text": "10:00-16:00"}
    r = manager.post(f"/staff/stations/{station.pk}/exceptions/{exception.pk}/edit/", good)
    assert r.status_code == 302
    exception.refresh_from_db()
    assert exception.end_date == datetime.date(2026, 2, 18)
    assert not exception.closed
    assert exception.reason == "改期"
    r = manager.post(f"/staff/stations/{station.pk}/exceptions/{exception.pk}/delete/")
    assert r.status_code == 302
    assert not station.exceptions.exists()
    r = manager.get(f"/staff/stations/{station.pk}/")
    assert "开放时间例外" in r.text


def test_exception_of_an_out_of_scope_station_is_404(manager, other_station):
    exception = other_station.exceptions.create(
        kind="closure", start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 2, 2)
    )
    url = f"/staff/stations/{other_station.pk}/exceptions/{exception.pk}"
    assert manager.get(f"{url}/edit/").status_code == 404
    assert manager.post(f"{url}/delete/").status_code == 404
    assert other_station.exceptions.exists()


def test_station_can_be_linked_to_its_host_enterprise(manager, world, station):
    form = {
        "name": station.name,
        "type": station.type,
        "org": station.org_id,
        "host_kind": "other",
        "host_name": "",
        "host_credit_code": world.E1.credit_code,
        "address": station.address,
        "coord_system": "wgs84",
        "lat": station.lat,
        "lng": station.lng,
        "amenities": ["hot_water"],
        "hours": "24小时",
        "access": "public",
        "status": "open",
    }
    r = manager.post(f"/staff/stations/{station.pk}/edit/", form)
    assert r.status_code == 302, r.text
    station.refresh_from_db()
    assert station.host_enterprise == world.E1
    assert station.host_kind == "enterprise"
    assert station.host_name == world.E1.name
    r = manager.get(f"/staff/stations/{station.pk}/")
    assert f'href="/staff/orgs/enterprises/{world.E1.pk}/"' in r.text
    assert world.E1.credit_code in r.text
    r = manager.get(f"/staff/stations/{station.pk}/edit/")
    assert world.E1.credit_code in r.text
    # an enterprise outside the manager's scope cannot be linked (nor its existence learnt)
    r = manager.post(
        f"/staff/stations/{station.pk}/edit/", form | {"host_credit_code": world.E3.credit_code}
    )
    assert r.status_code == 200
    assert "不在您的管理范围内" in r.text
    r = manager.post(f"/staff/stations/{station.pk}/edit/", form | {"host_credit_code": "123"})
    assert r.status_code == 200
    station.refresh_from_db()
    assert station.host_enterprise == world.E1
