"""The API contract: exactly the promised fields, permissions, validation, corrections kept."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient

from niangjia.intake.analyser import VERSION
from niangjia.intake.models import IntakeAnalysis, IntakeCorrection
from niangjia.orgs.models import StaffRole

from .conftest import TEXT

ANALYSE = "/api/v1/intake/analyse/"


def review_url(pk: int) -> str:
    return f"/api/v1/intake/analyses/{pk}/review/"


@pytest.mark.django_db
class TestAnalyse:
    def test_contract(self, officer_api, world):
        response = officer_api.post(ANALYSE, {"text": TEXT}, format="json")
        assert response.status_code == 200, response.json()
        data = response.json()
        assert set(data) == {
            "category",
            "amounts",
            "workers_count",
            "employer",
            "dates",
            "urgency",
            "signals",
            "explanations",
            "analysis_id",
        }
        assert data["category"] == "wages"
        assert data["amounts"] == ["140000.00"]
        assert data["workers_count"] == 4
        assert data["employer"] == "宏达建筑有限公司第三项目部"
        assert data["dates"][0] == "2026-03"
        assert data["urgency"] == "high"
        assert {"extreme_threat", "spring_festival"} <= set(data["signals"])
        assert data["explanations"]["amounts"][0]["because"] == "十四万元"
        assert data["explanations"]["workers_count"][0]["because"] == "我和3个工友"

        analysis = IntakeAnalysis.objects.get(pk=data["analysis_id"])
        assert analysis.user == world.users["rights_officer"] and analysis.org == world.D1
        assert analysis.text == TEXT and analysis.analyser_version == VERSION

    def test_text_is_encrypted_at_rest(self, officer_api):
        from django.db import connection

        pk = officer_api.post(ANALYSE, {"text": TEXT}, format="json").json()["analysis_id"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT text FROM intake_intakeanalysis WHERE id = %s", [pk])
            stored = cursor.fetchone()[0]
        assert "宏达" not in stored and stored.startswith("gAAAA")

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"text": ""}, "请输入投诉内容"),
            ({"text": "   "}, "请输入投诉内容"),
            ({}, "请输入投诉内容"),
            ({"text": 12}, "请输入投诉内容"),
            ({"text": "欠" * 5001}, "最多 5000 字"),
            # a NUL in the text reaches the suggestions' JSON, which PostgreSQL refuses (a 500)
            ({"text": "宏达建\x00筑有限公司欠我工资"}, "空字符"),
        ],
    )
    def test_invalid_text(self, officer_api, body, message):
        response = officer_api.post(ANALYSE, body, format="json")
        assert response.status_code == 400
        assert message in response.json()["detail"]
        assert not IntakeAnalysis.objects.exists()

    def test_not_json(self, officer_api):
        response = officer_api.post(ANALYSE, "{oops", content_type="application/json")
        assert response.status_code == 400 and "JSON" in response.json()["detail"]

    def test_anonymous_401(self, api_for):
        assert api_for(None).post(ANALYSE, {"text": TEXT}, format="json").status_code == 401

    @pytest.mark.parametrize("role", ["care_officer", "agency_liaison", "worker", "outsider"])
    def test_non_staff_403(self, api_for, role):
        response = api_for(role).post(ANALYSE, {"text": TEXT}, format="json")
        assert response.status_code == 403
        assert "接诉助手" in response.json()["detail"]

    @pytest.mark.parametrize("role", ["org_admin", "superuser"])
    def test_other_staff_allowed(self, api_for, role):
        assert api_for(role).post(ANALYSE, {"text": TEXT}, format="json").status_code == 200

    def test_throttled(self, officer_api, settings):
        rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], user="2/minute")
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        from rest_framework.throttling import UserRateThrottle

        original = UserRateThrottle.THROTTLE_RATES
        UserRateThrottle.THROTTLE_RATES = rates
        try:
            cache.clear()
            codes = [
                officer_api.post(ANALYSE, {"text": TEXT}, format="json").status_code
                for _ in range(3)
            ]
        finally:
            UserRateThrottle.THROTTLE_RATES = original
        assert codes == [200, 200, 429]


@pytest.mark.django_db
class TestReview:
    def analysis(self, client) -> dict:
        return client.post(ANALYSE, {"text": TEXT}, format="json").json()

    def test_corrections_stored(self, officer_api, world):
        data = self.analysis(officer_api)
        response = officer_api.post(
            review_url(data["analysis_id"]),
            {
                "fields": {
                    "category": {"accepted": True},
                    "employer": {"accepted": False, "value": "宁夏宏达建筑有限公司"},
                    "workers_count": {"accepted": False, "value": 5},
                    "amounts": {"accepted": False, "value": ["140000", "35000.5"]},
                    "dates": {"accepted": False, "value": ["2026-03-01"]},
                    "signals": {"accepted": False, "value": ["extreme_threat"]},
                    "urgency": {"accepted": True},
                }
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["confirmed"]["employer"] == "宁夏宏达建筑有限公司"
        assert body["confirmed"]["amounts"] == ["140000.00", "35000.50"]
        assert body["confirmed"]["category"] == "wages"
        path, _, query = body["case_form_url"].partition("?")
        assert path == "/staff/rights/new/"
        assert parse_qs(query) == {
            "category": ["wages"],
            "claim_kind": ["wages"],
            "employer_name": ["宁夏宏达建筑有限公司"],
            "claim_amount": ["140000.00"],
        }

        rows = {c.field: c for c in IntakeCorrection.objects.all()}
        assert len(rows) == 7
        assert rows["category"].accepted and rows["category"].corrected == "wages"
        employer = rows["employer"]
        assert not employer.accepted and employer.suggested == data["employer"]
        assert employer.corrected == "宁夏宏达建筑有限公司"
        assert employer.by == world.users["rights_officer"]
        assert rows["workers_count"].suggested == 4 and rows["workers_count"].corrected == 5

    def test_review_again_updates(self, officer_api):
        pk = self.analysis(officer_api)["analysis_id"]
        url = review_url(pk)
        officer_api.post(
            url, {"fields": {"category": {"accepted": False, "value": "injury"}}}, format="json"
        )  # noqa: E501
        officer_api.post(url, {"fields": {"category": {"accepted": True}}}, format="json")
        row = IntakeCorrection.objects.get()
        assert row.accepted and row.corrected == "wages"

    def test_correction_equal_to_suggestion_counts_as_accepted(self, officer_api):
        data = self.analysis(officer_api)
        officer_api.post(
            review_url(data["analysis_id"]),
            {"fields": {"amounts": {"accepted": False, "value": ["140000"]}}},
            format="json",
        )
        assert IntakeCorrection.objects.get().accepted

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"category": {"accepted": False, "value": "wage"}}, "类别无效"),
            ({"category": {"accepted": False}}, "更正后的值"),
            ({"category": {"value": "wages"}}, "是否采纳"),
            ({"colour": {"accepted": True}}, "未知字段"),
            ({"amounts": {"accepted": False, "value": ["十万"]}}, "不是有效数字"),
            ({"amounts": {"accepted": False, "value": ["-5"]}}, "超出范围"),
            ({"amounts": {"accepted": False, "value": "5000"}}, "列表"),
            ({"workers_count": {"accepted": False, "value": 0}}, "1 到 100000"),
            ({"workers_count": {"accepted": False, "value": "many"}}, "正整数"),
            ({"dates": {"accepted": False, "value": ["2026-13-01"]}}, "格式无效"),
            ({"signals": {"accepted": False, "value": ["aliens"]}}, "未知信号"),
            ({"signals": {"accepted": False, "value": [["injury"]]}}, "未知信号"),
            ({"category": {"accepted": False, "value": ["wages"]}}, "类别无效"),
            ({"dates": {"accepted": False, "value": [20260301]}}, "格式无效"),
            ({"workers_count": {"accepted": False, "value": {"n": 3}}}, "正整数"),
            ({"employer": {"accepted": False, "value": ["宏达"]}}, "文字"),
            ({"urgency": {"accepted": False, "value": "urgent"}}, "high 或 normal"),
            ({"employer": {"accepted": False, "value": "厂" * 121}}, "最多 120 字"),
            ({"employer": {"accepted": False, "value": "宏达\x00公司"}}, "空字符"),
            ({}, "至少核对一个字段"),
        ],
    )
    def test_invalid_review(self, officer_api, fields, message):
        pk = self.analysis(officer_api)["analysis_id"]
        response = officer_api.post(review_url(pk), {"fields": fields}, format="json")
        assert response.status_code == 400
        assert message in response.json()["detail"]
        assert not IntakeCorrection.objects.exists()

    def test_null_clears_employer_and_count(self, officer_api):
        pk = self.analysis(officer_api)["analysis_id"]
        body = officer_api.post(
            review_url(pk),
            {
                "fields": {
                    "employer": {"accepted": False, "value": None},
                    "workers_count": {"accepted": False, "value": None},
                }
            },
            format="json",
        ).json()
        assert body["confirmed"]["employer"] is None and body["confirmed"]["workers_count"] is None

    def test_out_of_scope_is_404(self, officer_api, api_for, world):
        pk = self.analysis(officer_api)["analysis_id"]
        other = get_user_model().objects.create_user("d3_officer", password="pw")
        StaffRole.objects.create(user=other, org=world.D3, role=StaffRole.Role.RIGHTS_OFFICER)
        client = APIClient()
        client.force_authenticate(other)
        body = {"fields": {"category": {"accepted": True}}}
        assert client.post(review_url(pk), body, format="json").status_code == 404
        assert client.post(review_url(999999), body, format="json").status_code == 404
        # a colleague in the same union may review it
        assert api_for("org_admin").post(review_url(pk), body, format="json").status_code == 200

    def test_permissions(self, officer_api, api_for):
        pk = self.analysis(officer_api)["analysis_id"]
        body = {"fields": {"category": {"accepted": True}}}
        assert api_for(None).post(review_url(pk), body, format="json").status_code == 401
        assert api_for("care_officer").post(review_url(pk), body, format="json").status_code == 403


@pytest.mark.django_db
def test_schema_lists_the_endpoints(officer_api):
    schema = officer_api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/intake/analyse/" in schema["paths"]
    assert "/api/v1/intake/analyses/{id}/review/" in schema["paths"]
