from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from niangjia.core.models import AccessLog
from niangjia.hotline import services
from niangjia.hotline.models import Callback, Consultation
from niangjia.rights import services as rights
from niangjia.rights.models import Case
from niangjia.rights.services import WorkerInput

from .conftest import PHONE

DESK = "/staff/hotline/"


def desk_post(**overrides):
    data = {
        "caller_phone": PHONE,
        "caller_name": "王建国",
        "employer_name": "宁夏某建筑劳务有限公司",
        "category": "wages",
        "question": "工地拖欠三个月工资。",
        "answer": "告知先行清偿规定。",
        "duration": "6:15",
        "outcome": "answered",
        "channel": "hotline",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestDesk:
    def test_the_number_comes_first_and_is_focused(self, officer_client):
        html = officer_client.get(DESK).content.decode()
        form = html[html.index('id="desk-form"') :]
        first_input = re.search(r"<(input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>", form)
        assert 'name="caller_phone"' in first_input.group(0)
        assert "autofocus" in first_input.group(0)
        assert 'hx-post="/staff/hotline/caller/"' in first_input.group(0)
        assert 'id="call-timer"' in html and "hotline/desk.js" in html

    def test_nav_entry_only_for_those_who_take_cases(self, client, world):
        for username, shown in [
            ("rights_officer", True),
            ("org_admin", True),
            ("agency_liaison", False),
            ("care_officer", False),
        ]:
            client.force_login(world.users[username])
            html = client.get("/staff/").content.decode()
            assert ('href="/staff/hotline/"' in html) is shown, username
            assert client.get(DESK).status_code == (200 if shown else 403), username

    def test_save_records_the_call(self, officer_client, officer, world):
        response = officer_client.post(DESK, desk_post())
        assert response.status_code == 302 and response["Location"] == DESK
        c = Consultation.objects.get()
        assert c.caller_phone == PHONE and c.duration_seconds == 375
        assert c.operator == officer and c.org == world.D1
        page = officer_client.get(DESK).content.decode()
        assert "已保存咨询记录" in page and "139****0001" in page

    def test_a_rejected_form_keeps_what_was_typed(self, officer_client):
        response = officer_client.post(
            DESK, desk_post(caller_phone="1397777", outcome="callback_needed")
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "手机号码应为以1开头的11位数字" in html
        assert "工地拖欠三个月工资。" in html and 'value="6:15"' in html
        assert not Consultation.objects.exists()
        response = officer_client.post(DESK, desk_post(outcome="callback_needed"))
        assert response.status_code == 400
        assert "请填写回访时间" in response.content.decode()

    def test_callback_from_the_desk(self, officer_client, officer):
        due = timezone.localtime() + datetime.timedelta(days=1)
        response = officer_client.post(
            DESK,
            desk_post(outcome="callback_needed", callback_due_at=due.strftime("%Y-%m-%dT%H:%M")),
        )
        assert response.status_code == 302 and response["Location"] == DESK
        callback = Callback.objects.select_related("consultation").get()
        assert timezone.localtime(callback.due_at).strftime("%Y-%m-%d %H:%M") == due.strftime(
            "%Y-%m-%d %H:%M"
        )
        assert callback.assigned_to == officer and callback.done_at is None
        assert callback.consultation.outcome == "callback_needed"
        html = officer_client.get("/staff/hotline/callbacks/").content.decode()
        assert "139****0001" in html and due.strftime("%Y-%m-%d %H:%M") in html

    def test_caller_panel_shows_earlier_case_with_its_stage(self, officer_client, officer, world):
        case, _ = rights.case_create(
            actor=officer,
            org=world.S1,
            source="online",
            category="overtime",
            employer_name="甲企业",
            facts="加班费",
            workers=[WorkerInput(name="王建国", phone=PHONE)],
        )
        services.consultation_record(
            actor=officer,
            org=world.D1,
            caller_phone=PHONE,
            category="overtime",
            question="上次来电",
        )
        html = officer_client.post(f"{DESK}caller/", {"caller_phone": PHONE}).content.decode()
        assert f'href="/staff/rights/{case.pk}/"' in html and case.number in html
        assert "登记" in html  # the case's stage
        assert "上次来电" in html
        html = officer_client.post(
            f"{DESK}caller/", {"caller_phone": "13977770099"}
        ).content.decode()
        assert "首次来电" in html and "管辖范围内没有该号码的案件" in html
        html = officer_client.post(f"{DESK}caller/", {"caller_phone": "139"}).content.decode()
        assert "继续输入" in html

    def test_convert_lands_on_the_case_page(self, officer_client):
        response = officer_client.post(DESK, desk_post(action="convert"))
        case = Case.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/staff/rights/{case.pk}/"
        page = officer_client.get(response["Location"]).content.decode()
        assert "工地拖欠三个月工资。" in page and "王建国" in page
        assert Consultation.objects.get().case == case

    def test_convert_with_missing_fields_opens_the_intake_form_prefilled(self, officer_client):
        response = officer_client.post(
            DESK, desk_post(action="convert", caller_name="", employer_name="")
        )
        c = Consultation.objects.get()
        assert response["Location"] == f"/staff/hotline/records/{c.pk}/convert/"
        assert not Case.objects.exists()
        html = officer_client.get(response["Location"]).content.decode()
        assert "工地拖欠三个月工资。" in html  # facts carried over
        assert PHONE in html  # the operator sees the number to type with the name
        assert "is-invalid" in html  # what is missing is marked
        response = officer_client.post(
            response["Location"],
            {
                "intake": "1",
                "source": "hotline",
                "category": "wages",
                "employer_name": "补充的单位",
                "workers": f"王建国 {PHONE}",
                "employment_form": "standard",
                "claim_kind": "wages",
                "claim_amount": "",
                "facts": "工地拖欠三个月工资。",
            },
        )
        case = Case.objects.get()
        assert response["Location"] == f"/staff/rights/{case.pk}/"
        assert case.employer_name == "补充的单位" and case.source == "hotline"
        c.refresh_from_db()
        assert c.case == case and c.outcome == "converted_to_case"


@pytest.mark.django_db
class TestCallbacksAndRecords:
    def test_my_callbacks_overdue_and_done(self, officer_client, officer, record):
        now = timezone.now()
        past = now - datetime.timedelta(days=2)
        c = record(started_at=past, now=past)
        overdue = services.callback_schedule(
            consultation=c, actor=officer, due_at=now - datetime.timedelta(hours=1), now=past
        )
        html = officer_client.get("/staff/hotline/callbacks/").content.decode()
        assert "已逾期" in html and "139****0001" in html
        home = officer_client.get("/staff/").content.decode()
        assert "待回访" in home and 'id="callbacks-panel"' in home and "已逾期" in home
        response = officer_client.post(
            f"/staff/hotline/callbacks/{overdue.pk}/complete/", {"result_note": "已回电"}
        )
        assert response.status_code == 302
        overdue.refresh_from_db()
        assert overdue.done_at and not overdue.done_on_time
        html = officer_client.get("/staff/hotline/callbacks/?status=done").content.decode()
        assert "逾期完成" in html

    def test_callback_lists_read_in_constant_queries(self, officer_client, officer_api, record):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        soon = timezone.now() + datetime.timedelta(hours=1)
        urls = ["/staff/hotline/callbacks/", "/staff/", "/api/v1/hotline/callbacks/"]

        def counts():
            result = []
            for url in urls:
                client = officer_api if url.startswith("/api/") else officer_client
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                result.append(len(queries))
            return result

        record(outcome="callback_needed", callback_due_at=soon)
        counts()  # sessions and grants settle
        one = counts()
        for i in range(4):
            record(caller_phone=f"1397777100{i}", outcome="callback_needed", callback_due_at=soon)
        assert counts() == one
        html = officer_client.get("/staff/hotline/callbacks/").content.decode()
        assert html.count("139****100") == 4

    def test_schedule_in_the_past_is_refused(self, officer_client, record):
        c = record()
        past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        officer_client.post(f"/staff/hotline/records/{c.pk}/callbacks/", {"cb-due_at": past})
        assert not Callback.objects.exists()
        html = officer_client.get(f"/staff/hotline/records/{c.pk}/").content.decode()
        assert "回访时间须晚于现在" in html

    def test_record_detail_masks_and_reveal_is_logged(self, officer_client, officer, record):
        c = record()
        html = officer_client.get(f"/staff/hotline/records/{c.pk}/").content.decode()
        assert "139****0001" in html and PHONE not in html
        response = officer_client.post(f"/staff/hotline/records/{c.pk}/phone/")
        assert PHONE in response.content.decode()
        log = AccessLog.objects.get(action="reveal")
        assert log.user == officer and log.target_id == str(c.pk)

    def test_out_of_scope_record_is_404(self, client, world, record):
        c = record(org=world.D3, actor=world.users["superuser"])
        client.force_login(world.users["rights_officer"])
        assert client.get(f"/staff/hotline/records/{c.pk}/").status_code == 404
        assert client.post(f"/staff/hotline/records/{c.pk}/convert/").status_code == 404

    def test_hotline_caller_phone_never_travels_in_a_url(self, officer_client, record):
        """#11 §4: the caller panel and the records' phone filter are posted; a phone in the
        query string is not used (and the pagination links never carry it)."""
        record()
        record(caller_phone="13977770002", question="别人的来电")
        assert officer_client.get(f"{DESK}caller/?caller_phone=13977770001").status_code == 405
        html = officer_client.get("/staff/hotline/records/?phone=13977770002").content.decode()
        assert "139****0001" in html  # the phone in the URL did not filter
        page = officer_client.get("/staff/hotline/records/").content.decode()
        assert re.search(r'<form[^>]*method="post"[^>]*aria-label="筛选"', page)
        # the caller panel's "all calls" link posts the number too
        from niangjia.hotline.selectors import HISTORY_LIMIT

        for _ in range(HISTORY_LIMIT):
            record(caller_phone="13977770002")
        panel = officer_client.post(f"{DESK}caller/", {"caller_phone": "13977770002"})
        html = panel.content.decode()
        assert 'id="caller-all-calls"' in html and "?phone=" not in html

    def test_record_list_and_figures_pages(self, officer_client, record):
        record()
        html = officer_client.post(
            "/staff/hotline/records/", {"phone": "13977770001"}
        ).content.decode()
        assert "139****0001" in html and "工地拖欠" in html
        html = officer_client.get("/staff/hotline/figures/").content.decode()
        assert 'data-figure="calls">1<' in html
        bad = officer_client.get("/staff/hotline/figures/?start=2026-05-01&end=2026-04-01")
        assert "结束日期不能早于开始日期" in bad.content.decode()

    def test_a_wrong_filter_is_shown_and_the_others_still_apply(self, officer_client, record):
        record()
        record(caller_phone="13977770002", question="别人的来电")
        for bad in ("start=2026-02-30", "end=9999-12-31"):
            key, value = bad.split("=")
            response = officer_client.post(
                "/staff/hotline/records/", {"phone": "13977770002", key: value}
            )
            html = response.content.decode()
            assert 'id="filter-errors"' in html and "来电日期" in html, bad
            assert "139****0002" in html and "139****0001" not in html, bad

    @pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31"])
    def test_figures_for_dates_out_of_range_say_so(self, officer_client, record, query):
        record()
        response = officer_client.get(f"/staff/hotline/figures/?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "日期应在1950年至2100年之间。" in html
        assert 'data-figure="calls">1<' in html  # the default period instead


class TestIntakeSuggestions:
    URL = "/staff/hotline/suggest/"

    def test_the_question_is_read_and_explained(self, officer_client):
        text = "我们12个农民工在宁夏某建筑劳务有限公司干活，被拖欠工资十四万元，快过年了还不给"
        r = officer_client.post(self.URL, {"question": text})
        assert r.status_code == 200
        body = r.content.decode()
        assert 'data-fill="id_category" data-value="wages"' in body
        assert "宁夏某建筑劳务有限公司" in body
        assert "140000.00" in body
        assert "紧急" in body
        assert "依据「" in body
        assert Consultation.objects.count() == 0  # nothing stored

    def test_too_little_text_suggests_nothing(self, officer_client):
        r = officer_client.post(self.URL, {"question": "你好"})
        assert r.status_code == 200
        assert r.content == b""

    def test_the_desk_wires_the_question_to_the_assistant(self, officer_client):
        r = officer_client.get("/staff/hotline/")
        assert 'id="intake-suggest"' in r.content.decode()
        assert 'hx-post="/staff/hotline/suggest/"' in r.content.decode()

    def test_only_desk_users_may_ask(self, client, world):
        client.force_login(world.users["outsider"])
        assert client.post(self.URL, {"question": "拖欠工资十四万元没给"}).status_code == 403
        assert client.get(self.URL).status_code == 405
