from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from niangjia.orgs.exceptions import NotAllowed
from niangjia.stations import coords, services
from niangjia.stations.models import Checkin, Rating, Report, Station, Tally
from niangjia.stations.tests.conftest import CENTRE


def data(world, **over):
    base = dict(
        name="新驿站",
        org=world.D1,
        address="长春市人民大街 1 号",
        lat=CENTRE[0],
        lng=CENTRE[1],
        coord_system="wgs84",
        amenities="热水、座椅",
        hours="周一至周五 08:00-18:00",
    )
    return services.StationData(**(base | over))


def test_create_stores_wgs84_and_records_the_input_system(world):
    glat, glng = coords.wgs84_to_gcj02(*CENTRE)
    s = services.station_create(
        actor=world.users["station_manager"],
        data=data(world, lat=glat, lng=glng, coord_system="gcj02"),
    )
    assert s.coord_system == "gcj02"
    assert (s.input_lat, s.input_lng) == (glat, glng)
    assert coords.haversine_m(s.lat, s.lng, *CENTRE) < 0.01
    assert set(s.amenities) == {"hot_water", "seating"}
    assert s.hours_verified_on == services.today_local()
    assert s.code.startswith("640202-")


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"lat": 48.85, "lng": 2.35}, "lat", "不在中国境内"),
        ({"lat": 95}, "lat", "纬度应在"),
        ({"coord_system": "bd09"}, "coord_system", "未知的坐标系"),
        ({"amenities": "热水、游泳池"}, "amenities", "未知的服务设施：游泳池"),
        ({"hours": "早八晚六"}, "hours", "开放时间格式不正确"),
        ({"name": " "}, "name", "请填写驿站名称"),
        ({"contact_phone": "12-34"}, "contact_phone", "联系电话格式不正确"),
        ({"type": "宾馆"}, "type", "未知的驿站类型"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(world, over, field, text):
    with pytest.raises(ValidationError) as exc:
        services.station_create(actor=world.users["station_manager"], data=data(world, **over))
    assert any(text in m for m in exc.value.message_dict[field])
    assert Station.objects.count() == 0


def test_same_name_within_50_m_is_a_duplicate(world):
    actor = world.users["station_manager"]
    services.station_create(actor=actor, data=data(world))
    with pytest.raises(ValidationError, match="50 米内已有同名驿站"):
        services.station_create(actor=actor, data=data(world, lat=CENTRE[0] + 0.0003))
    # 80 m away, or another name: fine
    services.station_create(actor=actor, data=data(world, lat=CENTRE[0] + 0.0007))
    services.station_create(actor=actor, data=data(world, name="另一个驿站"))
    assert Station.objects.count() == 3


def test_out_of_scope_org_is_not_allowed(world):
    with pytest.raises(NotAllowed):
        services.station_create(
            actor=world.users["station_manager"], data=data(world, org=world.D3)
        )
    with pytest.raises(NotAllowed):
        services.station_create(actor=world.users["rights_officer"], data=data(world))
    assert Station.objects.count() == 0


def test_update_keeps_verified_dates_unless_confirmed(world, station):
    station.amenities = {"hot_water": "2025-01-01"}
    station.hours_verified_on = datetime.date(2025, 1, 1)
    station.save()
    actor = world.users["station_manager"]
    hours = station.hours_text
    s = services.station_update(
        actor=actor,
        station=station,
        data=data(world, name=station.name, amenities=["hot_water", "wifi"], hours=hours),
    )
    today = services.today_local().isoformat()
    assert s.amenities == {"hot_water": "2025-01-01", "wifi": today}
    assert s.hours_verified_on == datetime.date(2025, 1, 1)
    s = services.station_update(
        actor=actor,
        station=s,
        verified=True,
        data=data(world, name=station.name, amenities=["hot_water", "wifi"], hours=hours),
    )
    assert s.amenities == {"hot_water": today, "wifi": today}
    assert s.hours_verified_on == services.today_local()


def test_checkin_is_deduplicated_per_device_per_hour(station):
    at = datetime.datetime(2026, 1, 10, 2, 5, tzinfo=datetime.UTC)
    _c, first = services.checkin_record(station=station, device_id="device-aaaa", at=at)
    _c, again = services.checkin_record(
        station=station, device_id="device-aaaa", at=at + datetime.timedelta(minutes=50)
    )
    _c, other = services.checkin_record(station=station, device_id="device-bbbb", at=at)
    _c, later = services.checkin_record(
        station=station, device_id="device-aaaa", at=at + datetime.timedelta(minutes=60)
    )
    assert (first, again, other, later) == (True, False, True, True)
    assert Checkin.objects.count() == 3


def test_checkin_needs_a_device_and_an_open_station(station):
    with pytest.raises(ValidationError, match="无法识别您的设备"):
        services.checkin_record(station=station, device_id="")
    station.status = Station.Status.CLOSED
    with pytest.raises(ValidationError, match="不在服务中"):
        services.checkin_record(station=station, device_id="device-aaaa")
    assert Checkin.objects.count() == 0


def test_rating_again_replaces_and_bad_scores_are_refused(station):
    services.rating_submit(station=station, device_id="device-aaaa", score=3)
    services.rating_submit(station=station, device_id="device-aaaa", score="5", comment="好")
    with pytest.raises(ValidationError, match="1 到 5 星"):
        services.rating_submit(station=station, device_id="device-aaaa", score=6)
    assert list(Rating.objects.values_list("score", "comment")) == [(5, "好")]


def test_reports_flag_until_resolved(world, station):
    from niangjia.stations.selectors import station_list

    report = services.report_submit(station=station, kind="no_hot_water")
    user = world.users["station_manager"]
    assert station_list(user, flagged=True).get().pk == station.pk
    with pytest.raises(ValidationError, match="请填写处理结果"):
        services.report_resolve(actor=user, report=report, resolution="")
    with pytest.raises(NotAllowed):
        services.report_resolve(actor=world.users["outsider"], report=report, resolution="修好了")
    services.report_resolve(actor=user, report=report, resolution="已更换饮水机")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.resolved_by == user
    assert not station_list(user, flagged=True).exists()


def test_tally_replaces_the_days_figure_and_refuses_future_days(world, station):
    user = world.users["station_manager"]
    day = datetime.date(2026, 1, 5)
    services.tally_record(actor=user, station=station, date=day, visits=30)
    services.tally_record(actor=user, station=station, date=day, visits=42)
    with pytest.raises(ValidationError, match="未来日期"):
        services.tally_record(
            actor=user,
            station=station,
            date=services.today_local() + datetime.timedelta(days=1),
            visits=1,
        )
    assert list(Tally.objects.values_list("visits", flat=True)) == [42]


def test_exception_with_bad_hours_or_dates_is_refused(world, station):
    user = world.users["station_manager"]
    d = datetime.date(2026, 2, 1)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.exception_add(
            actor=user,
            station=station,
            kind="holiday",
            start_date=d,
            end_date=d - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="开放时间格式不正确"):
        services.exception_add(
            actor=user, station=station, kind="special", start_date=d, end_date=d, hours_text="上午"
        )
    assert not station.exceptions.exists()


def test_figures_count_checkins_tallies_and_events_per_station_and_district(
    world, station, other_station
):
    from niangjia.stations.selectors import figures

    user = world.users["station_manager"]
    day = datetime.date(2026, 1, 5)
    services.tally_record(actor=user, station=station, date=day, visits=10)
    services.event_create(actor=user, station=station, date=day, title="流动厨房", served=25)
    at = datetime.datetime(2026, 1, 5, 3, 0, tzinfo=datetime.UTC)
    services.checkin_record(station=station, device_id="device-aaaa", at=at)
    services.checkin_record(station=other_station, device_id="device-aaaa", at=at)  # not D1's
    f = figures(user, start=day, end=day)
    assert f.totals["visits"] == 36
    assert (f.totals["checkins"], f.totals["tallies"], f.totals["served"]) == (1, 10, 25)
    assert f.busiest[0]["station"]["name"] == "甲区工会驿站"
    assert f.per_district == [{"org": "甲区总工会", "stations": 1, "visits": 36}]
    assert figures(world.users["outsider"], start=day, end=day).totals["visits"] == 0
