"""The statutory calculators as pure functions: every worked example of labor-law.md §2–3 (C, D,
W, WD, O, L) and every branch — caps, floors, remainders, multipliers, boundaries."""

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


# -- service length -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2021, 3, 1), D(2024, 9, 30), (43, 0)),  # 3 years 7 months exactly
        (D(2024, 1, 10), D(2024, 2, 9), (1, 0)),
        (D(2024, 1, 10), D(2024, 2, 8), (0, 30)),
        # a month from 01-31 runs to the day before 02-29 (民法典第二百零二条: no 02-31)
        (D(2024, 1, 31), D(2024, 2, 28), (1, 0)),
        (D(2024, 1, 31), D(2024, 3, 1), (1, 2)),
        (D(2024, 5, 1), D(2024, 5, 1), (0, 1)),
    ],
)
def test_span_counts_whole_calendar_months_with_both_ends_included(first, last, expected):
    assert calc.span(first, last) == expected


@pytest.mark.parametrize(
    ("months", "days", "n"),
    [
        (0, 0, "0"),
        (0, 1, "0.5"),  # a few days: under six months → half a month
        (5, 29, "0.5"),
        (6, 0, "1"),  # six months or more → a full year
        (11, 30, "1"),
        (12, 0, "1"),
        (12, 1, "1.5"),
        (43, 0, "4"),
        (39, 0, "3.5"),
    ],
)
def test_compensation_months_remainder_rule(months, days, n):
    assert calc.compensation_months(months, days) == M(n)


# -- 经济补偿: the worked examples C1–C6, C1′, C4′ ---------------------------------------------


def test_c1_three_years_seven_months_below_the_cap():
    r = comp(8000, D(2021, 3, 1), D(2024, 9, 30), local_average_monthly_wage=M(9000))
    assert (r.compensation_months, r.wage_base, r.capped, r.amount) == (
        M(4),
        M(8000),
        False,
        M(32000),
    )
    assert r.multiplier == 1
    assert r.legal_basis == ("劳动合同法第四十七条",)


def test_c2_three_years_three_months_earns_half_a_month():
    r = comp(8000, D(2021, 6, 1), D(2024, 8, 31))
    assert r.compensation_months == M("3.5")
    assert r.amount == M(28000)


def test_c3_five_months():
    r = comp(6000, D(2024, 1, 1), D(2024, 5, 31))
    assert r.compensation_months == M("0.5")
    assert r.amount == M(3000)


def test_c4_above_the_cap_three_times_average_and_twelve_years():
    r = comp(45000, D(2009, 7, 1), D(2024, 8, 31), local_average_monthly_wage=M(10000))
    assert r.capped is True
    assert r.wage_base == M(30000)
    assert r.months_before_limit == M("15.5")
    assert r.compensation_months == M(12)
    assert r.amount == M(360000)


def test_c5_below_the_cap_long_service_has_no_twelve_year_limit():
    r = comp(20000, D(2009, 7, 1), D(2024, 8, 31), local_average_monthly_wage=M(10000))
    assert r.capped is False
    assert r.compensation_months == M("15.5")
    assert r.amount == M(310000)


def test_c6_average_below_the_minimum_wage_uses_the_minimum():
    r = comp(1900, D(2022, 1, 1), D(2023, 12, 31), local_minimum_monthly_wage=M(2490))
    assert r.floored is True
    assert r.wage_base == M(2490)
    assert r.amount == M(4980)
    assert "劳动合同法实施条例第二十七条" in r.legal_basis


def test_c1_prime_unlawful_termination_doubles():
    r = comp(8000, D(2021, 3, 1), D(2024, 9, 30), local_average_monthly_wage=M(9000),
             unlawful_termination=True)  # fmt: skip
    assert r.multiplier == 2
    assert r.amount == M(64000)
    assert r.legal_basis == (
        "劳动合同法第四十七条",
        "劳动合同法第八十七条",
        "劳动合同法第四十八条",
        "劳动合同法实施条例第二十五条",
    )


def test_c4_prime_unlawful_termination_above_the_cap():
    r = comp(45000, D(2009, 7, 1), D(2024, 8, 31), local_average_monthly_wage=M(10000),
             unlawful_termination=True)  # fmt: skip
    assert r.amount == M(720000)


# -- 经济补偿: branches ---------------------------------------------------------------------------


def test_the_cap_applies_only_strictly_above_three_times_the_average():
    at = comp(30000, D(2009, 7, 1), D(2024, 8, 31), local_average_monthly_wage=M(10000))
    assert at.capped is False and at.amount == M(465000)  # 15.5 × 30,000
    above = comp("30000.01", D(2009, 7, 1), D(2024, 8, 31), local_average_monthly_wage=M(10000))
    assert above.capped is True and above.amount == M(360000)


def test_the_cap_with_short_service_keeps_the_months():
    r = comp(45000, D(2020, 1, 1), D(2024, 5, 31), local_average_monthly_wage=M(10000))
    assert r.capped and r.compensation_months == M("4.5") and r.amount == M(135000)


def test_the_floor_does_not_apply_at_or_above_the_minimum():
    r = comp(2490, D(2022, 1, 1), D(2023, 12, 31), local_minimum_monthly_wage=M(2490))
    assert r.floored is False and r.amount == M(4980)
    assert "劳动合同法实施条例第二十七条" not in r.legal_basis


def test_without_the_local_figures_the_cap_and_floor_are_not_checked_and_it_says_so():
    r = comp(45000, D(2009, 7, 1), D(2024, 8, 31))
    assert r.capped is False and r.amount == M(697500)
    assert any("三倍封顶" in n for n in r.notes)
    assert any("最低工资" in n for n in r.notes)


def test_service_before_2008_counts_from_2008_and_is_flagged():
    r = comp(5000, D(2005, 3, 1), D(2012, 8, 31))
    assert r.pre_2008_service is True
    assert r.counted_from == D(2008, 1, 1)
    assert r.compensation_months == M(5)  # 2008-01-01 … 2012-08-31: 4 years 8 months
    assert r.amount == M(25000)
    assert "劳动合同法第九十七条" in r.legal_basis
    assert any("当时有关规定" in n for n in r.notes)


def test_damages_count_from_the_first_day_even_before_2008():
    r = comp(5000, D(2005, 3, 1), D(2012, 8, 31), unlawful_termination=True)
    assert r.pre_2008_service is True
    assert r.counted_from == D(2005, 3, 1)
    assert (r.service_months, r.service_days) == (90, 0)  # 7 years 6 months: a remainder of 6
    assert r.compensation_months == M(8)
    assert r.amount == M(80000)
    assert "劳动合同法第九十七条" not in r.legal_basis


def test_service_entirely_before_2008_gives_nothing_under_the_new_law():
    r = comp(5000, D(2003, 1, 1), D(2007, 6, 30))
    assert r.pre_2008_service and r.amount == M(0)


def test_a_few_days_of_service_earn_half_a_month():
    assert comp(6000, D(2024, 5, 1), D(2024, 5, 20)).amount == M(3000)


@pytest.mark.parametrize(
    ("rule", "months"),
    [("ignore", "3.5"), ("round_up", "4"), ("half_month", "4")],
)
def test_the_part_month_rule_is_a_setting(rule, months, settings):
    # 3 years 5 months 20 days
    settings.RIGHTS_SERVICE_PART_MONTH = rule
    r = comp(8000, D(2021, 1, 1), D(2024, 6, 20))
    assert (r.service_months, r.service_days) == ((41, 20) if rule == "ignore" else (42, 0))
    assert r.compensation_months == M(months)


def test_half_month_rule_ignores_fewer_than_fifteen_days():
    r = comp(8000, D(2021, 1, 1), D(2024, 6, 10), part_month="half_month")
    assert r.compensation_months == M("3.5")


def test_an_unknown_part_month_setting_is_a_configuration_error(settings):
    settings.RIGHTS_SERVICE_PART_MONTH = "sometimes"
    with pytest.raises(ValueError, match="RIGHTS_SERVICE_PART_MONTH"):
        comp(8000, D(2021, 1, 1), D(2024, 6, 20))


def test_rounding_is_half_up_to_the_fen():
    r = comp("3333.33", D(2024, 1, 1), D(2024, 5, 31))  # 0.5 × 3,333.33 = 1,666.665
    assert r.amount == M("1666.67")


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"monthly_wage": M(-1)}, "monthly_wage", "不能为负数"),
        ({"monthly_wage": M(0)}, "monthly_wage", "应大于 0"),
        ({"end_date": D(2019, 12, 31)}, "end_date", "不能早于入职日期"),
        ({"local_average_monthly_wage": M(-5)}, "local_average_monthly_wage", "不能为负数"),
        ({"local_minimum_monthly_wage": M(0)}, "local_minimum_monthly_wage", "应大于 0"),
        ({"start_date": D(1, 1, 1)}, "start_date", "1950年至2100年"),
        ({"end_date": D(9999, 12, 31)}, "end_date", "1950年至2100年"),
    ],
)
def test_economic_compensation_rejects_bad_input(kw, field, message):
    args = {"monthly_wage": M(8000), "start_date": D(2020, 1, 1), "end_date": D(2022, 1, 1)}
    with pytest.raises(CalculatorError) as err:
        calc.economic_compensation(**{**args, **kw})
    assert err.value.field == field and message in err.value.message


# -- 二倍工资: D1, D2 and branches ----------------------------------------------------------------


def test_d1_contract_signed_after_eight_months():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                         contract_signed_date=D(2024, 9, 10))  # fmt: skip
    assert (r.period_start, r.period_end) == (D(2024, 2, 10), D(2024, 9, 9))
    assert r.months == M(7) and r.amount == M(42000)
    assert r.deemed_open_ended is False
    assert r.legal_basis == ("劳动合同法第八十二条", "劳动合同法实施条例第六条")


def test_d2_never_signed_is_capped_at_eleven_months_and_deemed_open_ended():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10), end_date=D(2025, 5, 31))
    assert (r.period_start, r.period_end) == (D(2024, 2, 10), D(2025, 1, 9))
    assert r.months == M(11) and r.amount == M(66000)
    assert r.deemed_open_ended is True
    assert r.open_ended_from == D(2025, 1, 10)
    assert "劳动合同法第十四条" in r.legal_basis and "劳动合同法实施条例第七条" in r.legal_basis


def test_signed_within_the_first_month_owes_nothing():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                         contract_signed_date=D(2024, 2, 10))  # fmt: skip
    assert r.months == 0 and r.amount == M(0) and r.period_start is None


def test_signed_the_day_after_the_first_month_owes_one_day():
    r = calc.double_wage(monthly_wage=M(2900), start_date=D(2024, 1, 10),
                         contract_signed_date=D(2024, 2, 11), part_month="prorate")  # fmt: skip
    assert (r.period_start, r.period_end) == (D(2024, 2, 10), D(2024, 2, 10))
    assert (r.whole_months, r.extra_days) == (0, 1)
    assert r.amount == M(100)  # 2,900 × 1/29: the month 2024-02-10 … 03-09 has 29 days


def test_a_part_month_is_prorated_by_calendar_days_or_ignored():
    kw = {"monthly_wage": M(6000), "start_date": D(2024, 1, 10),
          "contract_signed_date": D(2024, 9, 25)}  # fmt: skip
    r = calc.double_wage(**kw, part_month="prorate")
    # 2024-02-10 … 2024-09-24: 7 months + 15 days of the month 09-10 … 10-09 (30 days)
    assert (r.whole_months, r.extra_days) == (7, 15)
    assert r.months == M("7.50") and r.amount == M(45000)
    assert calc.double_wage(**kw, part_month="ignore").amount == M(42000)


def test_leaving_before_the_anniversary_is_not_open_ended():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10), end_date=D(2025, 1, 9))
    assert r.months == M(11) and r.deemed_open_ended is False


def test_signing_after_the_anniversary_is_still_capped_and_open_ended():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                         contract_signed_date=D(2025, 3, 1))  # fmt: skip
    assert r.months == M(11) and r.deemed_open_ended is True


def test_the_earlier_of_signing_and_leaving_ends_the_period():
    r = calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10),
                         contract_signed_date=D(2024, 9, 10), end_date=D(2024, 5, 9))  # fmt: skip
    assert r.period_end == D(2024, 5, 9) and r.months == M(3)


def test_double_wage_needs_a_signing_or_leaving_date_and_a_sane_period():
    with pytest.raises(CalculatorError) as err:
        calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10))
    assert err.value.field == "contract_signed_date"
    with pytest.raises(CalculatorError) as err:
        calc.double_wage(monthly_wage=M(6000), start_date=D(2024, 1, 10), end_date=D(2024, 1, 9))
    assert err.value.field == "end_date"
    with pytest.raises(CalculatorError) as err:
        calc.double_wage(monthly_wage=M(-1), start_date=D(2024, 1, 10), end_date=D(2024, 5, 1))
    assert err.value.field == "monthly_wage"
    with pytest.raises(CalculatorError) as err:  # 0001-01-01 minus a day would overflow
        calc.double_wage(
            monthly_wage=M(1), start_date=D(2024, 1, 10), contract_signed_date=D(1, 1, 1)
        )
    assert err.value.field == "contract_signed_date"


# -- 工伤: W1–W5, WD1 and branches ----------------------------------------------------------------


def injury(grade, wage, avg=8000, **kw):
    return calc.work_injury(disability_grade=grade, monthly_wage=M(wage),
                            regional_average_monthly_wage=M(avg), **kw)  # fmt: skip


def test_w1_grade_9_within_the_band():
    r = injury(9, 6000)
    assert (r.wage_base, r.one_time_subsidy_months, r.one_time_disability_subsidy) == (
        M(6000), 9, M(54000))  # fmt: skip
    assert r.monthly_disability_allowance is None and r.wage_adjusted is None
    assert r.legal_basis == ("工伤保险条例第三十七条", "工伤保险条例第六十四条")


def test_w2_below_sixty_percent_is_floored():
    r = injury(9, 3500)
    assert (r.wage_base, r.wage_adjusted, r.one_time_disability_subsidy) == (
        M(4800), "floor", M(43200))  # fmt: skip


def test_w3_above_three_hundred_percent_is_capped():
    r = injury(9, 30000)
    assert (r.wage_base, r.wage_adjusted, r.one_time_disability_subsidy) == (
        M(24000), "cap", M(216000))  # fmt: skip


def test_the_band_edges_are_inclusive():
    assert injury(9, 4800).wage_adjusted is None
    assert injury(9, 24000).wage_adjusted is None


def test_w4_grade_5_allowance_paid_by_the_employer():
    r = injury(5, 6000)
    assert r.one_time_disability_subsidy == M(108000)
    assert r.monthly_disability_allowance == M(4200)
    assert (r.allowance_percent, r.allowance_payer) == (70, "employer")
    assert r.legal_basis[0] == "工伤保险条例第三十六条"


def test_w4_allowance_topped_up_to_the_minimum_wage():
    # with the 60% floor 70% of 本人工资 can only fall below the minimum where the average is low
    r = injury(5, 2000, avg=4000, local_minimum_monthly_wage=M(2490))
    assert r.wage_base == M(2400) and r.allowance_topped_up is True
    assert r.monthly_disability_allowance == M(2490)
    assert injury(5, 6000, local_minimum_monthly_wage=M(2490)).allowance_topped_up is False


def test_w5_grade_1_allowance_paid_by_the_fund():
    r = injury(1, 10000)
    assert r.one_time_disability_subsidy == M(270000)
    assert r.monthly_disability_allowance == M(9000)
    assert r.allowance_payer == "fund"
    assert r.legal_basis[0] == "工伤保险条例第三十五条"


@pytest.mark.parametrize(
    ("grade", "months", "percent"),
    [(1, 27, 90), (2, 25, 85), (3, 23, 80), (4, 21, 75), (5, 18, 70), (6, 16, 60),
     (7, 13, None), (8, 11, None), (9, 9, None), (10, 7, None)],
)  # fmt: skip
def test_every_grade_has_its_months_and_allowance(grade, months, percent):
    r = injury(grade, 6000)
    assert r.one_time_subsidy_months == months
    assert r.one_time_disability_subsidy == M(months * 6000)
    if percent is None:
        assert r.monthly_disability_allowance is None
    else:
        assert r.monthly_disability_allowance == M(6000 * percent / 100)


def test_wd1_death_funeral_and_death_grant():
    r = calc.work_injury(monthly_wage=M(6000), regional_average_monthly_wage=M(8000), death=True,
                         previous_year_national_urban_disposable_income=M(54188))  # fmt: skip
    assert r.funeral_subsidy == M(48000)
    assert r.death_benefit == M(1083760)
    assert r.one_time_disability_subsidy is None and r.monthly_disability_allowance is None
    assert r.legal_basis == ("工伤保险条例第三十九条",)
    assert r.lump_sum == M(1131760)


def test_grade_1_to_4_dying_after_the_leave_period_gets_no_death_grant():
    r = calc.work_injury(monthly_wage=M(6000), regional_average_monthly_wage=M(8000), death=True,
                         disability_grade=3)  # fmt: skip
    assert r.funeral_subsidy == M(48000) and r.death_benefit is None


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"disability_grade": 11}, "disability_grade"),
        ({"disability_grade": 0}, "disability_grade"),
        ({"disability_grade": None}, "disability_grade"),
        ({"monthly_wage": M(-1)}, "monthly_wage"),
        ({"regional_average_monthly_wage": M(0)}, "regional_average_monthly_wage"),
        ({"death": True, "disability_grade": None},
         "previous_year_national_urban_disposable_income"),
    ],
)  # fmt: skip
def test_work_injury_rejects_bad_input(kw, field):
    args = {
        "disability_grade": 9,
        "monthly_wage": M(6000),
        "regional_average_monthly_wage": M(8000),
    }
    with pytest.raises(CalculatorError) as err:
        calc.work_injury(**{**args, **kw})
    assert err.value.field == field


# -- 加班费: O1 and branches ------------------------------------------------------------------------


def test_o1_all_three_rates():
    r = calc.overtime(monthly_wage=M(6525), workday_hours=M(10), rest_day_hours=M(16),
                      holiday_hours=M(8))  # fmt: skip
    assert (r.daily_wage, r.hourly_wage) == (M(300), M("37.5"))
    assert (r.workday_amount, r.rest_day_amount, r.holiday_amount) == (M("562.5"), M(1200), M(900))
    assert r.amount == M("2662.50")
    assert r.legal_basis == ("劳动法第四十四条", "劳社部发〔2008〕3号")


def test_overtime_keeps_the_hourly_rate_exact_until_the_end():
    # 5,000 ÷ 174 = 28.7356…/h; 100 h × 1.5 = 4,310.34 (not 100 × 28.74 × 1.5 = 4,311.00)
    r = calc.overtime(monthly_wage=M(5000), workday_hours=M(100))
    assert r.hourly_wage == M("28.74") and r.amount == M("4310.34")


def test_overtime_over_36_hours_a_month_is_noted_and_negative_hours_rejected():
    assert calc.overtime(monthly_wage=M(5000), workday_hours=M(36)).notes == ()
    assert "第四十一条" in calc.overtime(monthly_wage=M(5000), workday_hours=M(37)).notes[0]
    assert calc.overtime(monthly_wage=M(5000)).amount == M(0)
    with pytest.raises(CalculatorError) as err:
        calc.overtime(monthly_wage=M(5000), holiday_hours=M(-1))
    assert err.value.field == "holiday_hours"


# -- 年休假: L1, L2 and the boundaries ---------------------------------------------------------------


def test_l1_four_unused_days_of_ten():
    r = calc.annual_leave(monthly_wage=M(6525), cumulative_work_years=M(12), unused_days=4)
    assert (r.entitled_days, r.daily_wage, r.amount, r.total_pay) == (10, M(300), M(2400), M(3600))


def test_l2_prorated_on_leaving_drops_the_part_day():
    assert calc.annual_leave_on_leaving(entitled_days=10, leaving_date=D(2025, 6, 30)) == 4
    assert calc.annual_leave_on_leaving(entitled_days=10, leaving_date=D(2025, 12, 31)) == 10
    assert calc.annual_leave_on_leaving(entitled_days=5, leaving_date=D(2025, 3, 1),
                                        taken_days=3) == 0  # fmt: skip


def test_l2_counting_convention_is_a_setting(settings):
    # leaving 2025-01-25: 25 days with the last day (15 × 25/365 = 1.03), 24 without (0.99)
    settings.RIGHTS_ANNUAL_LEAVE_COUNT_LAST_DAY = False
    assert calc.annual_leave_on_leaving(entitled_days=15, leaving_date=D(2025, 1, 25)) == 0
    settings.RIGHTS_ANNUAL_LEAVE_COUNT_LAST_DAY = True
    assert calc.annual_leave_on_leaving(entitled_days=15, leaving_date=D(2025, 1, 25)) == 1


@pytest.mark.parametrize(
    ("years", "days"),
    [
        ("0", 0),
        ("0.99", 0),
        ("1", 5),
        ("9.99", 5),
        ("10", 10),
        ("19.5", 10),
        ("20", 15),
        ("35", 15),
    ],
)
def test_annual_leave_entitlement_boundaries(years, days):
    assert calc.annual_leave_entitlement(M(years)) == days


def test_annual_leave_rejects_more_unused_days_than_entitled():
    with pytest.raises(CalculatorError) as err:
        calc.annual_leave(monthly_wage=M(6000), cumulative_work_years=M(5), unused_days=6)
    assert err.value.field == "unused_days" and "5天" in err.value.message
    with pytest.raises(CalculatorError) as err:
        calc.annual_leave(monthly_wage=M(6000), cumulative_work_years=M("0.5"), unused_days=1)
    assert "未满1年" in err.value.message
    assert calc.annual_leave(monthly_wage=M(6000), cumulative_work_years=M(0),
                             unused_days=0).amount == M(0)  # fmt: skip


# -- 加付赔偿金 --------------------------------------------------------------------------------------


def test_surcharge_is_fifty_to_one_hundred_percent():
    r = calc.unpaid_wage_surcharge(amount_owed=M(20000))
    assert (r.min, r.max) == (M(10000), M(20000))
    assert calc.unpaid_wage_surcharge(amount_owed=M("0.03")).min == M("0.02")  # half-up
    with pytest.raises(CalculatorError):
        calc.unpaid_wage_surcharge(amount_owed=M(0))


def test_every_article_cited_has_its_text_for_the_page():
    results = [
        comp(8000, D(2005, 3, 1), D(2024, 9, 30), local_minimum_monthly_wage=M(9000)),
        comp(8000, D(2005, 3, 1), D(2024, 9, 30), unlawful_termination=True),
        calc.double_wage(monthly_wage=M(1), start_date=D(2024, 1, 1), end_date=D(2025, 5, 1)),
        calc.double_wage(monthly_wage=M(1), start_date=D(2024, 1, 1), end_date=D(2024, 5, 1)),
        *[injury(g, 6000) for g in (1, 5, 9)],
        calc.work_injury(
            monthly_wage=M(1),
            regional_average_monthly_wage=M(1),
            death=True,
            previous_year_national_urban_disposable_income=M(1),
        ),  # fmt: skip
        calc.overtime(monthly_wage=M(1)),
        calc.annual_leave(monthly_wage=M(1), cumulative_work_years=M(1), unused_days=1),
        calc.unpaid_wage_surcharge(amount_owed=M(1)),
    ]
    cited = {name for r in results for name in r.legal_basis}
    assert cited <= set(calc.ARTICLE_TEXTS)
