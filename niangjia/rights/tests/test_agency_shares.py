"""Partner agencies (#11 §3): a read-only share writes nothing, shares stay in the jurisdiction."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from niangjia.orgs.exceptions import NotAllowed
from niangjia.rights import documents, services
from niangjia.rights.models import (
    AgencyAct,
    Case,
    CaseDocument,
    CaseShare,
    ClaimItem,
    Deadline,
    Evidence,
    Recovery,
    TimelineEntry,
)
from niangjia.rights.services import WorkerInput


def snapshot(case: Case) -> dict:
    """Everything a write path could leave behind on a case."""
    case.refresh_from_db()
    return {
        "timeline": TimelineEntry.objects.filter(case=case).count(),
        "evidence": Evidence.objects.filter(case=case).count(),
        "recoveries": Recovery.objects.filter(case=case).count(),
        "acts": AgencyAct.objects.filter(case=case).count(),
        "shares": list(CaseShare.objects.filter(case=case).values_list("pk", "returned_at")),
        "documents": list(CaseDocument.objects.filter(case=case).values_list("pk", "signed")),
        "claims": ClaimItem.objects.filter(case=case).count(),
        "deadlines": list(
            Deadline.objects.filter(case=case).order_by("pk").values_list("status", "events", "due")
        ),
        "stage": case.stage,
        "agreement": (case.agreement_terms, case.agreement_amount),
    }


@pytest.fixture
def shared_case(world, make_case):
    """A case in mediation with a generated summary, shared read-only with the court AG1."""
    officer = world.users["rights_officer"]
    case = make_case()
    services.case_transition(
        case=case, action="accept", actor=officer, on=datetime.date(2026, 7, 3)
    )
    services.case_transition(
        case=case, action="mediate", actor=officer, on=datetime.date(2026, 7, 3)
    )
    documents.document_generate(case=case, actor=officer, kind="case_summary")
    services.case_share(case=case, agency=world.AG1, actor=officer, access="read")
    return case


@pytest.fixture
def court_page(client, world):
    client.force_login(world.users["agency_liaison"])
    return client


@pytest.fixture
def court_api(world):
    client = APIClient()
    client.force_authenticate(world.users["agency_liaison"])
    return client


def _pdf():
    return SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 test", "application/pdf")


# --- services: the rule lives where every caller passes --------------------------------------


def test_read_only_share_adds_no_note_in_the_service(world, shared_case):
    before = snapshot(shared_case)
    with pytest.raises(NotAllowed, match="只读共享"):
        services.note_add(case=shared_case, actor=world.users["agency_liaison"], text="法院意见")
    assert snapshot(shared_case) == before


def test_read_only_share_adds_no_evidence_in_the_service(world, shared_case):
    before = snapshot(shared_case)
    with pytest.raises(NotAllowed, match="只读共享"):
        services.evidence_add(case=shared_case, actor=world.users["agency_liaison"], upload=_pdf())
    assert snapshot(shared_case) == before


def test_act_share_still_adds_notes_and_evidence(world, shared_case):
    officer = world.users["rights_officer"]
    share = shared_case.shares.get()
    services.share_return(share=share, actor=officer)
    services.case_share(case=shared_case, agency=world.AG1, actor=officer, access="act")
    liaison = world.users["agency_liaison"]
    services.note_add(case=shared_case, actor=liaison, text="已立案")
    services.evidence_add(case=shared_case, actor=liaison, upload=_pdf())
    assert Evidence.objects.filter(case=shared_case, uploaded_by_org=world.AG1).exists()


# --- staff pages -------------------------------------------------------------------------------


def test_read_only_share_page_shows_no_write_forms(court_page, shared_case):
    html = court_page.get(f"/staff/rights/{shared_case.pk}/").content.decode()
    assert "本单位为只读共享" in html
    for action in ("note", "evidence", "recovery", "act", "transition", "agreement", "share"):
        assert f"/staff/rights/{shared_case.pk}/{action}/" not in html, action
    assert "/documents/generate/" not in html and "/sign/" not in html
    assert ">添加备注<" not in html and ">上传<" not in html
    # handing the case back stays possible: it ends the agency's access, it writes nothing else
    assert f"/staff/rights/{shared_case.pk}/return/" in html


PAGE_POSTS = {
    "note": {"note-text": "法院意见"},
    "transition": {"action": "arbitrate", "on": "2026-07-04"},
    "agreement": {
        "agreement-terms": "一次付清",
        "agreement-amount": "100000",
        "agreement-signed_on": "2026-07-05",
    },
    "recovery": {
        "recovery-amount": "1000",
        "recovery-on": "2026-07-06",
        "recovery-payer": "公司",
        "recovery-kind": "wages",
    },
    "act": {"act-kind": "filed", "act-on": "2026-07-06"},
    "share": {"share-agency": "AG2", "share-access": "act", "share-kind": "share"},
    "complete": {"text": "已满足"},
    "interrupt": {"start": "2026-07-05", "reason": "职工申请仲裁"},
    "suspend": {"start": "2026-07-05", "end": "2026-07-06", "reason": "不可抗力"},
}


@pytest.mark.parametrize("what", sorted(PAGE_POSTS))
def test_read_only_share_writes_nothing_through_the_case_page(court_page, world, shared_case, what):
    data = dict(PAGE_POSTS[what])
    if what == "share":
        data["share-agency"] = str(world.AG2.pk)
    if what in {"complete", "interrupt", "suspend"}:
        data["deadline"] = str(shared_case.deadlines.filter(status="open").first().pk)
    before = snapshot(shared_case)
    response = court_page.post(f"/staff/rights/{shared_case.pk}/{what}/", data, follow=True)
    assert response.status_code == 200
    assert "已保存" not in [str(m) for m in response.context["messages"]]
    assert snapshot(shared_case) == before


def test_read_only_share_uploads_no_evidence_through_the_case_page(court_page, shared_case):
    before = snapshot(shared_case)
    response = court_page.post(
        f"/staff/rights/{shared_case.pk}/evidence/", {"file": _pdf()}, follow=True
    )
    assert "只读共享" in response.content.decode()
    assert snapshot(shared_case) == before


def test_read_only_share_generates_and_signs_no_document_through_the_case_page(
    court_page, shared_case
):
    before = snapshot(shared_case)
    document = shared_case.documents.get()
    page = f"/staff/rights/{shared_case.pk}/"
    court_page.post(f"{page}documents/generate/", {"kind": "case_summary"})
    court_page.post(f"{page}documents/{document.pk}/sign/")
    court_page.post(
        f"{page}claims/compute/overtime/",
        {"monthly_wage": "5220.00", "rest_day_hours": "16", "action": "save"},
    )
    assert snapshot(shared_case) == before


# --- API ---------------------------------------------------------------------------------------


def test_read_only_share_writes_nothing_through_the_api(court_api, world, shared_case):
    url = f"/api/v1/cases/{shared_case.pk}/"
    document = shared_case.documents.get()
    deadline = shared_case.deadlines.filter(status="open").first()
    assert deadline is not None
    before = snapshot(shared_case)
    posts = [
        ("notes/", {"text": "法院意见", "visibility": "partner"}),
        ("transitions/", {"action": "arbitrate", "on": "2026-07-04"}),
        ("agreement/", {"terms": "一次付清", "amount": "1000", "signed_on": "2026-07-05"}),
        ("shares/", {"agency": world.AG2.pk, "access": "act"}),
        ("acts/", {"kind": "filed", "on": "2026-07-05"}),
        ("recoveries/", {"amount": "1000", "on": "2026-07-06", "payer": "公司", "kind": "wages"}),
        ("documents/", {"kind": "case_summary"}),
        (f"documents/{document.pk}/sign/", {}),
        (
            "claims/compute/",
            {
                "calculator": "overtime",
                "inputs": {"monthly_wage": "5220.00", "rest_day_hours": "16"},
                "save": True,
            },
        ),
    ]
    for path, body in posts:
        response = court_api.post(url + path, body, format="json")
        assert response.status_code in {403, 404}, (path, response.status_code)
    evidence = court_api.post(url + "evidence/", {"file": _pdf()}, format="multipart")
    assert evidence.status_code == 403
    assert "只读共享" in evidence.json()["detail"]
    assert snapshot(shared_case) == before
    # reading is what the share is for
    assert court_api.get(url).status_code == 200
    assert court_api.get(url + "timeline/").status_code == 200


# --- jurisdiction ------------------------------------------------------------------------------


def test_case_is_shared_only_with_an_agency_of_its_own_district(world, make_case):
    root = world.users["superuser"]
    other_district = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    with pytest.raises(ValidationError) as refused:
        services.case_share(case=other_district, agency=world.AG1, actor=root, access="act")
    assert "不在本案承办工会（乙区总工会）的辖区内" in str(refused.value)
    assert not CaseShare.objects.filter(case=other_district).exists()
    assert not TimelineEntry.objects.filter(case=other_district, kind="share").exists()
    # a grassroots union's case goes to the court of its district
    grassroots = make_case(org=world.G1, employer_name="甲企业")
    services.case_share(case=grassroots, agency=world.AG1, actor=world.users["rights_officer"])
    assert grassroots.shares.get().agency == world.AG1


def test_share_any_jurisdiction_setting_allows_another_district(world, make_case, settings):
    settings.RIGHTS_SHARE_ANY_JURISDICTION = True
    root = world.users["superuser"]
    case = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    services.case_share(case=case, agency=world.AG1, actor=root)
    assert case.shares.get().agency == world.AG1


def test_case_share_api_refuses_an_agency_of_another_district(world, make_case):
    root = world.users["superuser"]
    case = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    api = APIClient()
    api.force_authenticate(root)
    response = api.post(
        f"/api/v1/cases/{case.pk}/shares/", {"agency": world.AG1.pk, "access": "act"}, format="json"
    )
    assert response.status_code == 400
    assert "辖区" in str(response.json())
    assert not CaseShare.objects.filter(case=case).exists()


def test_case_page_offers_only_the_agencies_of_the_case_district(world, make_case, client):
    root = world.users["superuser"]
    client.force_login(root)
    other = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    html = client.get(f"/staff/rights/{other.pk}/").content.decode()
    assert world.AG1.name not in html
    mine = make_case(employer_name="甲区某公司")
    html = client.get(f"/staff/rights/{mine.pk}/").content.decode()
    assert world.AG1.name in html and world.AG2.name in html


# --- related cases and screening across unions -------------------------------------------------


@pytest.fixture
def cross_district(world, make_case):
    """The same employer complained about in 乙区 (D2) and twice in 甲区 (D1), same city."""
    root = world.users["superuser"]
    employer = "石嘴山某劳务公司"
    other = make_case(
        org=world.D2,
        actor=root,
        employer_name=employer,
        workers=[WorkerInput(name="乙区职工", id_number="11010519491231002X", phone="13700000001")],
        claims=[],
    )
    mine = make_case(
        employer_name=employer,
        workers=[WorkerInput(name="张建军", id_number="11010519491231002X", phone="13700000002")],
        claims=[],
    )
    sibling = make_case(
        employer_name=employer,
        workers=[WorkerInput(name="李卫东", phone="13700000003")],
        claims=[],
    )
    return other, mine, sibling


def test_related_cases_panel_hides_other_districts_numbers(world, client, cross_district):
    other, mine, sibling = cross_district
    assert set(mine.related.all()) == {other, sibling}  # linked across the city, as before
    client.force_login(world.users["rights_officer"])
    html = client.get(f"/staff/rights/{mine.pk}/").content.decode()
    assert sibling.number in html and f"/staff/rights/{sibling.pk}/" in html
    assert other.number not in html
    assert f"/staff/rights/{other.pk}/" not in html
    assert "另有 1 件在乙区总工会" in html
    assert "请求对方共享" in html and mine.number in html


def test_related_cases_api_hides_other_districts_numbers(world, officer_api, cross_district):
    other, mine, sibling = cross_district
    body = officer_api.get(f"/api/v1/cases/{mine.pk}/").json()
    assert [c["number"] for c in body["related"]["cases"]] == [sibling.number]
    assert body["related"]["elsewhere"][0]["org_name"] == "乙区总工会"
    assert body["related"]["elsewhere"][0]["count"] == 1
    assert other.number not in str(body)
    assert other.pk not in [c["id"] for c in body["related"]["cases"]]


def test_screening_names_no_case_number_of_another_union(world, client, cross_district):
    other, mine, _sibling = cross_district
    issues = services.screening_issues(mine, world.users["rights_officer"])
    assert any("乙区总工会另有 1 件在办案件" in issue for issue in issues), issues
    assert other.number not in str(issues)
    client.force_login(world.users["rights_officer"])
    html = client.get(f"/staff/rights/{mine.pk}/").content.decode()
    assert other.number not in html
    refused = client.post(f"/staff/rights/{mine.pk}/transition/", {"action": "accept"}, follow=True)
    assert other.number not in refused.content.decode()
    # the superuser may open both and is shown the number
    assert other.number in str(services.screening_issues(mine, world.users["superuser"]))
