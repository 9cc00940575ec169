from __future__ import annotations

import pytest

from niangjia.stations.hours import HoursError, format_hours, open_at, parse_hours


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("周一至周五 08:00-18:00", [{"days": [0, 1, 2, 3, 4], "open": "08:00", "close": "18:00"}]),
        (
            "周一至周五 08:00-18:00；周六、周日 09:00-17:00",
            [
                {"days": [0, 1, 2, 3, 4], "open": "08:00", "close": "18:00"},
                {"days": [5, 6], "open": "09:00", "close": "17:00"},
            ],
        ),
        (
            "1-5 08:00-18:00; 6-7 09:00-12:00",
            [
                {"days": [0, 1, 2, 3, 4], "open": "08:00", "close": "18:00"},
                {"days": [5, 6], "open": "09:00", "close": "12:00"},
            ],
        ),
        ("每天 7:00－19:30", [{"days": list(range(7)), "open": "07:00", "close": "19:30"}]),
        ("24小时", [{"days": list(range(7)), "open": "00:00", "close": "24:00"}]),
        ("工作日 08：30至17：30", [{"days": [0, 1, 2, 3, 4], "open": "08:30", "close": "17:30"}]),
        ("星期六到星期一 10:00-16:00", [{"days": [0, 5, 6], "open": "10:00", "close": "16:00"}]),
        ("08:00-20:00", [{"days": list(range(7)), "open": "08:00", "close": "20:00"}]),
    ],
)
def test_parse_hours_reads_the_ways_unions_write_them(text, rules):
    assert parse_hours(text) == rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写开放时间"),
        ("周一至周五 8点到6点", "开放时间格式不正确"),
        ("周八 08:00-18:00", "无法识别的星期"),
        ("每天 25:00-26:00", "时间不正确"),
        ("每天 08:00-08:00", "开始和结束时间相同"),
        ("每天 08:61-09:00", "时间不正确"),
    ],
)
def test_malformed_hours_are_refused_in_chinese(text, message):
    with pytest.raises(HoursError, match=message):
        parse_hours(text)


def test_format_round_trips_through_parse():
    text = "周一至周五 08:00-18:00；周六、周日 09:00-17:00"
    assert format_hours(parse_hours(text)) == text
    assert parse_hours(format_hours(parse_hours("24小时"))) == parse_hours("24小时")


def test_open_at_respects_days_and_bounds():
    rules = parse_hours("周一至周五 08:00-18:00")
    assert open_at(rules, 0, 8 * 60)
    assert not open_at(rules, 0, 18 * 60)  # closing time is exclusive
    assert not open_at(rules, 5, 12 * 60)


def test_overnight_hours_spill_into_the_next_morning():
    rules = parse_hours("周五 20:00-06:00")
    assert open_at(rules, 4, 23 * 60)
    assert open_at(rules, 5, 5 * 60)  # Saturday early morning
    assert not open_at(rules, 5, 7 * 60)
    assert not open_at(rules, 3, 23 * 60)
