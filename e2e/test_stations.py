"""Journeys for 工会驿站: a courier finds the nearest station on a phone and gets a route; the city's
station manager imports an Excel file, fixes a bad row, and sees the new stations on the map."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from e2e.conftest import PageWatch
from e2e.helpers import login, screenshot
from niangjia.stations import coords, selectors
from niangjia.stations.models import Station

pytestmark = pytest.mark.browser

# a courier at 人民广场, 长春 (WGS-84, what the phone's GPS reports)
HERE = {"latitude": 43.8868, "longitude": 125.3245, "accuracy": 20}


@pytest.fixture
def stations_demo(transactional_db, settings):
    """The parts of the demo world these journeys use (orgs and accounts, 长春's stations), so a
    journey here does not depend on the other modules' demo data."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from niangjia.orgs import demo as orgs_demo
    from niangjia.stations import demo as stations_demo

    orgs_demo.load(io.StringIO())
    stations_demo.load(io.StringIO())


def _context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page, PageWatch(page)


@pytest.fixture
def phone(browser, live_server, stations_demo):
    context, page, watch = _context(
        browser,
        live_server,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    yield page
    context.close()
    assert not watch.bad_static, f"static files not served: {watch.bad_static}"
    assert not watch.js_errors, f"JavaScript errors in the page: {watch.js_errors}"


@pytest.fixture
def desk(browser, live_server, stations_demo):
    context, page, watch = _context(browser, live_server, viewport={"width": 1280, "height": 800})
    yield page
    context.close()
    assert not watch.bad_static, f"static files not served: {watch.bad_static}"
    assert not watch.js_errors, f"JavaScript errors in the page: {watch.js_errors}"


def names(hits) -> list[str]:
    return [h.station.name for h in hits]


def listed(page) -> list[str]:
    return [
        re.sub(r"^\d+\. ", "", t)
        for t in page.locator("#station-list .station-name").all_inner_texts()
    ]


def test_courier_finds_the_nearest_station_with_hot_water_and_a_route(phone):
    page = phone
    lat, lng = HERE["latitude"], HERE["longitude"]
    nearest = names(selectors.nearby(lat, lng, limit=20))
    with_hot_water = names(selectors.nearby(lat, lng, limit=20, amenities=["hot_water"]))
    assert nearest != with_hot_water  # the filter must change the list for the test to mean much

    page.goto("/")
    page.get_by_role("link", name=re.compile("找驿站")).click()
    expect(page).to_have_url(re.compile(r"/stations/$"))
    expect(page.locator("#station-list .station-item")).to_have_count(20)
    expect(page.locator("#station-list .station-name").first).to_have_text(f"1. {nearest[0]}")
    assert listed(page) == nearest
    distances = page.locator("#station-list .distance").all_inner_texts()
    assert distances[0].endswith("米")
    # markers drawn with the vendored icon (explicit URLs), no tiles configured
    expect(page.locator("img.leaflet-marker-icon[src*='marker-icon']")).to_have_count(20)
    screenshot(page, "stations-1-nearest")

    page.locator("label[for=am-hot_water]").click()
    expect(page.locator("#station-list .station-name").first).to_have_text(
        f"1. {with_hot_water[0]}"
    )
    expect(page.locator("#station-list .station-item")).to_have_count(len(with_hot_water))
    assert listed(page) == with_hot_water
    screenshot(page, "stations-2-hot-water")

    page.locator("#station-list .station-name").first.click()
    station = Station.objects.get(name=with_hot_water[0])
    expect(page).to_have_url(re.compile(rf"/stations/{station.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(station.name)
    expect(page.locator("#amenities")).to_contain_text("热水")
    expect(page.locator("#hours")).to_have_text(station.hours_text)
    screenshot(page, "stations-3-station")

    glat, glng = coords.wgs84_to_gcj02(station.lat, station.lng)
    expected = f"https://uri.amap.com/navigation?to={glng:.6f},{glat:.6f},"
    seen = []
    page.route(
        "https://uri.amap.com/**",
        lambda route: (seen.append(route.request.url), route.fulfill(body="amap"))[1],
    )
    page.locator("#route-amap").click()
    page.wait_for_url(re.compile(r"^https://uri\.amap\.com/navigation"))
    assert seen
    assert seen[0].startswith(expected)
    assert "mode=walk" in seen[0]


def _xlsx(path, rows) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "运营工会", "地址", "纬度", "经度", "开放时间", "坐标系", "服务设施"])
    for r in rows:
        ws.append(r)
    wb.save(path)


def _rows(bad: bool) -> list[list]:
    districts = ["南关区总工会", "宽城区总工会", "朝阳区总工会", "二道区总工会", "绿园区总工会"]
    rows = []
    for i in range(50):
        rows.append(
            [
                f"新建快递驿站{i + 1}号",
                districts[i % 5],
                f"长春市测试路{i + 1}号",
                round(43.80 + (i // 10) * 0.02, 6),
                round(125.25 + (i % 10) * 0.02, 6),
                "周一至周五 08:00-18:00；周六、周日 09:00-17:00",
                "gcj02",
                "热水、座椅、充电",
            ]
        )
    if bad:
        rows[6][3], rows[6][4] = 125.31, 43.85  # latitude and longitude swapped
        rows[20][7] = "热水、按摩椅"
    return rows


def test_station_manager_imports_fixes_a_bad_row_and_sees_the_map(desk, tmp_path):
    page = desk
    before = Station.objects.count()
    login(page, "cc_stations")
    page.locator("#mainnav .nav-link", has_text="驿站").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("驿站")
    page.get_by_role("link", name="Excel 导入").click()

    bad = tmp_path / "stations-bad.xlsx"
    _xlsx(bad, _rows(bad=True))
    page.set_input_files("#id_file", str(bad))
    page.click("#import-submit")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("未导入任何驿站")
    expect(errors.locator("tr.import-error")).to_have_count(2)
    expect(errors).to_contain_text("第 8 行")
    expect(errors).to_contain_text("纬度和经度可能填反了")
    expect(errors).to_contain_text("第 22 行")
    expect(errors).to_contain_text("未知的服务设施：按摩椅")
    assert Station.objects.count() == before
    screenshot(page, "stations-4-import-errors")

    fixed = tmp_path / "stations-fixed.xlsx"
    _xlsx(fixed, _rows(bad=False))
    page.set_input_files("#id_file", str(fixed))
    page.click("#import-submit")
    expect(page).to_have_url(re.compile(r"/staff/stations/map/\?imported=50$"))
    expect(page.get_by_role("alert")).to_contain_text("已导入 50 个驿站")
    total = before + 50
    expect(page.locator("#map-count")).to_have_text(f"共 {total} 个驿站")
    expect(page.locator("#station-map path.leaflet-interactive")).to_have_count(total)
    assert Station.objects.filter(name__startswith="新建快递驿站").count() == 50
    screenshot(page, "stations-5-map")
