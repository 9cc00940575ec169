from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from niangjia.hotline.models import Callback, Consultation
from niangjia.rights.models import Case

from .conftest import PHONE

BASE = "/api/v1/hotline/"


def body(**overrides):
    data = {
        "caller_phone": PHONE,
        "caller_name": "王建国",
        "employer_name": "宁夏某建筑劳务有限公司",
        "category": "wages",
        "question": "拖欠工资怎么办？",
        "answer": "告知维权途径。",
        "duration_seconds": 240,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestConsultations:
    def test_create_list_detail(self, officer_api, world):
        response = officer_api.post(f"{BASE}consultations/", body(), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["caller_phone_masked"] == "139****0001"
        assert "caller_phone" not in data and PHONE not in str(data)
        assert data["org"] == world.D1.pk and data["outcome"] == "answered"
        assert data["category_display"] == "追索劳动报酬" and data["callbacks"] == []
        search = f"{BASE}consultations/search/"
        listed = officer_api.post(search, {"phone": PHONE}, format="json").json()
        assert listed["count"] == 1 and listed["results"][0]["id"] == data["id"]
        assert officer_api.post(search, {"phone": "13900000000"}).json()["count"] == 0
        detail = officer_api.get(f"{BASE}consultations/{data['id']}/")
        assert detail.status_code == 200 and detail.json()["question"] == "拖欠工资怎么办？"

    def test_detail_reads_its_callbacks_in_constant_queries(self, officer_api, officer, soon):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from niangjia.hotline import services

        c = officer_api.post(f"{BASE}consultations/", body(), format="json").json()
        consultation = Consultation.objects.get(pk=c["id"])
        url = f"{BASE}consultations/{c['id']}/"
        services.callback_schedule(consultation=consultation, actor=officer, due_at=soon)
        officer_api.get(url)  # the user's grants are loaded once
        with CaptureQueriesContext(connection) as one:
            officer_api.get(url)
        for hours in (3, 4):
            services.callback_schedule(
                consultation=consultation,
                actor=officer,
                due_at=soon + datetime.timedelta(hours=hours),
            )
        with CaptureQueriesContext(connection) as three:
            data = officer_api.get(url).json()
        assert len(data["callbacks"]) == 3
        assert {cb["caller_phone_masked"] for cb in data["callbacks"]} == {"139****0001"}
        assert len(one) == len(three)

    def test_validation_errors_are_chinese(self, officer_api):
        response = officer_api.post(
            f"{BASE}consultations/",
            body(caller_phone="1234", category="x", duration_seconds=-1),
            format="json",
        )
        assert response.status_code == 400
        errors = response.json()
        assert errors["caller_phone"] == ["手机号码应为以1开头的11位数字"]
        assert "category" in errors and "duration_seconds" in errors
        response = officer_api.post(
            f"{BASE}consultations/", body(outcome="callback_needed"), format="json"
        )
        assert response.status_code == 400
        assert "回访时间" in response.json()["callback_due_at"][0]

    def test_scope(self, officer_api, world):
        root = APIClient()
        root.force_authenticate(world.users["superuser"])
        other = root.post(
            f"{BASE}consultations/", body(org=world.D3.pk, question="D3"), format="json"
        ).json()
        assert officer_api.get(f"{BASE}consultations/").json()["count"] == 0
        assert officer_api.get(f"{BASE}consultations/{other['id']}/").status_code == 404
        assert officer_api.get(f"{BASE}consultations/{other['id']}/").json() == {
            "detail": "未找到。"
        }
        response = officer_api.post(f"{BASE}consultations/", body(org=world.D3.pk), format="json")
        assert response.status_code == 404
        assert officer_api.post(f"{BASE}consultations/{other['id']}/convert/").status_code == 404

    @pytest.mark.parametrize("who", ["agency_liaison", "care_officer", "worker", "outsider"])
    def test_only_desk_staff(self, world, who):
        client = APIClient()
        client.force_authenticate(world.users[who])
        for url in ("consultations/", "callbacks/", "figures/"):
            response = client.get(f"{BASE}{url}")
            assert response.status_code == 403
            assert response.json()["detail"] == "您没有使用12351热线接听台的权限"
        for url in ("caller/", "consultations/search/"):
            response = client.post(f"{BASE}{url}", {"phone": PHONE}, format="json")
            assert response.status_code == 403
            assert response.json()["detail"] == "您没有使用12351热线接听台的权限"

    def test_anonymous_is_refused(self):
        for url in ("consultations/", "callbacks/", "figures/"):
            response = APIClient().get(f"{BASE}{url}")
            assert response.status_code == 401, url
            assert response.json() == {"detail": "身份认证信息未提供。"}
        response = APIClient().post(f"{BASE}consultations/", body(), format="json")
        assert response.status_code == 401 and not Consultation.objects.exists()


@pytest.mark.django_db
class TestConvert:
    def test_convert_then_again(self, officer_api):
        c = officer_api.post(f"{BASE}consultations/", body(), format="json").json()
        response = officer_api.post(f"{BASE}consultations/{c['id']}/convert/", {}, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        case = Case.objects.get(pk=data["case"])
        assert data["number"] == case.number and data["url"] == f"/staff/rights/{case.pk}/"
        assert case.facts == "拖欠工资怎么办？" and case.source == "hotline"
        assert case.workers.get().person.phone == PHONE
        again = officer_api.post(f"{BASE}consultations/{c['id']}/convert/", {}, format="json")
        assert again.status_code == 200 and again.json()["case"] == case.pk

    def test_missing_fields_say_what_is_missing(self, officer_api):
        c = officer_api.post(
            f"{BASE}consultations/", body(caller_name="", employer_name=""), format="json"
        ).json()
        response = officer_api.post(f"{BASE}consultations/{c['id']}/convert/", {}, format="json")
        assert response.status_code == 400
        errors = response.json()
        assert errors["detail"] == "转为案件还缺少信息，请补充后重试"
        assert errors["employer_name"] == ["请填写用人单位"]
        assert errors["workers"] == ["请至少填写一名职工"]
        response = officer_api.post(
            f"{BASE}consultations/{c['id']}/convert/",
            {"caller_name": "王建国", "employer_name": "补充单位", "claim_amount": "12000"},
            format="json",
        )
        assert response.status_code == 201
        case = Case.objects.get()
        assert case.employer_name == "补充单位"
        assert case.claims.get().amount == 12000 and case.claims.get().kind == "wages"

    @pytest.mark.parametrize(
        ("category", "kind"),
        [
            ("termination", "economic_compensation"),
            ("compensation", "economic_compensation"),
            ("social_insurance", "social_insurance"),
            ("policy", "other"),
        ],
    )
    def test_the_claim_kind_follows_the_category_as_on_the_desk(self, officer_api, category, kind):
        c = officer_api.post(f"{BASE}consultations/", body(category=category), format="json")
        response = officer_api.post(
            f"{BASE}consultations/{c.json()['id']}/convert/",
            {"claim_amount": "8000"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        claim = Case.objects.get().claims.get()
        assert claim.kind == kind and claim.amount == 8000


@pytest.mark.django_db
class TestCallbacksApi:
    def test_create_list_complete(self, officer_api, officer):
        c = officer_api.post(f"{BASE}consultations/", body(), format="json").json()
        past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
        response = officer_api.post(
            f"{BASE}callbacks/", {"consultation": c["id"], "due_at": past}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["due_at"] == ["回访时间须晚于现在"]
        # a naive time is Asia/Shanghai
        due = (timezone.localtime() + datetime.timedelta(days=1)).replace(
            tzinfo=None, microsecond=0
        )
        response = officer_api.post(
            f"{BASE}callbacks/",
            {"consultation": c["id"], "due_at": due.isoformat(), "note": "告知进展"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        cb = response.json()
        assert cb["assigned_to"] == officer.pk and cb["overdue"] is False
        assert timezone.localtime(Callback.objects.get().due_at).replace(tzinfo=None) == due
        listed = officer_api.get(f"{BASE}callbacks/").json()
        assert [r["id"] for r in listed["results"]] == [cb["id"]]
        response = officer_api.post(f"{BASE}callbacks/{cb['id']}/complete/", {}, format="json")
        assert response.status_code == 400
        response = officer_api.post(
            f"{BASE}callbacks/{cb['id']}/complete/", {"result_note": "已回电"}, format="json"
        )
        assert response.status_code == 200 and response.json()["done_on_time"] is True
        again = officer_api.post(
            f"{BASE}callbacks/{cb['id']}/complete/", {"result_note": "x"}, format="json"
        )
        assert again.status_code == 400 and again.json()["result_note"] == ["该回访已完成"]
        assert officer_api.get(f"{BASE}callbacks/").json()["count"] == 0
        assert officer_api.get(f"{BASE}callbacks/?status=done").json()["count"] == 1
        assert officer_api.get(f"{BASE}callbacks/?status=bad").status_code == 400


@pytest.mark.django_db
class TestCallerAndFigures:
    def test_caller(self, officer_api):
        officer_api.post(f"{BASE}consultations/", body(), format="json")
        officer_api.post(
            f"{BASE}consultations/{Consultation.objects.get().pk}/convert/", {}, format="json"
        )
        data = officer_api.post(f"{BASE}caller/", {"phone": "139-7777-0001"}).json()
        assert data["phone_masked"] == "139****0001" and data["calls_total"] == 1
        assert data["cases"][0]["stage_display"] == "登记"
        bad = officer_api.post(f"{BASE}caller/", {"phone": "123"})
        assert bad.status_code == 400
        assert bad.json() == {
            "detail": "手机号码应为以1开头的11位数字",
            "phone": ["手机号码应为以1开头的11位数字"],
        }
        missing = officer_api.post(f"{BASE}caller/")
        assert missing.status_code == 400
        assert missing.json() == {"detail": "请填写来电号码", "phone": ["请填写来电号码"]}

    def test_hotline_api_takes_no_phone_from_the_url(self, officer_api):
        """#11 §4: phones never travel in URLs: the caller history and the search by phone are
        posted; a `?phone=` on the list no longer filters."""
        officer_api.post(f"{BASE}consultations/", body(), format="json")
        officer_api.post(f"{BASE}consultations/", body(caller_phone="13977770002"), format="json")
        assert officer_api.get(f"{BASE}caller/?phone={PHONE}").status_code == 405
        assert officer_api.get(f"{BASE}consultations/?phone={PHONE}").json()["count"] == 2

    def test_figures(self, officer_api, world):
        officer_api.post(f"{BASE}consultations/", body(), format="json")
        data = officer_api.get(f"{BASE}figures/?org={world.D1.pk}").json()
        assert data["calls"] == 1 and data["distinct_callers"] == 1
        assert len(data["by_hour"]) == 24
        bad = officer_api.get(f"{BASE}figures/?start=2026-13-01")
        assert bad.status_code == 400 and bad.json()["detail"] == "日期格式应为 YYYY-MM-DD"
        assert officer_api.get(f"{BASE}figures/?org={world.D3.pk}").status_code == 404

    @pytest.mark.parametrize(
        "query", ["start=0001-01-01&end=0001-01-01", "end=9999-12-31", "start=1949-12-31"]
    )
    def test_dates_out_of_range_are_a_400(self, officer_api, query):
        for url in (f"{BASE}figures/?{query}", f"{BASE}consultations/?{query}"):
            response = officer_api.get(url)
            assert response.status_code == 400, url
            assert response.json() == {"detail": "日期应在1950年至2100年之间。"}
