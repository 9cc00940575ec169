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
    add_months,
    apply_interruption,
    apply_suspension,
    compute_due,
)

D = datetime.date
URL = "/api/v1/calculators/deadline/"


@pytest.fixture(autouse=True)
def _fresh_caches():
    calendar.invalidate()
    cache.clear()  # the anonymous throttle counts requests in the default cache
    yield
    calendar.invalidate()


def _enter(year, text, complete=True):
    calendar.official_year_save(
        year=year,
        source="测试",
        complete=complete,
        lines=calendar.parse_schedule(year, text),
        actor=None,
    )


# --- counting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_15_day_period_ending_on_national_day_moves_to_the_first_working_day():
    result = compute_due("suit_after_award", D(2024, 9, 16))
    assert result.nominal_due == D(2024, 10, 1)
    assert result.due == D(2024, 10, 8)
    assert result.moved_for_holiday is True
    assert result.calendar_complete is True


@pytest.mark.django_db
def test_worked_example_e1_non_final_award_received_2025_09_20():
    result = compute_due("suit_after_award", D(2025, 9, 20))
    assert (result.nominal_due, result.due) == (D(2025, 10, 5), D(2025, 10, 9))


@pytest.mark.django_db
def test_worked_example_e2_extended_award_deadline_moves_off_dragon_boat():
    assert compute_due("arbitration_award", D(2025, 4, 1)).due == D(2025, 5, 16)
    result = compute_due("arbitration_award_extended", D(2025, 4, 1))
    assert (result.nominal_due, result.due) == (D(2025, 5, 31), D(2025, 6, 3))


@pytest.mark.django_db
def test_worked_example_e3_mediation_needs_no_move():
    result = compute_due("mediation", D(2025, 3, 3))
    assert (result.due, result.moved_for_holiday) == (D(2025, 3, 18), False)


@pytest.mark.django_db
def test_worked_example_e4_wage_arrears_one_year_from_the_end_of_employment():
    result = compute_due("arbitration_limitation_wage_arrears", D(2025, 6, 30))
    assert result.due == D(2026, 6, 30)
    assert result.months == 12


@pytest.mark.django_db
def test_a_last_day_on_a_make_up_saturday_stays():
    # 2024-10-12 is a Saturday worked in exchange for National Day
    result = compute_due("suit_after_award", D(2024, 9, 27))
    assert (result.due, result.moved_for_holiday) == (D(2024, 10, 12), False)


@pytest.mark.django_db
def test_provinces_that_do_not_count_make_up_days_move_past_them(settings):
    settings.DEADLINE_MAKEUP_DAYS_ARE_WORKING_DAYS = False
    result = compute_due("suit_after_award", D(2024, 9, 27))
    assert (result.due, result.moved_for_holiday) == (D(2024, 10, 14), True)


@pytest.mark.django_db
def test_spring_festival_2025_moves_a_deadline_to_february_5():
    # day 15 is 2025-01-29, the second day of the Spring Festival holiday (01-28 to 02-04)
    result = compute_due("suit_after_award", D(2025, 1, 14))
    assert (result.nominal_due, result.due) == (D(2025, 1, 29), D(2025, 2, 5))
    # and a deadline on the make-up Sunday before it stays there
    assert compute_due("arbitration_acceptance", D(2025, 1, 21)).due == D(2025, 1, 26)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),
        (D(2025, 5, 31), -6, D(2024, 11, 30)),
    ],
)
def test_month_periods_end_on_the_corresponding_day_or_the_month_end(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.django_db
def test_a_three_month_period_from_november_30_ends_on_february_28():
    assert compute_due("trial_simplified", D(2024, 11, 30)).due == D(2025, 2, 28)


@pytest.mark.django_db
def test_a_leap_day_start_plus_one_year_ends_on_february_28():
    result = compute_due("arbitration_limitation", D(2024, 2, 29))
    assert (result.due, result.moved_for_holiday) == (D(2025, 2, 28), False)


@pytest.mark.django_db
def test_working_day_periods_count_only_working_days():
    # 60 working days from filing on 2025-09-20: the make-up days 09-28 and 10-11 count,
    # National Day 10-01..10-08 does not
    assert compute_due("labor_inspection_investigation", D(2025, 9, 20)).due == D(2025, 12, 18)
    assert compute_due("labor_inspection_investigation_extended", D(2025, 9, 20)).due == D(
        2026, 1, 30
    )


@pytest.mark.django_db
def test_a_year_beyond_the_library_counts_weekends_and_warns():
    # day 15 is Saturday 2027-03-20: no official data for 2027, so only the weekend moves it
    result = compute_due("suit_after_award", D(2027, 3, 5))
    assert (result.due, result.moved_for_holiday) == (D(2027, 3, 22), True)
    assert result.calendar_complete is False
    # a period that starts in a known year but ends in 2027 also warns
    assert compute_due("suit_after_award", D(2026, 12, 20)).calendar_complete is False
    # and one that ends in 2026 does not
    assert compute_due("suit_after_award", D(2026, 12, 1)).calendar_complete is True


@pytest.mark.django_db
def test_staff_entered_holidays_move_deadlines_and_complete_the_year():
    # given
    _enter(2027, "2027-03-16~2027-03-17 测试假日 休")
    # when: day 15 falls on the entered holiday
    result = compute_due("suit_after_award", D(2027, 3, 1))
    # then
    assert (result.due, result.moved_for_holiday, result.calendar_complete) == (
        D(2027, 3, 18),
        True,
        True,
    )


@pytest.mark.django_db
def test_a_staff_entered_make_up_day_is_a_working_day_for_deadlines():
    _enter(2027, "2027-03-20 调休 班")
    result = compute_due("suit_after_award", D(2027, 3, 5))
    assert (result.due, result.moved_for_holiday) == (D(2027, 3, 20), False)


# --- wage arrears --------------------------------------------------------------------------------


def test_wage_arrears_have_no_limitation_while_employment_subsists():
    assert deadlines.limitation_rule_for(wage_arrears=True, employment_ended=None) is None
    assert (
        deadlines.limitation_rule_for(wage_arrears=True, employment_ended=D(2025, 6, 30))
        == "arbitration_limitation_wage_arrears"
    )
    assert (
        deadlines.limitation_rule_for(wage_arrears=False, employment_ended=None)
        == "arbitration_limitation"
    )


# --- interruption and suspension ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_interruption_restarts_the_whole_year():
    assert apply_interruption("arbitration_limitation", D(2024, 3, 1), D(2024, 12, 1)) == D(
        2024, 12, 1
    )
    result = compute_due(
        "arbitration_limitation", D(2024, 3, 1), events=[Interruption(D(2024, 12, 1))]
    )
    assert (result.counted_from, result.due) == (D(2024, 12, 1), D(2025, 12, 1))
    assert result.start == D(2024, 3, 1)


@pytest.mark.django_db
def test_an_interruption_on_the_moved_last_day_is_still_in_time():
    # 2023-10-01 + 1 year = 2024-10-01 (National Day) → due 2024-10-08
    assert apply_interruption("arbitration_limitation", D(2023, 10, 1), D(2024, 10, 8)) == D(
        2024, 10, 8
    )
    with pytest.raises(DeadlineError, match="时效已于 2024-10-08 届满"):
        apply_interruption("arbitration_limitation", D(2023, 10, 1), D(2024, 10, 9))


def test_interruption_and_suspension_do_not_apply_to_procedural_periods():
    with pytest.raises(DeadlineError, match="不适用中断"):
        apply_interruption("arbitration_award", D(2025, 4, 1), D(2025, 4, 5))
    with pytest.raises(DeadlineError, match="不适用中止"):
        apply_suspension("suit_after_award", D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 3))


@pytest.mark.django_db
def test_an_interruption_before_the_start_is_refused():
    with pytest.raises(DeadlineError, match="中断日期不能早于起算日期"):
        apply_interruption("arbitration_limitation", D(2024, 3, 1), D(2024, 2, 1))


@pytest.mark.django_db
def test_a_suspension_pauses_the_arbitration_limitation_for_its_span():
    # 10 days suspended (both ends included): 2025-03-01 → 2025-03-11
    assert apply_suspension(
        "arbitration_limitation", D(2024, 3, 1), D(2024, 5, 1), D(2024, 5, 10)
    ) == D(2025, 3, 11)
    result = compute_due(
        "arbitration_limitation", D(2024, 3, 1), events=[Suspension(D(2024, 5, 1), D(2024, 5, 10))]
    )
    assert (result.nominal_due, result.due) == (D(2025, 3, 11), D(2025, 3, 11))


@pytest.mark.django_db
def test_a_suspension_after_expiry_or_backwards_is_refused():
    with pytest.raises(DeadlineError, match="时效届满后不发生中止"):
        apply_suspension("arbitration_limitation", D(2024, 3, 1), D(2025, 3, 5), D(2025, 3, 9))
    with pytest.raises(DeadlineError, match="中止结束日期不能早于中止开始日期"):
        apply_suspension("arbitration_limitation", D(2024, 3, 1), D(2024, 5, 9), D(2024, 5, 1))


@pytest.mark.django_db
def test_enforcement_suspension_follows_the_civil_code_six_month_rule():
    start = D(2023, 1, 10)  # last day of performance; 2 years → 2025-01-10
    assert compute_due("enforcement_application", start).due == D(2025, 1, 10)
    # a cause within the last six months: the period ends six months after it ends
    assert apply_suspension("enforcement_application", start, D(2024, 12, 1), D(2024, 12, 20)) == D(
        2025, 6, 20
    )
    # an earlier cause has no effect
    assert apply_suspension("enforcement_application", start, D(2023, 6, 1), D(2023, 7, 1)) == D(
        2025, 1, 10
    )


@pytest.mark.django_db
def test_events_apply_in_date_order_and_an_interruption_wipes_an_earlier_suspension():
    result = compute_due(
        "arbitration_limitation",
        D(2024, 3, 1),
        events=[Interruption(D(2024, 9, 2)), Suspension(D(2024, 5, 1), D(2024, 5, 10))],
    )
    assert result.due == D(2025, 9, 2)
    # a suspension after the interruption extends the restarted period
    result = compute_due(
        "arbitration_limitation",
        D(2024, 3, 1),
        events=[Interruption(D(2024, 9, 2)), Suspension(D(2025, 1, 6), D(2025, 1, 8))],
    )
    assert result.due == D(2025, 9, 5)


# --- the registry --------------------------------------------------------------------------------


def test_every_rule_has_exactly_one_length_and_a_basis_naming_a_law_and_article():
    for rule in deadlines.RULES.values():
        assert [rule.days, rule.months, rule.workdays].count(None) == 2, rule.id
        assert "第" in rule.legal_basis and "条" in rule.legal_basis, rule.id
        assert rule.name and rule.start_event, rule.id


def test_an_unknown_rule_raises():
    with pytest.raises(deadlines.UnknownRule):
        compute_due("no_such_rule", D(2025, 1, 1))


# --- the public API ------------------------------------------------------------------------------

# Every rule from start 2025-09-20 (a Saturday), worked out by hand against the 2025–2027 calendar.
EXPECTED = {
    "mediation": ("days", 15, "2025-10-09", True, True, "劳动争议调解仲裁法第十四条第三款"),
    "judicial_confirmation": (
        "days",
        30,
        "2025-10-20",
        False,
        True,
        "人民调解法第三十三条；民事诉讼法第二百零五条",
    ),
    "arbitration_limitation": (
        "months",
        12,
        "2026-09-20",
        False,
        True,
        "劳动争议调解仲裁法第二十七条",
    ),  # 2026-09-20 is a make-up Sunday
    "arbitration_limitation_wage_arrears": (
        "months",
        12,
        "2026-09-20",
        False,
        True,
        "劳动争议调解仲裁法第二十七条第四款",
    ),
    "arbitration_acceptance": (
        "days",
        5,
        "2025-09-25",
        False,
        True,
        "劳动争议调解仲裁法第二十九条",
    ),
    "arbitration_service_of_application": (
        "days",
        5,
        "2025-09-25",
        False,
        True,
        "劳动争议调解仲裁法第三十条第一款",
    ),
    "arbitration_defence": (
        "days",
        10,
        "2025-09-30",
        False,
        True,
        "劳动争议调解仲裁法第三十条第二款",
    ),
    "arbitration_service_of_defence": (
        "days",
        5,
        "2025-09-25",
        False,
        True,
        "劳动争议调解仲裁法第三十条第二款",
    ),
    "arbitration_tribunal_notice": (
        "days",
        5,
        "2025-09-25",
        False,
        True,
        "劳动争议调解仲裁法第三十二条",
    ),
    "arbitration_award": ("days", 45, "2025-11-04", False, True, "劳动争议调解仲裁法第四十三条"),
    "arbitration_award_extended": (
        "days",
        60,
        "2025-11-19",
        False,
        True,
        "劳动争议调解仲裁法第四十三条",
    ),
    "suit_after_final_award": (
        "days",
        15,
        "2025-10-09",
        True,
        True,
        "劳动争议调解仲裁法第四十八条",
    ),
    "set_aside_final_award": (
        "days",
        30,
        "2025-10-20",
        False,
        True,
        "劳动争议调解仲裁法第四十九条第一款",
    ),
    "suit_after_award_set_aside": (
        "days",
        15,
        "2025-10-09",
        True,
        True,
        "劳动争议调解仲裁法第四十九条第三款",
    ),
    "suit_after_award": ("days", 15, "2025-10-09", True, True, "劳动争议调解仲裁法第五十条"),
    "payment_order_issue": (
        "days",
        15,
        "2025-10-09",
        True,
        True,
        "民事诉讼法第二百二十七条第一款；劳动争议调解仲裁法第十六条",
    ),
    "payment_order_objection": (
        "days",
        15,
        "2025-10-09",
        True,
        True,
        "民事诉讼法第二百二十七条第二款",
    ),
    "appeal_judgment": ("days", 15, "2025-10-09", True, True, "民事诉讼法第一百七十一条第一款"),
    "appeal_ruling": ("days", 10, "2025-09-30", False, True, "民事诉讼法第一百七十一条第二款"),
    "trial_ordinary": ("months", 6, "2026-03-20", False, True, "民事诉讼法第一百五十二条"),
    "trial_simplified": ("months", 3, "2025-12-22", True, True, "民事诉讼法第一百六十四条"),
    "trial_second_instance": (
        "months",
        3,
        "2025-12-22",
        True,
        True,
        "民事诉讼法第一百八十三条第一款",
    ),
    "enforcement_application": (
        "months",
        24,
        "2027-09-20",
        False,
        False,
        "民事诉讼法第二百五十条；劳动争议调解仲裁法第五十一条",
    ),  # 2027 not yet in the calendar
    "delay_extension_request": ("days", 10, "2025-09-30", False, True, "民事诉讼法第八十六条"),
    "work_injury_employer": ("days", 30, "2025-10-20", False, True, "工伤保险条例第十七条第一款"),
    "work_injury_worker": ("months", 12, "2026-09-20", False, True, "工伤保险条例第十七条第二款"),
    "labor_inspection_complaint": (
        "months",
        24,
        "2027-09-20",
        False,
        False,
        "劳动保障监察条例第二十条",
    ),
    "labor_inspection_investigation": (
        "workdays",
        60,
        "2025-12-18",
        False,
        True,
        "劳动保障监察条例第十七条",
    ),
    "labor_inspection_investigation_extended": (
        "workdays",
        90,
        "2026-01-30",
        False,
        True,
        "劳动保障监察条例第十七条",
    ),
}


def test_the_expected_table_covers_every_rule():
    assert set(EXPECTED) == set(deadlines.RULES)


@pytest.mark.django_db
@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_every_rule_through_the_api(client, rule_id):
    unit, length, due, moved, complete, basis = EXPECTED[rule_id]
    response = client.post(
        URL, {"rule": rule_id, "start": "2025-09-20"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "rule": rule_id,
        "start": "2025-09-20",
        "due": due,
        unit: length,
        "moved_for_holiday": moved,
        "calendar_complete": complete,
        "legal_basis": basis,
    }


@pytest.mark.django_db
def test_the_api_lists_every_rule(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == list(deadlines.RULES)
    assert body[0] == {
        "id": "mediation",
        "name": "劳动争议调解期限",
        "days": 15,
        "legal_basis": "劳动争议调解仲裁法第十四条第三款",
    }
    by_id = {item["id"]: item for item in body}
    assert by_id["arbitration_limitation"] == {
        "id": "arbitration_limitation",
        "name": "劳动争议仲裁时效",
        "months": 12,
        "legal_basis": "劳动争议调解仲裁法第二十七条",
    }
    for rule_id, (unit, length, *_rest) in EXPECTED.items():
        assert set(by_id[rule_id]) == {"id", "name", unit, "legal_basis"}
        assert by_id[rule_id][unit] == length


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_same_answer_without_a_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["outsider"])
    response = client.post(
        URL, {"rule": "suit_after_award", "start": "2025-09-20"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["due"] == "2025-10-09"


@pytest.mark.django_db
def test_the_api_accepts_a_form_post(client):
    response = client.post(URL, {"rule": "mediation", "start": "2025-03-03"})
    assert response.status_code == 200
    assert response.json()["due"] == "2025-03-18"


BAD = [
    ({"start": "2025-09-20"}, "rule（期间规则）：缺少此字段。"),
    ({"rule": "mediation"}, "start（起算日期）：缺少此字段。"),
    ({}, "rule（期间规则）：缺少此字段。"),
    ({"rule": "", "start": "2025-09-20"}, "rule（期间规则）：不能为空。"),
    ({"rule": None, "start": "2025-09-20"}, "rule（期间规则）：不能为空。"),
    ({"rule": ["mediation"], "start": "2025-09-20"}, "rule（期间规则）：应为字符串。"),
    (
        {"rule": "statute_of_frauds", "start": "2025-09-20"},
        "rule（期间规则）：未知的期间规则“statute_of_frauds”，请先 GET 本接口查看可用规则。",
    ),
    (
        {"rule": 43, "start": "2025-09-20"},
        "rule（期间规则）：未知的期间规则“43”，请先 GET 本接口查看可用规则。",
    ),
    ({"rule": "mediation", "start": ""}, "start（起算日期）：不能为空。"),
    (
        {"rule": "mediation", "start": "2025/09/20"},
        "start（起算日期）：日期“2025/09/20”无效，格式应为 YYYY-MM-DD。",
    ),
    (
        {"rule": "mediation", "start": "2025-02-30"},
        "start（起算日期）：日期“2025-02-30”无效，格式应为 YYYY-MM-DD。",
    ),
    (
        {"rule": "mediation", "start": "2025-9-1"},
        "start（起算日期）：日期“2025-9-1”无效，格式应为 YYYY-MM-DD。",
    ),
    (
        {"rule": "mediation", "start": "2025-09-20T08:00:00"},
        "start（起算日期）：日期“2025-09-20T08:00:00”无效，格式应为 YYYY-MM-DD。",
    ),
    (
        {"rule": "mediation", "start": "1800-01-01"},
        "start（起算日期）：日期应在1950年至2100年之间。",
    ),
    (
        {"rule": "mediation", "start": "9999-12-31"},
        "start（起算日期）：日期应在1950年至2100年之间。",
    ),
    (
        {"rule": "mediation", "start": 20250920},
        "start（起算日期）：日期“20250920”无效，格式应为 YYYY-MM-DD。",
    ),
    (
        {"rule": "nope", "start": "bad"},
        "rule（期间规则）：未知的期间规则“nope”，请先 GET 本接口查看可用规则。",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "detail"), BAD)
def test_bad_input_is_a_400_naming_the_field_in_chinese(client, payload, detail):
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("[1, 2]", "请求体应为 JSON 对象，包含 rule 和 start 两个字段。"),
        ('"mediation"', "请求体应为 JSON 对象，包含 rule 和 start 两个字段。"),
        ("{not json", "请求内容不是有效的 JSON，请检查格式。"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(client, body, detail):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.django_db
def test_other_methods_are_refused(client):
    assert client.put(URL, {}, content_type="application/json").status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.django_db
def test_anonymous_callers_are_throttled(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 429


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_schema(client, world):
    from django.urls import reverse

    assert reverse("calculator-deadline") == URL
    client.force_login(world.users["superuser"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/calculators/deadline/"]
    assert set(operations) == {"get", "post"}
    assert operations["post"]["security"] == [{}]
    assert "DeadlineResult" in schema["components"]["schemas"]
