"""The analyser on the forms named in the issue, each with its explanation."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from niangjia.intake.analyser import (
    FIELDS,
    RULES,
    SPRING_FESTIVAL,
    analyse,
    spring_festival_near,
)

TODAY = datetime.date(2026, 11, 29)


def because(result, field):
    return [(e["value"], e["because"]) for e in result.explanations[field]]


@pytest.mark.parametrize(
    ("text", "amount", "words"),
    [
        ("老板欠我十四万元工资", "140000.00", "十四万元"),
        ("还欠我1.4万", "14000.00", "1.4万"),
        ("每人还差3万5没给", "35000.00", "3万5"),
        ("一个月两千五，三个月没发了", "2500.00", "一个月两千五"),
        ("欠了一万二", "12000.00", "一万二"),
        ("拖欠工资14,000元", "14000.00", "14,000元"),
        ("工程款八十多万还没结", "800000.00", "八十多万"),
    ],
)
def test_amounts(text, amount, words):
    result = analyse(text, TODAY)
    assert amount in result.amounts
    assert (amount, words) in because(result, "amounts")


def test_small_sums_and_phones_are_not_amounts():
    result = analyse("一块钱都没给，欠款人电话13895270001", TODAY)
    assert result.amounts == []


def test_months_of_wage_needs_a_stated_wage():
    without = analyse("老板欠了我三个月工资", TODAY)
    assert "months_of_wage" in without.signals and without.amounts == []
    explained = [e for e in without.explanations["signals"] if e["value"] == "months_of_wage"]
    assert explained[0]["because"] == "三个月工资" and explained[0]["months"] == 3

    with_wage = analyse("老板欠了我三个月工资，月薪5000", TODAY)
    assert with_wage.amounts == ["5000.00", "15000.00"]
    computed = with_wage.explanations["amounts"][1]
    assert computed["rule"] == "amount.months_x_wage"
    assert computed["because"] == "三个月工资 × 月薪5000"


@pytest.mark.parametrize(
    ("text", "count", "approximate"),
    [
        ("12个农民工的工资没发", 12, False),
        ("我们班组二十多人都没拿到钱", 20, True),
        ("我和3个工友被欠薪", 4, False),
        ("30余名工人讨薪", 30, True),
        ("老板欠我工资", 1, False),  # one complainant, no one else named
    ],
)
def test_workers(text, count, approximate):
    result = analyse(text, TODAY)
    assert result.workers_count == count
    assert result.explanations["workers_count"][0].get("approximate", False) is approximate


def test_workers_unknown_when_plural_without_number():
    assert analyse("我们的工资都没发", TODAY).workers_count is None


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("我在宁夏恒达钢结构有限公司上班", "宁夏恒达钢结构有限公司"),
        ("给宏达建筑有限公司第三项目部干活", "宏达建筑有限公司第三项目部"),  # longest span
        ("在宏达建筑公司工地上摔了", "宏达建筑公司"),  # "…公司工地" is the company's site
        ("单位是大武口区长城机械制造厂。", "大武口区长城机械制造厂"),
        ("银川市兴庆区的悦来酒店不给钱", "悦来酒店"),
        ("在一家物流公司送货", None),  # generic
        ("到区总工会反映情况", None),  # the union is not an employer
        ("我是饿了么的骑手", "饿了么"),  # a platform when no company is named
    ],
)
def test_employer(text, employer):
    assert analyse(text, TODAY).employer == employer


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2024年3月开始没发工资", ["2024-03"]),
        ("2024年3月15日受伤", ["2024-03-15"]),
        ("去年12月入职", ["2025-12"]),
        ("3月15日被辞退", ["2026-03-15"]),
        ("12月20日前必须付清", ["2026-12-20"]),  # within a month ahead: this year
        ("2024.3.15入职", ["2024-03-15"]),
        ("上个月的工资", ["2026-10"]),
        ("春节前要回家", ["2027-02-06"]),
    ],
)
def test_dates(text, dates):
    result = analyse(text, TODAY)
    assert result.dates == dates
    assert all(e["because"] for e in result.explanations["dates"])


def test_relative_dates_follow_today():
    assert analyse("去年12月", datetime.date(2025, 3, 1)).dates == ["2024-12"]
    # weeks after the festival "春节前" still means the one just past
    assert spring_festival_near(datetime.date(2026, 3, 1)) == datetime.date(2026, 2, 17)
    assert spring_festival_near(datetime.date(2026, 4, 1)) == datetime.date(2027, 2, 6)


def test_spring_festival_table_matches_the_statutory_calendar():
    from chinese_calendar import constants

    festival_days = {d for d, h in constants.holidays.items() if "Spring" in str(h)}
    checked = 0
    for year, day in SPRING_FESTIVAL.items():
        if any(d.year == year for d in festival_days):
            assert day in festival_days, year
            assert not chinese_calendar.is_workday(day)
            checked += 1
    assert checked >= 20


def test_injury_and_disability():
    result = analyse("在厂里摔伤骨折，鉴定为九级伤残", TODAY)
    assert result.category == "injury"
    assert {"injury", "disability"} <= set(result.signals)
    grade = [e for e in result.explanations["signals"] if e["value"] == "disability"][0]
    assert grade["grade"] == 9 and grade["because"] == "鉴定为九级"
    assert analyse("伤残九级", TODAY).explanations["signals"][1]["grade"] == 9
    assert result.urgency == "high"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("再不给钱我就跳楼", "extreme_threat"),
        ("大家一起去公司讨说法堵门", "extreme_threat"),
        ("不活了", "extreme_threat"),
        ("我们要拉横幅", "extreme_threat"),
        ("全体工人集体讨薪", "group_case"),
        ("12个农民工被欠薪", "group_case"),
        ("工地上摔伤了", "injury"),
    ],
)
def test_urgent_signals(text, signal):
    result = analyse(text, TODAY)
    assert signal in result.signals and result.urgency == "high"
    assert any(e["signal"] == signal for e in result.explanations["urgency"])


def test_spring_festival_by_words_or_by_date():
    assert "spring_festival" in analyse("老板欠我工资，说过年前给", TODAY).signals
    # no words, but the complaint comes in the six weeks before Spring Festival 2027 (02-06)
    in_window = analyse("老板欠我两个月工资不给", datetime.date(2027, 1, 10))
    assert "spring_festival" in in_window.signals and in_window.urgency == "high"
    reason = [e for e in in_window.explanations["signals"] if e["value"] == "spring_festival"][0]
    assert reason["spring_festival"] == "2027-02-06"
    assert "spring_festival" not in analyse("老板欠我两个月工资不给", TODAY).signals
    # not a wage case: overtime on the festival is no arrears before it
    assert "spring_festival" not in analyse("春节加班没有加班费", TODAY).signals


def test_ordinary_complaint_is_normal():
    result = analyse("公司不给我开离职证明", TODAY)
    assert result.urgency == "normal" and result.category == "other"
    assert result.explanations["urgency"][0]["rule"] == "urgency.default"


def test_every_field_is_explained_and_cites_a_known_rule():
    result = analyse(
        "我和3个工友在宏达建筑有限公司干活，2024年3月起欠了三个月工资共十四万元", TODAY
    )
    data = result.as_dict()
    assert set(data) == {*FIELDS, "explanations"}
    for field in FIELDS:
        assert result.explanations[field], field
        for item in result.explanations[field]:
            assert item["rule"] in RULES
    assert result.category == "wages"


def test_deterministic():
    text = "来电人反映12名农民工在工地被欠薪十四万元，扬言跳楼"
    assert analyse(text, TODAY) == analyse(text, TODAY)


def test_empty_text():
    result = analyse("", TODAY)
    assert result.category == "other" and result.amounts == [] and result.urgency == "normal"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # what the held-out texts taught version 1.1
        ("总共欠我们六万七 人已经联系不上了", "workers_count", None),
        ("在石嘴山市第三人民医院做保洁", "workers_count", 1),
        (
            "请问公司可以停发工资吗？我在维尔康医疗器械有限公司上班",
            "employer",
            "维尔康医疗器械有限公司",
        ),
        ("在大武口区一家奶茶店打工", "employer", None),
        ("在大武口区星光KTV当服务员", "employer", "大武口区星光KTV"),
        ("只发1800元，低于当地最低工资标准", "category", "wages"),
    ],
)
def test_held_out_lessons(text, field, value):
    assert getattr(analyse(text, TODAY), field) == value


@pytest.mark.parametrize("text", ["再拿不到钱真要去找政府了", "家属现在都堵在厂门口"])
def test_more_threats(text):
    assert "extreme_threat" in analyse(text, TODAY).signals


def test_long_digit_runs_are_read_in_linear_time():
    """An ID or bank card number beside the complaint: NUMBER's repetition used to try every way
    of splitting the digits (18 digits took half a second, 21 four seconds, 30 hours)."""
    import time

    text = "身份证号640202199001011234，卡号622202123456789012345，欠我工资5000元"
    start = time.perf_counter()
    result = analyse(text, TODAY)
    assert time.perf_counter() - start < 1.0
    assert result.amounts == ["5000.00"]


def test_long_runs_of_numerals_stay_fast_and_long_numbers_still_read():
    """A number is at most MAX_TOKENS tokens: unbounded, each rule backtracked through a long run
    of numerals from every start (8 s for 5,000 × "一", at the API's length limit)."""
    import time

    for text in ("一" * 5000, "十" * 5000, "1万" * 2500):
        start = time.perf_counter()
        analyse(text, TODAY)
        assert time.perf_counter() - start < 1.0, text[:4]
    assert analyse("欠我一千二百三十四万五千六百七十八元", TODAY).amounts == ["12345678.00"]
