"""Edges of the deadline engine that the worked examples leave open (#12 §7): interruptions and
suspensions on the first or last day, the six-month edge of the enforcement period, and periods
that reach a year the official calendar does not cover. Expected days follow the articles:
民法典第一百九十四条、第一百九十五条、第二百零一至二百零三条; 劳动争议调解仲裁法第二十七条."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from niangjia.core import calendar
from niangjia.rights import deadlines
from niangjia.rights.deadlines import (
    DeadlineError,
    Interruption,
    Suspension,
    apply_interruption,
    apply_suspension,
    compute_due,
)

D = datetime.date
ARB = "arbitration_limitation"  # 12 months, suspension pauses the clock (调解仲裁法第二十七条)
ENF = "enforcement_application"  # 24 months, civil-code suspension (民法典第一百九十四条)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches():
    calendar.invalidate()
    cache.clear()
    yield
    calendar.invalidate()


# --- interruption (中断) on the first and the last day ------------------------------------------


def test_an_interruption_on_the_start_day_restarts_from_the_same_day():
    assert apply_interruption(ARB, D(2025, 2, 10), D(2025, 2, 10)) == D(2025, 2, 10)
    result = compute_due(ARB, D(2025, 2, 10), events=[Interruption(D(2025, 2, 10))])
    assert (result.counted_from, result.due) == (D(2025, 2, 10), D(2026, 2, 10))


def test_an_interruption_on_the_moved_last_day_restarts_into_an_uncovered_year():
    # 2025-01-10 + 1 year = Saturday 2026-01-10 → in time until Monday 2026-01-12 (民法典第二百零三条)
    result = compute_due(ARB, D(2025, 1, 10), events=[Interruption(D(2026, 1, 12))])
    # the year runs again from 2026-01-12 (第二十七条第二款) and ends in 2027, which the official
    # calendar does not cover yet: weekends only, flagged
    assert (result.counted_from, result.nominal_due, result.due) == (
        D(2026, 1, 12),
        D(2027, 1, 12),
        D(2027, 1, 12),
    )
    assert result.calendar_complete is False
    assert result.moved_for_holiday is False


def test_an_interruption_the_day_after_the_moved_last_day_is_refused():
    with pytest.raises(DeadlineError) as err:
        compute_due(ARB, D(2025, 1, 10), events=[Interruption(D(2026, 1, 13))])
    assert str(err.value) == "时效已于 2026-01-12 届满，届满后不发生中断。"
    with pytest.raises(DeadlineError) as err:
        apply_interruption(ARB, D(2025, 1, 10), D(2026, 1, 13))
    assert str(err.value) == "时效已于 2026-01-12 届满，届满后不发生中断。"


def test_an_interruption_a_day_before_the_start_is_refused_with_its_message():
    with pytest.raises(DeadlineError) as err:
        apply_interruption(ARB, D(2025, 2, 10), D(2025, 2, 9))
    assert str(err.value) == "中断日期不能早于起算日期。"


def test_a_second_interruption_counts_from_the_restarted_period():
    result = compute_due(
        ARB,
        D(2024, 3, 1),
        events=[Interruption(D(2025, 2, 10)), Interruption(D(2026, 2, 10))],
    )
    assert (result.counted_from, result.due) == (D(2026, 2, 10), D(2027, 2, 10))


def test_procedural_periods_name_themselves_when_refusing_events():
    with pytest.raises(DeadlineError) as err:
        apply_interruption("arbitration_award", D(2025, 4, 1), D(2025, 4, 5))
    assert str(err.value) == "“仲裁裁决期限”不是时效期间，不适用中断。"
    with pytest.raises(DeadlineError) as err:
        compute_due(
            "suit_after_award", D(2025, 4, 1), events=[Suspension(D(2025, 4, 2), D(2025, 4, 3))]
        )
    assert str(err.value) == "“对非终局裁决起诉期限”不是时效期间，不适用中止。"


# --- suspension (中止) of the arbitration limitation: the clock pauses --------------------------


def test_a_one_day_suspension_on_the_start_day_adds_one_day():
    # both ends included: a cause that arose and ended on 2025-02-10 pauses one day
    assert apply_suspension(ARB, D(2025, 2, 10), D(2025, 2, 10), D(2025, 2, 10)) == D(2026, 2, 11)
    result = compute_due(ARB, D(2025, 2, 10), events=[Suspension(D(2025, 2, 10), D(2025, 2, 10))])
    assert (result.nominal_due, result.due, result.moved_for_holiday) == (
        D(2026, 2, 11),
        D(2026, 2, 11),
        False,
    )


def test_a_suspension_starting_the_day_before_the_start_is_refused():
    with pytest.raises(DeadlineError) as err:
        apply_suspension(ARB, D(2025, 2, 10), D(2025, 2, 9), D(2025, 2, 12))
    assert str(err.value) == "中止开始日期不能早于起算日期。"


def test_a_suspension_arising_on_the_last_day_still_pauses():
    # last day Tuesday 2026-02-10; a three-day cause 02-10..02-12 moves it to 02-13
    assert apply_suspension(ARB, D(2025, 2, 10), D(2026, 2, 10), D(2026, 2, 12)) == D(2026, 2, 13)
    with pytest.raises(DeadlineError) as err:
        apply_suspension(ARB, D(2025, 2, 10), D(2026, 2, 11), D(2026, 2, 12))
    assert str(err.value) == "时效届满后不发生中止。"


def test_a_suspension_on_the_moved_last_day_still_pauses():
    # nominal last day Saturday 2026-01-10, in time until Monday 01-12: a cause arising on the 12th
    # is before expiry; the pause counts from the nominal last day (01-10 + 1 day = 01-11)
    assert apply_suspension(ARB, D(2025, 1, 10), D(2026, 1, 12), D(2026, 1, 12)) == D(2026, 1, 11)
    with pytest.raises(DeadlineError):
        apply_suspension(ARB, D(2025, 1, 10), D(2026, 1, 13), D(2026, 1, 13))


def test_a_suspension_ending_on_the_day_it_began_is_accepted_and_one_ending_before_is_not():
    apply_suspension(ARB, D(2025, 2, 10), D(2025, 5, 1), D(2025, 5, 1))
    with pytest.raises(DeadlineError) as err:
        apply_suspension(ARB, D(2025, 2, 10), D(2025, 5, 1), D(2025, 4, 30))
    assert str(err.value) == "中止结束日期不能早于中止开始日期。"


def test_two_suspensions_add_up():
    # 2026-02-10 + 10 + 10 days = Monday 2026-03-02
    result = compute_due(
        ARB,
        D(2025, 2, 10),
        events=[
            Suspension(D(2025, 4, 1), D(2025, 4, 10)),
            Suspension(D(2025, 3, 1), D(2025, 3, 10)),
        ],
    )
    assert (result.nominal_due, result.due) == (D(2026, 3, 2), D(2026, 3, 2))


def test_an_interruption_within_a_suspended_extension_is_in_time():
    # the suspension moves the end from 2026-02-10 to 2026-02-20 (Spring Festival) → in time until
    # 2026-02-24; an interruption on 2026-02-15 is before expiry and restarts the whole year
    result = compute_due(
        ARB,
        D(2025, 2, 10),
        events=[Suspension(D(2025, 3, 1), D(2025, 3, 10)), Interruption(D(2026, 2, 15))],
    )
    assert (result.counted_from, result.due) == (D(2026, 2, 15), D(2027, 2, 15))
    without = compute_due(ARB, D(2025, 2, 10), events=[Suspension(D(2025, 3, 1), D(2025, 3, 10))])
    assert (without.nominal_due, without.due, without.moved_for_holiday) == (
        D(2026, 2, 20),
        D(2026, 2, 24),
        True,
    )


# --- suspension of the enforcement period: 民法典第一百九十四条 -----------------------------------
# 2024-03-15 + 2 years = Sunday 2026-03-15 → due Monday 2026-03-16. "The last six months" are the
# six months ending on 2026-03-15, i.e. counted from 2025-09-15 (not counted) → 09-16 … 03-15.


def test_enforcement_nominal_and_moved_last_day():
    result = compute_due(ENF, D(2024, 3, 15))
    assert (result.nominal_due, result.due, result.moved_for_holiday) == (
        D(2026, 3, 15),
        D(2026, 3, 16),
        True,
    )


def test_a_cause_arising_exactly_six_months_before_the_end_does_not_suspend():
    assert apply_suspension(ENF, D(2024, 3, 15), D(2025, 9, 15), D(2025, 10, 1)) == D(2026, 3, 15)


def test_a_cause_arising_one_day_inside_the_last_six_months_suspends():
    # 第一百九十四条第二款：自中止时效的原因消除之日起满六个月，诉讼时效期间届满
    assert apply_suspension(ENF, D(2024, 3, 15), D(2025, 9, 16), D(2025, 10, 1)) == D(2026, 4, 1)
    result = compute_due(ENF, D(2024, 3, 15), events=[Suspension(D(2025, 9, 16), D(2025, 10, 1))])
    assert (result.nominal_due, result.due) == (D(2026, 4, 1), D(2026, 4, 1))


def test_an_enforcement_cause_arising_on_the_moved_last_day_suspends_and_the_day_after_does_not():
    # ends 2026-03-20 → six months later is Sunday 2026-09-20, an official make-up working day
    result = compute_due(ENF, D(2024, 3, 15), events=[Suspension(D(2026, 3, 16), D(2026, 3, 20))])
    assert (result.nominal_due, result.due, result.moved_for_holiday) == (
        D(2026, 9, 20),
        D(2026, 9, 20),
        False,
    )
    with pytest.raises(DeadlineError):
        compute_due(ENF, D(2024, 3, 15), events=[Suspension(D(2026, 3, 17), D(2026, 3, 20))])


def test_a_short_cause_early_in_the_last_six_months_never_shortens_the_period():
    # a cause in the last six months that ends at once: six months after it may still be after the
    # original end — the period never ends earlier than it would have
    assert apply_suspension(ENF, D(2024, 3, 15), D(2025, 9, 16), D(2025, 9, 16)) == D(2026, 3, 16)


# --- the official calendar's coverage --------------------------------------------------------------


def test_a_month_period_ending_in_an_uncovered_year_is_flagged():
    result = compute_due(ARB, D(2026, 3, 2))
    assert result.due == D(2027, 3, 2) and result.calendar_complete is False


def test_a_day_period_is_judged_by_its_last_day_only():
    # started in 2003 (not covered), ends Friday 2004-01-09 (covered): only the last day matters
    result = compute_due("suit_after_award", D(2003, 12, 25))
    assert (result.due, result.moved_for_holiday, result.calendar_complete) == (
        D(2004, 1, 9),
        False,
        True,
    )


def test_a_working_day_period_needs_every_year_it_counts_through():
    # 60 working days from 2003-12-01 are counted partly in 2003, which is weekends only
    result = compute_due("labor_inspection_investigation", D(2003, 12, 1))
    assert result.due.year == 2004
    assert result.calendar_complete is False
    assert result.as_dict() == {
        "rule": "labor_inspection_investigation",
        "start": "2003-12-01",
        "due": result.due.isoformat(),
        "workdays": 60,
        "moved_for_holiday": False,
        "calendar_complete": False,
        "legal_basis": "劳动保障监察条例第十七条",
    }


@pytest.mark.parametrize(("start", "complete"), [(D(2003, 12, 30), False), (D(2003, 12, 31), True)])
def test_a_working_day_period_counts_from_the_day_after_the_start(start, complete):
    # 民法典第二百零一条: from 2003-12-30 the first counted day is 2003-12-31 (a year the official
    # calendar does not cover); from 2003-12-31 every counted day is in 2004, which it covers
    result = compute_due("labor_inspection_investigation", start)
    assert result.calendar_complete is complete
    assert (result.days, result.months, result.workdays) == (None, None, 60)


def test_a_five_working_day_period_skips_the_start_day():
    # 民法典第二百零一条: the start day is not counted; from Friday 2025-02-07 the working days are
    # Saturday 02-08 (an official make-up day), 02-10, 02-11, 02-12 and Thursday 02-13 (a period of
    # 5 calendar days would end on 02-12)
    rule = deadlines.Rule(id="t", name="测试", legal_basis="测试第一条", workdays=5)
    assert deadlines.nominal_last_day(rule, D(2025, 2, 7)) == D(2025, 2, 13)
    assert deadlines.nominal_last_day("arbitration_acceptance", D(2025, 2, 7)) == D(2025, 2, 12)


# --- the registry --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "unit", "length"),
    [
        ("mediation", "days", 15),
        ("arbitration_limitation", "months", 12),
        ("labor_inspection_investigation", "workdays", 60),
        ("labor_inspection_investigation_extended", "workdays", 90),
    ],
)
def test_each_rule_reports_its_unit_and_length(rule_id, unit, length):
    rule = deadlines.get_rule(rule_id)
    assert (rule.unit, rule.length) == (unit, length)
    assert deadlines.get_rule(rule) is rule
    result = compute_due(rule_id, D(2025, 3, 3))
    assert result.as_dict()[unit] == length
    assert {"days": result.days, "months": result.months, "workdays": result.workdays} == {
        u: length if u == unit else None for u in ("days", "months", "workdays")
    }
    assert result.legal_basis == rule.legal_basis and result.rule is rule


def test_an_unknown_rule_names_itself():
    with pytest.raises(deadlines.UnknownRule) as err:
        deadlines.get_rule("no_such_rule")
    assert err.value.args == ("no_such_rule",)


def test_a_rule_without_length_has_length_zero():
    rule = deadlines.Rule(id="t", name="测试", legal_basis="测试第一条")
    assert (rule.unit, rule.length) == ("workdays", 0)
    assert deadlines.nominal_last_day(rule, D(2025, 3, 3)) == D(2025, 3, 3)


def test_the_limitation_kinds_are_set_on_the_limitation_rules_only():
    kinds = {rid: r.limitation for rid, r in deadlines.RULES.items() if r.limitation}
    assert kinds == {
        "arbitration_limitation": deadlines.PAUSE,
        "arbitration_limitation_wage_arrears": deadlines.PAUSE,
        "enforcement_application": deadlines.CIVIL,
    }


def test_a_working_day_stays_and_a_rest_day_rolls_forward():
    assert deadlines.roll_to_working_day(D(2025, 2, 10)) == D(2025, 2, 10)
    assert deadlines.roll_to_working_day(D(2025, 2, 8)) == D(2025, 2, 8)  # make-up Saturday
    assert deadlines.roll_to_working_day(D(2025, 2, 9)) == D(2025, 2, 10)
    assert deadlines.is_deadline_working_day(D(2025, 2, 8)) is True


def test_make_up_days_do_not_count_when_the_province_says_so(settings):
    settings.DEADLINE_MAKEUP_DAYS_ARE_WORKING_DAYS = False
    assert deadlines.is_deadline_working_day(D(2025, 2, 8)) is False
    assert deadlines.is_deadline_working_day(D(2025, 2, 10)) is True
