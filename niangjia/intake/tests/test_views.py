"""The staff pages: paste → suggestions with their words → confirm/correct → case form pre-filled;
the corrections report."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.test import Client

from niangjia.core.models import AccessLog
from niangjia.intake import services
from niangjia.intake.models import IntakeAnalysis, IntakeCorrection

from .conftest import TEXT


def client_for(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def review_post(**overrides) -> dict:
    data = {
        "category": "wages",
        "amounts": "140000.00",
        "workers_count": "4",
        "employer": "宏达建筑有限公司第三项目部",
        "dates": "2026-03, 2027-02-06",
        "urgency": "high",
        "signals": ["extreme_threat", "spring_festival"],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestFlow:
    def test_paste_review_confirm_and_register(self, world):
        client = client_for(world, "rights_officer")
        page = client.get("/staff/intake/")
        assert page.status_code == 200 and "投诉原文" in page.content.decode()

        response = client.post("/staff/intake/", {"text": TEXT})
        analysis = IntakeAnalysis.objects.get()
        assert response.status_code == 302 and response.url == f"/staff/intake/{analysis.pk}/"

        page = client.get(response.url).content.decode()
        # every suggestion is an editable field, with its words highlighted and cited
        assert 'name="employer" value="宏达建筑有限公司第三项目部"' in page
        assert '<mark class="hl-amounts " title="金额">十四万元</mark>' in page
        assert "「我和3个工友」" in page and "workers.me_and" in page
        assert "据此登记案件" not in page  # only after the review is saved
        # each field also states its suggestion in words
        assert "建议：追索劳动报酬" in page and "建议：2026-03、2027-02-06" in page
        assert "建议：有过激言行倾向、春节前欠薪" in page and "建议：紧急" in page
        assert AccessLog.objects.filter(target_id=str(analysis.pk)).exists()

        response = client.post(
            response.url, review_post(employer="宁夏宏达建筑有限公司", workers_count="5")
        )
        assert response.status_code == 302
        corrections = {c.field: c for c in IntakeCorrection.objects.all()}
        assert len(corrections) == 7
        assert not corrections["employer"].accepted
        assert corrections["employer"].corrected == "宁夏宏达建筑有限公司"
        assert not corrections["workers_count"].accepted
        assert corrections["category"].accepted and corrections["amounts"].accepted

        page = client.get(response.url).content.decode()
        assert "核对结果已保存" in page and "据此登记案件" in page
        recent = client.get("/staff/intake/").content.decode()
        assert f"#{analysis.pk}" in recent and "追索劳动报酬" in recent and "已核对" in recent
        assert 'name="employer" value="宁夏宏达建筑有限公司"' in page  # the confirmed value

        analysis.refresh_from_db()
        url = services.case_form_url(analysis)
        path, _, query = url.partition("?")
        # exactly the confirmed values: the complaint text stays out of addresses
        assert path == "/staff/rights/new/"
        assert parse_qs(query) == {
            "category": ["wages"],
            "claim_kind": ["wages"],
            "employer_name": ["宁夏宏达建筑有限公司"],
            "claim_amount": ["140000.00"],
        }
        form = client.get(url).content.decode()
        assert 'value="宁夏宏达建筑有限公司"' in form
        assert 'value="140000.00"' in form
        assert '<option value="wages" selected>' in form

    def test_invalid_review_keeps_the_page(self, world):
        client = client_for(world, "rights_officer")
        client.post("/staff/intake/", {"text": TEXT})
        analysis = IntakeAnalysis.objects.get()
        response = client.post(
            f"/staff/intake/{analysis.pk}/", review_post(amounts="十四万", dates="昨天")
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "不是有效数字" in page and "格式无效" in page
        assert not IntakeCorrection.objects.exists()

    def test_empty_and_long_text(self, world):
        client = client_for(world, "rights_officer")
        assert "请输入投诉内容" in client.post("/staff/intake/", {"text": " "}).content.decode()
        page = client.post("/staff/intake/", {"text": "欠" * 5001}).content.decode()
        assert "最多 5000 字" in page
        assert not IntakeAnalysis.objects.exists()

    def test_case_form_reads_only_known_parameters(self, world):
        client = client_for(world, "rights_officer")
        page = client.get(
            "/staff/rights/new/",
            {"employer_name": "甲企业", "claim_amount": "5000.00", "facts": "x", "bogus": "1"},
        ).content.decode()
        assert 'value="甲企业"' in page and 'value="5000.00"' in page
        # a POST is validated as before: initial data never bypasses the form
        from niangjia.rights.models import Case

        response = client.post("/staff/rights/new/?employer_name=甲企业", {"source": "hotline"})
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
        assert not Case.objects.exists()


@pytest.mark.django_db
class TestPermissions:
    @pytest.mark.parametrize("role", ["care_officer", "agency_liaison", "worker", "outsider"])
    def test_non_staff_forbidden(self, world, role):
        assert client_for(world, role).get("/staff/intake/").status_code == 403

    def test_anonymous_redirected_to_login(self):
        response = Client().get("/staff/intake/")
        assert response.status_code == 302 and "login" in response.url

    def test_nav_entry_for_case_staff_only(self, world):
        assert "接诉助手" in client_for(world, "rights_officer").get("/staff/").content.decode()
        assert "接诉助手" not in client_for(world, "agency_liaison").get("/staff/").content.decode()

    def test_others_analysis_out_of_scope(self, world):
        from django.contrib.auth import get_user_model

        from niangjia.orgs.models import StaffRole

        analysis = services.analysis_create(actor=world.users["rights_officer"], text=TEXT)
        other = get_user_model().objects.create_user("d3_officer", password="pw")
        StaffRole.objects.create(user=other, org=world.D3, role=StaffRole.Role.RIGHTS_OFFICER)
        client = Client()
        client.force_login(other)
        assert client.get(f"/staff/intake/{analysis.pk}/").status_code == 404

    def test_report_for_superusers_and_org_admins(self, world):
        analysis = services.analysis_create(actor=world.users["rights_officer"], text=TEXT)
        services.analysis_review(
            analysis=analysis,
            actor=world.users["rights_officer"],
            fields={
                "category": {"accepted": False, "value": "injury"},
                "employer": {"accepted": False, "value": "宁夏宏达建筑有限公司"},
                "amounts": {"accepted": True},
            },
        )
        assert (
            client_for(world, "rights_officer").get("/staff/intake/corrections/").status_code == 403
        )  # noqa: E501
        for role in ("org_admin", "superuser"):
            page = client_for(world, role).get("/staff/intake/corrections/").content.decode()
            assert "宁夏宏达建筑有限公司" in page
            assert "追索劳动报酬" in page and "工伤待遇" in page  # category: suggested → corrected
            assert TEXT not in page  # the report never shows complaint texts

    def test_report_counts_an_org_admins_subtree_only(self, world):
        from django.contrib.auth import get_user_model

        from niangjia.orgs.models import StaffRole

        far = get_user_model().objects.create_user("d3_officer", password="pw")
        StaffRole.objects.create(user=far, org=world.D3, role=StaffRole.Role.RIGHTS_OFFICER)
        analysis = services.analysis_create(actor=far, text=TEXT)
        services.analysis_review(
            analysis=analysis,
            actor=far,
            fields={"employer": {"accepted": False, "value": "远方公司"}},
        )
        page = client_for(world, "org_admin").get("/staff/intake/corrections/").content.decode()
        assert "远方公司" not in page
        assert (
            "远方公司"
            in client_for(world, "superuser").get("/staff/intake/corrections/").content.decode()
        )  # noqa: E501


@pytest.mark.django_db
def test_demo_fills_the_report(world):
    import io

    from django.contrib.auth import get_user_model

    from niangjia.intake import demo
    from niangjia.orgs.models import StaffRole

    officer = get_user_model().objects.create_user("dwk_rights", password="pw")
    StaffRole.objects.create(user=officer, org=world.D1, role=StaffRole.Role.RIGHTS_OFFICER)
    out = io.StringIO()
    demo.load(out)
    assert IntakeAnalysis.objects.count() == len(demo.DEMO)
    assert IntakeCorrection.objects.filter(accepted=False).count() >= 5
    demo.load(out)  # loads once
    assert IntakeAnalysis.objects.count() == len(demo.DEMO)
    page = client_for(world, "superuser").get("/staff/intake/corrections/").content.decode()
    assert "石嘴山市速达配送服务有限公司" in page


@pytest.mark.django_db
def test_report_queries_do_not_grow_with_fields_nor_open_complaints(
    world, monkeypatch, django_assert_max_num_queries
):
    from niangjia.core import pii
    from niangjia.intake import selectors

    officer = world.users["rights_officer"]
    every_field = {
        "category": {"accepted": False, "value": "injury"},
        "amounts": {"accepted": False, "value": ["1.00"]},
        "workers_count": {"accepted": False, "value": 7},
        "employer": {"accepted": False, "value": "宁夏宏达建筑有限公司"},
        "dates": {"accepted": False, "value": ["2025"]},
        "urgency": {"accepted": False, "value": "normal"},
        "signals": {"accepted": False, "value": ["pregnancy"]},
    }
    analyses = [services.analysis_create(actor=officer, text=TEXT) for _ in range(7)]
    for n, analysis in enumerate(analyses):
        employer = {"accepted": False, "value": f"公司{n}"}
        services.analysis_review(
            analysis=analysis, actor=officer, fields={**every_field, "employer": employer}
        )

    def no_decrypt(token):
        raise AssertionError("the report opened a complaint text")

    monkeypatch.setattr(pii, "decrypt", no_decrypt)
    for role in ("superuser", "org_admin"):
        with django_assert_max_num_queries(6):
            report = selectors.corrections_report(world.users[role])
        fields = {f["field"]: f for f in report["fields"]}
        assert all(f["corrected"] == 7 for f in fields.values())
        examples = fields["employer"]["examples"]
        # the latest five, newest first
        assert [e.corrected for e in examples] == [f"公司{n}" for n in (6, 5, 4, 3, 2)]
        assert all(len(f["examples"]) == 5 for f in fields.values())
    page = client_for(world, "superuser").get("/staff/intake/corrections/").content.decode()
    assert f'href="/staff/intake/{analyses[-1].pk}/"' in page


@pytest.mark.django_db
def test_case_form_url_for_an_injury_takes_the_largest_amount_and_first_full_date(world):
    officer = world.users["rights_officer"]
    analysis = services.analysis_create(actor=officer, text=TEXT)
    analysis = services.analysis_review(
        analysis=analysis,
        actor=officer,
        fields={
            "category": {"accepted": False, "value": "injury"},
            "amounts": {"accepted": False, "value": ["900", "52000.5", "3000"]},
            "dates": {"accepted": False, "value": ["2026-03", "2026-03-15", "2026-04-01"]},
            "employer": {"accepted": False, "value": None},
        },
    )
    query = parse_qs(services.case_form_url(analysis).partition("?")[2])
    assert query == {
        "category": ["injury"],
        "claim_kind": ["injury"],
        "claim_amount": ["52000.50"],
        "injury_on": ["2026-03-15"],
    }


def test_a_dismissal_complaint_opens_the_case_form_with_economic_compensation(world):
    """The claim kind comes from rights' one category table: 赔偿金 (art.87) needs the dismissal
    found unlawful first, so a termination complaint starts as 经济补偿 here as everywhere."""
    from urllib.parse import parse_qs, urlsplit

    from niangjia.intake import services as intake_services
    from niangjia.intake.models import IntakeAnalysis

    analysis = IntakeAnalysis(suggestions={"category": "termination"}, confirmed={})
    query = parse_qs(urlsplit(intake_services.case_form_url(analysis)).query)
    assert query["claim_kind"] == ["economic_compensation"]
