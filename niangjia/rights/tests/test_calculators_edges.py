"""Legal edge cases of the calculators that the worked examples leave open (#12 §7): the boundaries
a one-character change to calculators.py would move without any other test noticing. Each expected
value is read off the article (../shared/domain/laws/), not off the code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from niangjia.rights import calculators as calc
from niangjia.rights.calculators import CalculatorError

D = datetime.date
M = Decimal


def comp(wage, start, end, **kw):
    return calc.economic_compensation(monthly_wage=M(wage), start_date=start, end_date=end, **kw)


def injury(grade=None, wage=6000, **kw):
    return calc.work_injury(
        monthly_wage=M(wage), regional_average_monthly_wage=M(8000), disability_grade=grade, **kw
    )


# -- 经济补偿 (劳动合同法第四十七条) ---------------------------------------------------------------


def test_a_one_day_service_earns_half_a_month():
    # 第四十七条：不满六个月的，向劳动者支付半个月工资的经济补偿 — one day is under six months
    r = comp(6000, D(2024, 5, 6), D(2024, 5, 6), local_minimum_monthly_wage=M(2490))
    assert (r.service_months, r.service_days) == (0, 1)
    assert r.compensation_months == M("0.5") and r.months_before_limit == M("0.5")
    assert r.amount == M(3000)
    d = r.as_dict()
    assert (d["service_years"], d["service_months"], d["service_days"]) == (0, 0, 1)
    assert d["compensation_months"] == "0.5" and d["amount"] == "3000.00"


@pytest.mark.parametrize(
    ("end", "months", "n"),
    [
        (D(2024, 6, 14), (5, 14), "0.5"),  # 14 days: not a month under "half_month"
        (D(2024, 6, 15), (6, 0), "1"),  # exactly 15 days: counts as a month → six months → a year
    ],
)
def test_exactly_fifteen_days_of_a_month_count_as_a_month_under_the_half_month_rule(end, months, n):
    r = comp(8000, D(2024, 1, 1), end, part_month="half_month")
    assert (r.service_months, r.service_days) == months
    assert r.compensation_months == M(n)


def test_exactly_fifteen_days_stay_days_under_the_literal_rule():
    r = comp(8000, D(2024, 1, 1), D(2024, 6, 15), part_month="ignore")
    assert (r.service_months, r.service_days) == (5, 15)
    assert r.compensation_months == M("0.5")


def test_round_up_counts_a_single_started_day_as_a_month():
    r = comp(8000, D(2024, 1, 1), D(2024, 6, 1), part_month="round_up")
    assert (r.service_months, r.service_days) == (6, 0)
    assert r.compensation_months == M(1)


def test_a_start_on_2008_01_01_is_wholly_under_the_new_law():
    # 第九十七条第三款 applies to contracts existing on the day the law took effect; one that
    # starts on 2008-01-01 has no earlier service to set aside
    r = comp(5000, D(2008, 1, 1), D(2012, 8, 31))
    assert r.pre_2008_service is False
    assert r.counted_from == D(2008, 1, 1)
    assert r.legal_basis == ("劳动合同法第四十七条",)
    assert not any("当时有关规定" in n for n in r.notes)
    assert r.compensation_months == M(5)  # 4 years 8 months


def test_a_start_on_2007_12_31_has_one_day_under_the_old_rules():
    r = comp(5000, D(2007, 12, 31), D(2012, 8, 31))
    assert r.pre_2008_service is True and r.counted_from == D(2008, 1, 1)
    assert "劳动合同法第九十七条" in r.legal_basis
    assert r.as_dict()["pre_2008_service"] is True


def test_damages_for_a_start_on_2008_01_01_carry_no_pre_2008_note():
    r = comp(5000, D(2008, 1, 1), D(2012, 8, 31), unlawful_termination=True)
    assert r.notes == (
        "未填写当地月最低工资标准，未核对最低工资保底。",
        "未填写当地上年度职工月平均工资，未核对三倍封顶。",
    )
    assert r.legal_basis == (
        "劳动合同法第四十七条",
        "劳动合同法第八十七条",
        "劳动合同法第四十八条",
        "劳动合同法实施条例第二十五条",
    )
    assert r.multiplier == 2 and r.amount == M(50000)


def test_damages_with_pre_2008_service_say_the_years_count_from_the_start():
    r = comp(5000, D(2007, 12, 31), D(2012, 8, 31), unlawful_termination=True)
    assert r.notes[0] == "赔偿金的计算年限自用工之日起计算，含2008年以前的工作年限。"


def test_leaving_on_the_first_anniversary_is_a_year_and_a_day():
    # start 2024-03-01: the year is full on 2025-02-28; working on 2025-03-01 too adds a day,
    # a remainder under six months → half a month more (第四十七条)
    on_eve = comp(6000, D(2024, 3, 1), D(2025, 2, 28))
    assert (on_eve.service_months, on_eve.service_days, on_eve.compensation_months) == (12, 0, 1)
    on_day = comp(6000, D(2024, 3, 1), D(2025, 3, 1))
    assert (on_day.service_months, on_day.service_days) == (12, 1)
    assert on_day.compensation_months == M("1.5") and on_day.amount == M(9000)


def test_the_twelve_year_limit_applies_only_above_twelve_years():
    r = comp(45000, D(2012, 1, 1), D(2023, 12, 31), local_average_monthly_wage=M(10000))
    assert r.capped and r.compensation_months == M(12) and r.months_before_limit == M(12)
    r = comp(45000, D(2011, 10, 1), D(2023, 12, 31), local_average_monthly_wage=M(10000))
    assert r.months_before_limit == M("12.5") and r.compensation_months == M(12)
    assert r.as_dict()["months_before_limit"] == "12.5"


def test_a_wage_equal_to_the_minimum_is_not_floored_and_one_fen_below_is():
    at = comp(2490, D(2022, 1, 1), D(2023, 12, 31), local_minimum_monthly_wage=M(2490))
    assert at.floored is False and at.wage_base == M(2490)
    below = comp("2489.99", D(2022, 1, 1), D(2023, 12, 31), local_minimum_monthly_wage=M(2490))
    assert below.floored is True and below.wage_base == M(2490) and below.amount == M(4980)
    assert below.legal_basis[-1] == "劳动合同法实施条例第二十七条"
    assert not any("最低工资" in n for n in below.notes)


def test_end_before_start_by_one_day_is_refused_and_the_same_day_is_not():
    with pytest.raises(CalculatorError) as err:
        comp(6000, D(2024, 5, 6), D(2024, 5, 5))
    assert err.value.field == "end_date"
    assert err.value.message == "不能早于入职日期 start_date。"
    assert comp(6000, D(2024, 5, 6), D(2024, 5, 6)).amount == M(3000)


@pytest.mark.parametrize(
    ("day", "ok"),
    [(D(1950, 1, 1), True), (D(2100, 12, 31), True), (D(1949, 12, 31), False), (D(2101, 1, 1), False)],
)  # fmt: skip
def test_dates_are_accepted_from_1950_to_2100_inclusive(day, ok):
    if ok:
        comp(6000, day, day)
        return
    with pytest.raises(CalculatorError) as err:
        comp(6000, day, day)
    assert err.value.message == "日期应在1950年至2100年之间。"


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "缺少此字段。"), (M(-1), "不能为负数。"), (M(0), "应大于 0。")],
)
def test_the_exact_messages_of_a_bad_amount(value, message):
    with pytest.raises(CalculatorError) as err:
        calc.unpaid_wage_surcharge(amount_owed=value)
    assert (err.value.field, err.value.message) == ("amount_owed", message)
    assert str(err.value) == f"amount_owed: {message}"


def test_field_labels_name_the_field_in_chinese():
    assert calc.field_label("monthly_wage") == "monthly_wage（月工资）"
    assert calc.field_label("nonsense") == "nonsense"


def test_the_as_dict_of_economic_compensation_is_the_public_shape():
    r = comp(8000, D(2021, 3, 1), D(2024, 9, 30), local_average_monthly_wage=M(9000),
             local_minimum_monthly_wage=M(2490))  # fmt: skip
    assert r.as_dict() == {
        "compensation_months": "4",
        "wage_base": "8000.00",
        "capped": False,
        "multiplier": 1,
        "amount": "32000.00",
        "legal_basis": ["劳动合同法第四十七条"],
        "counted_from": "2021-03-01",
        "service_years": 3,
        "service_months": 7,
        "service_days": 0,
        "months_before_limit": "4",
        "floored": False,
        "pre_2008_service": False,
        "notes": [],
    }


# -- 二倍工资 (劳动合同法第八十二条；实施条例第六、七条) -------------------------------------------


def dw(start, **kw):
    return calc.double_wage(monthly_wage=M(6000), start_date=start, **kw)


def test_leaving_on_the_first_anniversary_is_deemed_open_ended_the_day_before_is_not():
    # 实施条例第七条：满一年的当日视为已订立无固定期限劳动合同
    on_day = dw(D(2024, 1, 10), end_date=D(2025, 1, 10))
    assert on_day.deemed_open_ended is True and on_day.open_ended_from == D(2025, 1, 10)
    assert (on_day.period_start, on_day.period_end) == (D(2024, 2, 10), D(2025, 1, 9))
    assert on_day.months == M(11) and on_day.amount == M(66000)
    assert on_day.legal_basis == (
        "劳动合同法第八十二条",
        "劳动合同法实施条例第七条",
        "劳动合同法第十四条",
    )
    eve = dw(D(2024, 1, 10), end_date=D(2025, 1, 9))
    assert eve.deemed_open_ended is False and eve.open_ended_from is None
    assert eve.months == M(11) and eve.amount == M(66000)
    assert eve.legal_basis == ("劳动合同法第八十二条", "劳动合同法实施条例第六条")
    assert len(eve.notes) == 1


def test_signing_on_the_anniversary_is_deemed_open_ended():
    r = dw(D(2024, 1, 10), contract_signed_date=D(2025, 1, 10))
    assert r.deemed_open_ended is True and r.months == M(11)
    assert "2025-01-10" in r.notes[1]


def test_signing_on_the_day_after_the_first_month_owes_nothing_and_a_day_later_one_day():
    # 满一个月的次日 is 2024-02-10: signing that day leaves no day of the double-wage period
    none = dw(D(2024, 1, 10), contract_signed_date=D(2024, 2, 10))
    assert none.amount == M(0) and none.months == M(0) and none.period_start is None
    assert none.as_dict()["amount"] == "0.00" and none.as_dict()["period_end"] is None
    assert none.notes[-1] == "用工未超过一个月即已签订书面合同或离职，不产生二倍工资。"
    one = dw(D(2024, 1, 10), contract_signed_date=D(2024, 2, 11))
    assert (one.period_start, one.period_end, one.whole_months, one.extra_days) == (
        D(2024, 2, 10), D(2024, 2, 10), 0, 1,
    )  # fmt: skip
    assert one.months == M("0.03") and one.amount == M("206.90")  # 1/29 of 6,000 (Feb 2024)


def test_a_part_month_is_prorated_by_the_days_of_that_month():
    # 2024-02-10 … 2024-04-24: 2 whole months and 15 days of the month from 04-10 (30 days)
    r = dw(D(2024, 1, 10), contract_signed_date=D(2024, 4, 25))
    assert (r.whole_months, r.extra_days) == (2, 15)
    assert r.months == M("2.5") and r.amount == M(15000)
    assert r.as_dict()["months"] == "2.5"
    ignored = dw(D(2024, 1, 10), contract_signed_date=D(2024, 4, 25), part_month="ignore")
    assert ignored.months == M(2) and ignored.amount == M(12000)


def test_double_wage_end_date_may_equal_start_but_not_precede_it():
    r = dw(D(2024, 1, 10), end_date=D(2024, 1, 10))
    assert r.amount == M(0)
    with pytest.raises(CalculatorError) as err:
        dw(D(2024, 1, 10), end_date=D(2024, 1, 9))
    assert err.value.field == "end_date"


# -- 工伤 (工伤保险条例第三十五至三十九条、第六十四条) ----------------------------------------------


@pytest.mark.parametrize(
    ("grade", "article", "payer"),
    [
        (1, "工伤保险条例第三十五条", "fund"),
        (4, "工伤保险条例第三十五条", "fund"),  # 第三十五条：一级至四级
        (5, "工伤保险条例第三十六条", "employer"),
        (6, "工伤保险条例第三十六条", "employer"),  # 第三十六条：五级、六级
        (7, "工伤保险条例第三十七条", None),  # 第三十七条：七级至十级
        (10, "工伤保险条例第三十七条", None),
    ],
)
def test_each_grade_cites_its_own_article_and_allowance_payer(grade, article, payer):
    r = injury(grade)
    assert r.legal_basis == (article, "工伤保险条例第六十四条")
    assert r.allowance_payer == payer
    assert r.as_dict()["allowance_payer"] == payer


def test_grade_4_has_75_percent_from_the_fund_and_no_provincial_subsidy_note():
    r = injury(4)
    assert (r.one_time_subsidy_months, r.allowance_percent) == (21, 75)
    assert r.one_time_disability_subsidy == M(126000)
    assert r.monthly_disability_allowance == M(4500)
    assert r.notes == ()  # grades 1–4 keep the employment: no one-time medical/employment subsidy


def test_grade_6_has_60_percent_from_the_employer_and_both_notes():
    r = injury(6)
    assert (r.one_time_subsidy_months, r.allowance_percent) == (16, 60)
    assert r.one_time_disability_subsidy == M(96000)
    assert r.monthly_disability_allowance == M(3600)
    assert r.notes == (
        "五级、六级伤残由用人单位安排适当工作；难以安排工作的，才按月发给伤残津贴。",
        "解除或终止劳动关系时另有一次性工伤医疗补助金和一次性伤残就业补助金，"
        "标准由各省规定，未计入本结果。",
    )


def test_grade_7_has_no_allowance_and_only_the_provincial_subsidy_note():
    r = injury(7)
    assert r.monthly_disability_allowance is None and r.allowance_percent is None
    assert r.allowance_topped_up is False
    assert len(r.notes) == 1 and "一次性伤残就业补助金" in r.notes[0]


def test_an_allowance_equal_to_the_minimum_wage_is_not_topped_up():
    # 第三十六条：伤残津贴实际金额低于当地最低工资标准的 … 补足差额 — equal is not below
    at = injury(5, wage=6000, local_minimum_monthly_wage=M(4200))  # 70% of 6,000
    assert at.monthly_disability_allowance == M(4200) and at.allowance_topped_up is False
    below = injury(5, wage=6000, local_minimum_monthly_wage=M("4200.01"))
    assert below.monthly_disability_allowance == M("4200.01") and below.allowance_topped_up is True
    assert below.as_dict()["allowance_topped_up"] is True


def test_a_grade_4_top_up_is_paid_to_the_minimum():
    # 本人工资 floored at 4,800 (60% of 8,000): 75% = 3,600 < 3,700 → the fund tops it up
    r = injury(4, wage=3000, local_minimum_monthly_wage=M(3700))
    assert r.wage_base == M(4800) and r.wage_adjusted == "floor"
    assert r.monthly_disability_allowance == M(3700) and r.allowance_topped_up is True


def test_a_grade_4_late_death_gets_funeral_and_pension_but_no_death_grant():
    # 第三十九条第三款：一级至四级伤残职工在停工留薪期满后死亡的 — 第（一）项、第（二）项 only
    r = injury(4, death=True)
    assert r.funeral_subsidy == M(48000) and r.death_benefit is None
    assert r.lump_sum == M(48000)
    assert r.legal_basis == ("工伤保险条例第三十九条",)
    assert r.notes[1] == (
        "一级至四级伤残职工在停工留薪期满后死亡的，近亲属领取丧葬补助金和供养亲属抚恤金，"
        "不领取一次性工亡补助金。"
    )
    d = r.as_dict()
    assert d["death_benefit"] is None and d["funeral_subsidy"] == "48000.00"


def test_a_grade_5_death_is_a_full_work_death_and_needs_the_national_income():
    with pytest.raises(CalculatorError) as err:
        injury(5, death=True)
    assert err.value.field == "previous_year_national_urban_disposable_income"
    r = injury(5, death=True, previous_year_national_urban_disposable_income=M(54188))
    assert r.death_benefit == M(1083760) and len(r.notes) == 1


def test_the_wage_band_edges_are_inclusive():
    # 第六十四条：高于 300% / 低于 60% — equal to either edge is the worker's own wage
    assert calc.injury_wage_base(M(4800), M(8000)) == (M(4800), None)
    assert calc.injury_wage_base(M(24000), M(8000)) == (M(24000), None)
    assert calc.injury_wage_base(M("4799.99"), M(8000)) == (M(4800), "floor")
    assert calc.injury_wage_base(M("24000.01"), M(8000)) == (M(24000), "cap")


def test_a_missing_grade_without_death_says_it_is_required():
    with pytest.raises(CalculatorError) as err:
        injury(None)
    assert err.value.message == "缺少此字段（未因工死亡时必填）。"
    with pytest.raises(CalculatorError) as err:
        injury(11)
    assert err.value.message == "应为 1 至 10 级。"


# -- 加班费、年休假: rounding once, at the end ------------------------------------------------------


def test_overtime_rounds_once_at_the_end_not_per_part():
    # 5,001 ÷ 21.75 ÷ 8 = 28.7413…/h; parts 43.112…, 57.482…, 86.224…: the exact sum 186.819…
    # is 186.82, while adding the rounded parts (or using the rounded hourly rate) gives 186.81
    r = calc.overtime(monthly_wage=M(5001), workday_hours=M(1), rest_day_hours=M(1),
                      holiday_hours=M(1))  # fmt: skip
    assert (r.workday_amount, r.rest_day_amount, r.holiday_amount) == (
        M("43.11"), M("57.48"), M("86.22"),
    )  # fmt: skip
    assert r.amount == M("186.82")
    assert (r.hourly_wage, r.daily_wage) == (M("28.74"), M("229.93"))
    assert r.notes == ()


def test_overtime_of_exactly_36_hours_is_not_noted_and_a_fraction_more_is():
    assert calc.overtime(monthly_wage=M(6525), workday_hours=M(36)).notes == ()
    over = calc.overtime(monthly_wage=M(6525), workday_hours=M("36.5"))
    assert over.notes == (
        "劳动法第四十一条规定延长工作时间每月不得超过36小时；超时加班本身也可以向工会反映。",
    )


def test_overtime_rejects_negative_hours_by_name():
    for name in ("workday_hours", "rest_day_hours", "holiday_hours"):
        with pytest.raises(CalculatorError) as err:
            calc.overtime(monthly_wage=M(6525), **{name: M(-1)})
        assert err.value.field == name


def test_annual_leave_rounds_once_at_the_end():
    # 5,000 ÷ 21.75 = 229.885…/day: 3 days × 200% = 1,379.31 (not 229.89 × 6 = 1,379.34),
    # the full 300% = 2,068.97 (not 2,069.01)
    r = calc.annual_leave(monthly_wage=M(5000), cumulative_work_years=5, unused_days=3)
    assert r.daily_wage == M("229.89")
    assert (r.amount, r.total_pay) == (M("1379.31"), M("2068.97"))
    assert r.entitled_days == 5 and r.unused_days == 3


def test_annual_leave_on_the_first_anniversary_of_work_is_five_days():
    # 职工带薪年休假条例第三条：累计工作已满1年不满10年的，年休假5天
    assert calc.annual_leave_entitlement(1) == 5
    assert calc.annual_leave_entitlement(M("0.99")) == 0
    r = calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=1, unused_days=5)
    assert r.amount == M(3000)


def test_annual_leave_refusals_say_why():
    with pytest.raises(CalculatorError) as err:
        calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=M("0.5"), unused_days=1)
    assert err.value.message == "累计工作未满1年，不享受年休假，未休天数应为 0。"
    with pytest.raises(CalculatorError) as err:
        calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=3, unused_days=6)
    assert err.value.message == "未休天数不能超过当年应休天数（5天）；跨年度的请分年度计算。"
    ok = calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=0, unused_days=0)
    assert ok.amount == M(0)


@pytest.mark.parametrize(
    ("leaving", "entitled", "taken", "last_day", "days"),
    [
        (D(2025, 1, 1), 15, 0, True, 0),  # 1/365 × 15 = 0.04: a part day is not paid
        (D(2025, 12, 31), 15, 0, True, 15),  # 365/365 × 15
        (D(2025, 12, 31), 15, 0, False, 14),  # 364/365 × 15 = 14.96
        (D(2025, 2, 7), 10, 0, True, 1),  # 38/365 × 10 = 1.04
        (D(2025, 2, 6), 10, 1, True, 0),  # 37/365 × 10 − 1 = 0.01
    ],
)
def test_annual_leave_on_leaving_at_the_year_edges(leaving, entitled, taken, last_day, days):
    # 实施办法第十二条：（当年度在本单位已过日历天数÷365天）×全年应当享受的年休假天数－已安排天数
    owed = calc.annual_leave_on_leaving(
        entitled_days=entitled, leaving_date=leaving, taken_days=taken, count_last_day=last_day
    )
    assert owed == days


def test_annual_leave_on_leaving_never_goes_below_zero():
    assert calc.annual_leave_on_leaving(entitled_days=5, leaving_date=D(2025, 1, 31),
                                        taken_days=5) == 0  # fmt: skip


# -- 加付赔偿金 -------------------------------------------------------------------------------------


def test_surcharge_rounds_half_up_and_has_its_note():
    r = calc.unpaid_wage_surcharge(amount_owed=M("0.03"))
    assert (r.min, r.max) == (M("0.02"), M("0.03"))
    assert r.as_dict()["legal_basis"] == ["劳动合同法第八十五条"]
    assert "劳动行政部门" in r.notes[0]


# -- what each calculator says: fields blamed, notes, the public shape ------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: calc.annual_leave(monthly_wage=M(0), cumulative_work_years=3, unused_days=1),
         "monthly_wage"),
        (lambda: calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=3, unused_days=-1),
         "unused_days"),
        (lambda: calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=-1, unused_days=0),
         "cumulative_work_years"),
        (lambda: calc.overtime(monthly_wage=M(0)), "monthly_wage"),
        (lambda: calc.double_wage(monthly_wage=M(6000), start_date=D(1949, 12, 31),
                                  end_date=D(1950, 6, 1)), "start_date"),
        (lambda: calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                                  contract_signed_date=D(2101, 1, 1)), "contract_signed_date"),
        (lambda: calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                                  end_date=D(2101, 1, 1)), "end_date"),
        (lambda: injury(9, local_minimum_monthly_wage=M(-1)), "local_minimum_monthly_wage"),
    ],
)  # fmt: skip
def test_each_refusal_blames_its_own_field(call, field):
    with pytest.raises(CalculatorError) as err:
        call()
    assert err.value.field == field


def test_annual_leave_public_shape_and_notes():
    r = calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=12, unused_days=4)
    assert r.as_dict() == {
        "entitled_days": 10,
        "unused_days": 4,
        "daily_wage": "300.00",
        "amount": "2400.00",
        "total_pay": "3600.00",
        "legal_basis": [
            "职工带薪年休假条例第三条",
            "职工带薪年休假条例第五条",
            "企业职工带薪年休假实施办法第十条",
            "企业职工带薪年休假实施办法第十一条",
        ],
        "notes": [
            "职工因本人原因书面提出不休年休假的，单位可以只支付正常工作期间的工资。",
            "日工资按前12个月剔除加班工资后的月平均工资除以21.75计算。",
        ],
    }


def test_surcharge_public_shape():
    assert calc.unpaid_wage_surcharge(amount_owed=M(20000)).as_dict() == {
        "amount_owed": "20000.00",
        "min": "10000.00",
        "max": "20000.00",
        "legal_basis": ["劳动合同法第八十五条"],
        "notes": [
            "加付赔偿金由劳动行政部门责令用人单位限期支付而逾期仍不支付时决定；"
            "能否在仲裁中直接主张，各地做法不同。"
        ],
    }


def test_the_pre_2008_note_in_full():
    r = comp(5000, D(2005, 3, 1), D(2012, 8, 31), local_average_monthly_wage=M(9000),
             local_minimum_monthly_wage=M(2490))  # fmt: skip
    assert r.notes == (
        "2008年1月1日以前的工作年限不按劳动合同法计算，按当时有关规定执行；"
        "本结果只计算2008年1月1日以后的年限，此前部分请咨询工会。",
    )


def test_twelve_years_show_as_twelve_years_in_the_public_shape():
    r = comp(8000, D(2012, 1, 1), D(2023, 12, 31))
    d = r.as_dict()
    assert (d["service_years"], d["service_months"], d["service_days"]) == (12, 0, 0)
    assert d["compensation_months"] == "12"  # not "1.2E+1"
    assert calc.number(M(10)) == "10" and calc.number(M("3.50")) == "3.5"


def test_double_wage_notes_in_full():
    r = dw(D(2024, 1, 10), end_date=D(2025, 5, 31))
    assert r.notes == (
        "二倍工资差额的仲裁时效（按月分别计算或自期间届满起算）各地做法不同，"
        "请尽早申请并咨询工会。",
        "用工满一年仍未签书面合同，视为自2025-01-10起已订立无固定期限劳动合同；"
        "此后不再按未签合同支付二倍工资。",
    )


def test_nothing_owed_within_the_first_month_is_a_complete_zero_result():
    r = dw(D(2024, 1, 10), end_date=D(2024, 2, 9))
    assert (r.whole_months, r.extra_days, r.period_start, r.period_end) == (0, 0, None, None)
    assert r.deemed_open_ended is False and r.open_ended_from is None
    assert r.legal_basis == ("劳动合同法第八十二条", "劳动合同法实施条例第六条")


def test_the_double_wage_part_month_rule_is_read_from_settings(settings):
    settings.RIGHTS_DOUBLE_WAGE_PART_MONTH = "ignore"
    assert dw(D(2024, 1, 10), contract_signed_date=D(2024, 4, 25)).months == M(2)
    settings.RIGHTS_DOUBLE_WAGE_PART_MONTH = "weekly"
    with pytest.raises(ValueError, match="RIGHTS_DOUBLE_WAGE_PART_MONTH"):
        dw(D(2024, 1, 10), contract_signed_date=D(2024, 4, 25))


def test_grade_5_allowance_and_notes_in_full():
    r = injury(5)
    assert (r.one_time_subsidy_months, r.allowance_percent, r.allowance_payer) == (
        18,
        70,
        "employer",
    )
    assert r.notes == (
        "五级、六级伤残由用人单位安排适当工作；难以安排工作的，才按月发给伤残津贴。",
        "解除或终止劳动关系时另有一次性工伤医疗补助金和一次性伤残就业补助金，"
        "标准由各省规定，未计入本结果。",
    )


def test_a_death_result_keeps_the_wage_base_and_says_how_the_pension_is_shared():
    r = injury(
        None, wage=30000, death=True, previous_year_national_urban_disposable_income=M(54188)
    )
    assert (r.wage_base, r.wage_adjusted, r.disability_grade) == (M(24000), "cap", None)
    assert r.allowance_topped_up is False and r.allowance_payer is None
    assert r.notes == (
        "供养亲属抚恤金按月发给：配偶40%，其他亲属每人30%，孤寡老人或孤儿另加10%，合计不超过本人工资。",
    )
    late = injury(2, wage=3000, death=True)
    assert (late.wage_base, late.wage_adjusted, late.disability_grade) == (M(4800), "floor", 2)
