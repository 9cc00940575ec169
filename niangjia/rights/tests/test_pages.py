from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.rights.models import Case, Evidence


@pytest.fixture
def officer(client, world):
    client.force_login(world.users["rights_officer"])
    return client


def test_case_list_filters_and_scope(officer, make_case, world):
    mine = make_case(employer_name="本区企业")
    make_case(org=world.D3, actor=None, employer_name="外省企业")
    page = officer.get("/staff/rights/").content.decode()
    assert mine.number in page
    assert "外省企业" not in page
    assert mine.number not in officer.get("/staff/rights/?stage=closed").content.decode()
    assert mine.number in officer.get("/staff/rights/?q=张建军").content.decode()


def test_case_list_runs_a_constant_number_of_queries(
    officer, make_case, django_assert_max_num_queries
):
    make_case(employer_name="企业0")
    officer.get("/staff/rights/")
    with django_assert_max_num_queries(14) as first:
        officer.get("/staff/rights/")
    for i in range(1, 12):
        make_case(employer_name=f"企业{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        officer.get("/staff/rights/")


def test_the_case_page_walks_the_workflow(officer, make_case, world):
    case = make_case()
    url = f"/staff/rights/{case.pk}/"
    page = officer.get(url).content.decode()
    assert "拖欠三个月工资" in page
    assert "仲裁时效" in page  # the limitation deadline opened at intake
    officer.post(url + "transition/", {"action": "accept", "on": "2026-07-03"})
    officer.post(url + "transition/", {"action": "mediate", "on": "2026-07-03"})
    response = officer.post(
        url + "transition/", {"action": "close", "outcome": "mediated"}, follow=True
    )
    assert "调解成功结案须先录入调解协议内容和金额" in response.content.decode()
    officer.post(
        url + "agreement/",
        {"agreement-terms": "一次付清", "agreement-amount": "100000",
         "agreement-signed_on": "2026-07-05"},
    )  # fmt: skip
    officer.post(
        url + "recovery/",
        {"recovery-amount": "100000", "recovery-on": "2026-07-06", "recovery-payer": "公司",
         "recovery-kind": "wages"},
    )  # fmt: skip
    officer.post(
        url + "transition/", {"action": "close", "outcome": "mediated", "on": "2026-07-07"}
    )
    case.refresh_from_db()
    assert case.stage == Case.Stage.CLOSED
    assert case.closed_on == datetime.date(2026, 7, 7)
    assert "10.00 万元" in officer.get(url).content.decode()


def test_evidence_upload_keeps_a_digest_and_refuses_executables(officer, make_case):
    case = make_case()
    url = f"/staff/rights/{case.pk}/evidence/"
    officer.post(
        url, {"file": SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 test", "application/pdf")}
    )
    evidence = Evidence.objects.get()
    assert len(evidence.sha256) == 64
    response = officer.post(
        url, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00", "application/pdf")}, follow=True
    )
    assert "不能上传可执行文件" in response.content.decode()
    response = officer.post(
        url, {"file": SimpleUploadedFile("a.exe", b"x", "application/x")}, follow=True
    )
    assert "不支持的文件类型" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_the_public_complaint_form_keeps_what_was_typed(client, world):
    from niangjia.orgs.models import StaffRole

    assert StaffRole.objects.filter(org=world.D1, role="rights_officer").exists()
    response = client.post(
        "/rights/complaint/",
        {"name": "赵大山", "phone": "1391234", "org": world.D1.pk, "employer_name": "某物流公司",
         "category": "wages", "workers_count": 3, "facts": "三个月没发工资"},
    )  # fmt: skip
    page = response.content.decode()
    assert "手机号码" in page
    assert "三个月没发工资" in page
    assert 'value="某物流公司"' in page
    assert Case.objects.count() == 0
    done = client.post(
        "/rights/complaint/",
        {"name": "赵大山", "phone": "13912340000", "org": world.D1.pk, "employer_name": "某物流公司",
         "category": "wages", "workers_count": 3, "facts": "三个月没发工资", "amount": "36000",
         "consent": "on"},
    )  # fmt: skip
    case = Case.objects.get()
    assert case.number in done.content.decode()
    assert case.source == "online"
    lookup = client.post("/rights/lookup/", {"number": case.number, "phone": "13912340000"})
    assert "登记" in lookup.content.decode()


def test_the_officer_home_lists_due_deadlines(officer, make_case):
    case = make_case(employment_ended_on=datetime.date(2025, 11, 30))
    page = officer.get("/staff/").content.decode()
    assert "逾期和三日内届满的法定期限" in page
    assert case.number in page


def test_figures_page_sums_the_ledger(officer, make_case):
    from niangjia.rights import services

    case = make_case()
    services.case_transition(case=case, action="accept", actor=None, on=datetime.date(2026, 7, 3))
    services.recovery_record(
        case=case,
        actor=None,
        amount="1234.56",
        on=datetime.date(2026, 7, 4),
        payer="公司",
        kind="wages",
    )
    page = officer.get("/staff/rights/figures/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "1,234.56 元" in page


def test_case_list_filters_by_officer(officer, make_case, world):
    from django.contrib.auth import get_user_model

    mine = make_case(officer=world.users["rights_officer"], employer_name="甲")
    other_user = get_user_model().objects.create_user("officer2")
    from niangjia.orgs.models import StaffRole

    StaffRole.objects.create(user=other_user, org=world.D1, role="rights_officer")
    theirs = make_case(officer=other_user, employer_name="乙")
    page = officer.get(f"/staff/rights/?officer={other_user.pk}").content.decode()
    assert theirs.number in page
    assert mine.number not in page


def test_evidence_is_private_and_each_download_is_logged(
    officer, make_case, world, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from niangjia.core.models import AccessLog

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case()
    officer.post(
        f"/staff/rights/{case.pk}/evidence/",
        {"file": SimpleUploadedFile("劳动合同.pdf", b"%PDF-1.4 contract", "application/pdf")},
    )
    evidence = Evidence.objects.get()
    # stored outside MEDIA_ROOT, so nothing serves it by URL
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))
    response = officer.get(f"/staff/rights/{case.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contract"
    assert AccessLog.objects.filter(action="export", detail="劳动合同.pdf").count() == 1
    # someone outside the case's scope gets a 404
    client.force_login(world.users["station_manager"])
    assert client.get(f"/staff/rights/{case.pk}/evidence/{evidence.pk}/").status_code == 404
