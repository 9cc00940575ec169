from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from niangjia.core import calendar
from niangjia.core.models import OfficialDay, OfficialYear
from niangjia.orgs.models import StaffRole

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.invalidate()
    yield
    calendar.invalidate()


def _enter(year, text, *, complete=True, source="国办发明电〔2026〕1号", actor=None):
    return calendar.official_year_save(
        year=year,
        source=source,
        complete=complete,
        lines=calendar.parse_schedule(year, text),
        actor=actor,
    )


# --- the library years -----------------------------------------------------------------------


def test_the_library_covers_2004_to_2026():
    assert range(2004, 2027) == calendar.LIBRARY_YEARS


@pytest.mark.django_db
def test_national_day_2024_is_a_rest_week_and_its_make_up_saturday_a_working_day():
    assert calendar.is_rest_day(D(2024, 10, 1))
    assert calendar.is_rest_day(D(2024, 10, 7))
    assert calendar.is_working_day(D(2024, 10, 8))
    assert calendar.is_working_day(D(2024, 10, 12))  # Saturday, 调休上班
    assert calendar.is_working_day(D(2024, 9, 29))  # Sunday, 调休上班
    info = calendar.day_info(D(2024, 10, 12))
    assert (info.kind, info.name, info.source) == ("makeup", "国庆节", "library")


@pytest.mark.django_db
def test_spring_festival_2025_includes_new_years_eve_and_two_make_up_days():
    assert [calendar.is_rest_day(D(2025, 1, d)) for d in range(26, 32)] == [
        False,  # 01-26 Sunday worked
        False,
        True,  # 01-28 除夕
        True,
        True,
        True,
    ]
    assert calendar.is_rest_day(D(2025, 2, 4))
    assert calendar.is_working_day(D(2025, 2, 5))
    assert calendar.is_working_day(D(2025, 2, 8))  # Saturday worked
    assert calendar.day_info(D(2025, 1, 29)).name == "春节"


@pytest.mark.django_db
def test_next_working_day_is_strictly_after_and_skips_holidays():
    assert calendar.next_working_day(D(2024, 9, 30)) == D(2024, 10, 8)
    assert calendar.next_working_day(D(2024, 10, 11)) == D(2024, 10, 12)  # make-up Saturday
    assert calendar.next_working_day(D(2025, 3, 3)) == D(2025, 3, 4)


@pytest.mark.django_db
def test_known_years_are_complete():
    assert calendar.calendar_complete(2004)
    assert calendar.calendar_complete(2026)


# --- years nobody has entered ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_year_beyond_the_library_counts_weekends_only_and_is_incomplete():
    # when: nothing entered for 2027 (the library raises NotImplementedError there)
    assert calendar.calendar_complete(2027) is False
    assert calendar.is_working_day(D(2027, 1, 1))  # a Friday: no holiday known
    assert calendar.is_rest_day(D(2027, 1, 2))  # Saturday
    assert calendar.is_rest_day(D(2027, 1, 3))  # Sunday
    assert calendar.next_working_day(D(2027, 1, 1)) == D(2027, 1, 4)
    assert calendar.day_info(D(2027, 1, 2)).source == "weekend"


@pytest.mark.django_db
def test_a_year_before_the_library_is_also_weekends_only():
    assert calendar.calendar_complete(2003) is False
    assert calendar.is_working_day(D(2003, 10, 1))  # a Wednesday; no data
    assert calendar.is_rest_day(D(2003, 10, 4))


# --- staff-entered schedules -----------------------------------------------------------------


def test_parse_schedule_rejects_a_date_listed_twice():
    with pytest.raises(ValidationError) as excinfo:
        calendar.parse_schedule(2027, "2027-02-05~2027-02-11 春节 休\n2027-02-06 春节 班")
    assert excinfo.value.messages == ["第2行：2027-02-06 已在第1行出现。"]


@pytest.mark.django_db
def test_entered_days_decide_rest_and_work_and_mark_the_year_complete(world):
    # given
    actor = world.users["superuser"]
    # when
    official = _enter(
        2027,
        "2027-01-01 元旦 休\n"
        "2027-02-05~2027-02-11 春节 休\n"
        "2027-02-13 春节调休 班\n"
        "# 注释行会被忽略\n",
        actor=actor,
    )
    # then
    assert official.year == 2027
    assert OfficialDay.objects.filter(official_year=official).count() == 9
    assert calendar.calendar_complete(2027)
    assert calendar.is_rest_day(D(2027, 1, 1))
    assert calendar.is_rest_day(D(2027, 2, 8))  # a Monday inside the range
    assert calendar.is_working_day(D(2027, 2, 13))  # Saturday worked
    assert calendar.is_rest_day(D(2027, 2, 14))  # an ordinary Sunday stays a rest day
    assert calendar.is_working_day(D(2027, 2, 12))
    info = calendar.day_info(D(2027, 2, 13))
    assert (info.kind, info.name, info.source) == ("makeup", "春节调休", "entered")
    assert OfficialDay.objects.get(date=D(2027, 1, 1)).entered_by == actor


@pytest.mark.django_db
def test_a_partial_entry_applies_but_leaves_the_year_incomplete():
    _enter(2028, "2028-01-01 元旦 休", complete=False)
    assert calendar.is_rest_day(D(2028, 1, 3)) is False  # Monday, not entered
    assert calendar.calendar_complete(2028) is False


@pytest.mark.django_db
def test_entered_data_overrides_the_library():
    # given: the library says 2026-10-09 (Friday) is a working day, 2026-10-10 a make-up Saturday
    assert calendar.is_working_day(D(2026, 10, 9))
    # when
    _enter(2026, "2026-10-09 更正 休\n2026-10-10 更正 休", source="更正")
    # then
    assert calendar.is_rest_day(D(2026, 10, 9))
    assert calendar.is_rest_day(D(2026, 10, 10))
    assert calendar.is_rest_day(D(2026, 10, 7))  # untouched library holiday
    assert calendar.is_working_day(D(2026, 10, 8))


@pytest.mark.django_db
def test_saving_again_replaces_the_year_and_refreshes_the_cache():
    _enter(2027, "2027-01-01 元旦 休")
    assert calendar.is_rest_day(D(2027, 1, 1))  # now cached
    # when
    _enter(2027, "2027-05-03 劳动节 休", source="新文号")
    # then
    assert calendar.is_working_day(D(2027, 1, 1))
    assert calendar.is_rest_day(D(2027, 5, 3))
    assert OfficialYear.objects.get(year=2027).source == "新文号"
    assert list(OfficialDay.objects.values_list("date", flat=True)) == [D(2027, 5, 3)]


@pytest.mark.django_db
def test_the_cache_answers_a_year_with_two_queries(django_assert_num_queries):
    _enter(2027, "2027-01-01 元旦 休")
    calendar.invalidate()
    with django_assert_num_queries(2):
        for day in range(1, 32):
            calendar.is_working_day(D(2027, 1, day))
    with django_assert_num_queries(0):
        calendar.year_days(2027)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 元旦", "第1行：格式应为“日期 名称 休/班”，例如“2027-01-01 元旦 休”。"),
        ("2027-01-01 元旦 放", "第1行：类型“放”无效，只能是“休”或“班”。"),
        ("2027-02-30 元旦 休", "第1行：日期“2027-02-30”无效，应为 YYYY-MM-DD。"),
        ("2027/01/01 元旦 休", "第1行：日期“2027/01/01”无效，应为 YYYY-MM-DD。"),
        ("2026-12-31 元旦 休", "第1行：日期不在2027年内。"),
        ("2027-10-07~2027-10-01 国庆 休", "第1行：结束日期早于开始日期。"),
        (
            "2027-01-04 调休 班",
            "第1行：2027-01-04 是工作日（周一至周五），调休上班日应为周六或周日。",
        ),
        ("", "请至少录入一行放假日或调休上班日。"),
    ],
)
def test_parse_schedule_explains_each_bad_line_in_chinese(text, message):
    with pytest.raises(ValidationError) as excinfo:
        calendar.parse_schedule(2027, text)
    assert excinfo.value.messages == [message]


def test_parse_schedule_reports_every_bad_line_at_once():
    with pytest.raises(ValidationError) as excinfo:
        calendar.parse_schedule(2027, "2027-01-01 元旦 休\nx\n2027-13-01 a 休")
    assert len(excinfo.value.messages) == 2


@pytest.mark.django_db
def test_a_year_outside_the_accepted_range_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        calendar.official_year_save(year=1999, source="x", complete=True, lines=[], actor=None)
    assert OfficialYear.objects.count() == 0


# --- staff pages ---------------------------------------------------------------------------------


@pytest.fixture
def national_admin(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("national_admin", password="pw")
    StaffRole.objects.create(user=user, org=world.N, role=StaffRole.Role.ORG_ADMIN)
    return user


GOOD_FORM = {
    "year": "2027",
    "source": "国办发明电〔2026〕7号",
    "complete": "on",
    "lines": "2027-01-01 元旦 休\n2027-02-05~2027-02-11 春节 休\n2027-02-13 春节调休 班",
}


@pytest.mark.parametrize("who", ["superuser", "national_admin"])
def test_a_national_admin_enters_a_year_and_sees_it(client, world, national_admin, who):
    user = national_admin if who == "national_admin" else world.users["superuser"]
    client.force_login(user)
    # when
    response = client.post("/staff/calendar/enter/", GOOD_FORM)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/staff/calendar/2027/"
    assert OfficialDay.objects.filter(date__year=2027).count() == 9
    page = client.get("/staff/calendar/2027/").content.decode()
    assert "国办发明电〔2026〕7号" in page
    assert 'data-date="2027-02-13" data-kind="makeup"' in page
    assert 'data-date="2027-02-08" data-kind="holiday"' in page
    assert "已保存2027年的法定节假日安排（9天）。" in page


@pytest.mark.parametrize("who", ["org_admin", "rights_officer", "outsider", "agency_liaison"])
def test_anyone_else_may_not_enter_a_schedule(client, world, who):
    client.force_login(world.users[who])
    assert client.get("/staff/calendar/enter/").status_code == 403
    assert client.post("/staff/calendar/enter/", GOOD_FORM).status_code == 403
    assert OfficialYear.objects.count() == 0


def test_anonymous_calendar_pages_redirect_to_login(client, db):
    for url in ["/staff/calendar/2025/", "/staff/calendar/enter/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")


def test_a_bad_line_saves_nothing_and_keeps_what_was_typed(client, world, national_admin):
    # given: an existing entry
    _enter(2027, "2027-01-01 元旦 休", source="旧文号")
    client.force_login(national_admin)
    form = {**GOOD_FORM, "lines": GOOD_FORM["lines"] + "\n2027-03-01 调休 班\n2027-04-31 清明 休"}
    # when
    response = client.post("/staff/calendar/enter/", form)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "第4行：2027-03-01 是工作日（周一至周五），调休上班日应为周六或周日。" in page
    assert "第5行：日期“2027-04-31”无效，应为 YYYY-MM-DD。" in page
    assert "2027-02-05~2027-02-11 春节 休" in page
    assert 'aria-invalid="true"' in page
    assert OfficialYear.objects.get().source == "旧文号"
    assert list(OfficialDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1)]


def test_missing_fields_are_named_in_chinese(client, world):
    client.force_login(world.users["superuser"])
    page = client.post("/staff/calendar/enter/", {"year": "abc"}).content.decode()
    assert "年份应为四位数字。" in page
    assert "请填写通知文号或来源。" in page
    assert "请至少录入一行放假日或调休上班日。" in page
    assert OfficialYear.objects.count() == 0


def test_the_form_prefills_an_entered_year_for_correction(client, world):
    _enter(2027, "2027-01-01 元旦 休\n2027-02-13 春节调休 班", source="旧文号")
    client.force_login(world.users["superuser"])
    page = client.get("/staff/calendar/enter/?year=2027").content.decode()
    assert "2027-01-01 元旦 休\n2027-02-13 春节调休 班" in page
    assert 'value="旧文号"' in page


def test_the_year_view_shows_rest_days_and_warns_for_an_unknown_year(client, world):
    client.force_login(world.users["outsider"])
    page = client.get("/staff/calendar/2025/").content.decode()
    assert 'data-date="2025-01-28" data-kind="holiday"' in page
    assert 'data-date="2025-01-26" data-kind="makeup"' in page
    assert 'data-date="2025-03-01" data-kind="weekend"' in page
    assert "chinese-calendar" in page
    assert "录入/更正本年安排" not in page  # not a national admin
    future = client.get("/staff/calendar/2030/").content.decode()
    assert "尚无本年的官方放假安排" in future
    assert client.get("/staff/calendar/1999/").status_code == 404


def test_the_calendar_root_redirects_to_this_year(client, world):
    client.force_login(world.users["rights_officer"])
    response = client.get("/staff/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/calendar/20")


def test_the_year_view_runs_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["superuser"])
    client.get("/staff/calendar/2027/")  # warm the session
    with django_assert_max_num_queries(12):
        client.get("/staff/calendar/2027/")
    _enter(2027, GOOD_FORM["lines"])
    calendar.invalidate()
    with django_assert_max_num_queries(12):
        client.get("/staff/calendar/2027/")
