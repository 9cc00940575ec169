"""#11 "done when": what the demo accounts reached by plain HTTP outside what concerns them,
each finding with its regression test."""

from __future__ import annotations

import datetime
import random

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from niangjia.core.demo import fake_resident_id
from niangjia.core.models import AccessLog
from niangjia.rights import documents, services
from niangjia.rights.services import ClaimInput, WorkerInput

DAY = datetime.date(2026, 7, 3)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    text = []
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        text.append(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return "".join(text)


def _colleagues(n: int) -> list[WorkerInput]:
    rng = random.Random(7)
    return [
        WorkerInput(
            name=f"同事{i}", id_number=fake_resident_id(rng, "640202"), phone=f"1391234{i:04d}"
        )
        for i in range(n)
    ]


def _signed_agreement(world, make_case, colleagues: int):
    """A case of the demo worker and `colleagues` others, its mediation agreement signed (with a
    scan of the signed paper)."""
    officer = world.users["rights_officer"]
    me = world.p_worker
    others = _colleagues(colleagues)
    case = make_case(
        workers=[WorkerInput(name=me.name, id_number=me.id_number, phone=me.phone), *others],
        claims=[ClaimInput(kind="wages", amount="10000.00", worker_index=0)],
    )
    services.case_transition(case=case, action="accept", actor=officer, on=DAY)
    services.case_transition(case=case, action="mediate", actor=officer, on=DAY)
    services.agreement_record(
        case=case,
        actor=officer,
        terms="用人单位一次性支付全部欠薪",
        amount="100000.00",
        signed_on=datetime.date(2026, 7, 10),
        payment_due_on=datetime.date(2026, 7, 17),
    )
    doc = documents.document_generate(case=case, actor=officer, kind="mediation_agreement")
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 scan of the signed paper")
    documents.document_sign(document=doc, actor=officer, scan=scan)
    return case, doc, others


@pytest.mark.parametrize("colleagues", [2, 11], ids=["party-blocks", "group-table"])
def test_worker_copy_of_a_signed_agreement_masks_the_other_parties_id_numbers(
    world, make_case, client, colleagues
):
    case, doc, others = _signed_agreement(world, make_case, colleagues)
    me = world.p_worker
    full = pdf_text(doc.pdf.open("rb").read())
    assert others[0].id_number in full  # the signed original lists everyone in full

    client.force_login(world.users["worker"])
    response = client.get(f"/staff/rights/{case.pk}/documents/{doc.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "个人副本" in text and "用人单位一次性支付全部欠薪" in text
    assert me.name in text
    for other in others:
        assert other.name in text
        assert other.id_number not in text and other.phone not in text
        assert other.id_number[:6] + "********" + other.id_number[-4:] in text
    if colleagues <= documents.PARTY_BLOCK_LIMIT:
        assert me.id_number in text  # their own number, in full, in their own party block
    assert AccessLog.objects.filter(
        target_id=str(case.pk), action=AccessLog.Action.EXPORT, detail__contains="个人副本"
    ).exists()

    api = APIClient()
    api.force_authenticate(world.users["worker"])
    listed = api.get(f"/api/v1/cases/{case.pk}/documents/").json()
    assert [set(d["urls"]) for d in listed] == [{"pdf"}]
    response = api.get(f"/api/v1/cases/{case.pk}/documents/{doc.pk}/pdf/")
    assert response.status_code == 200
    assert others[0].id_number not in pdf_text(b"".join(response.streaming_content))


def test_worker_is_never_given_the_scan_or_docx_listing_every_party(world, make_case, client):
    case, doc, _others = _signed_agreement(world, make_case, 2)
    client.force_login(world.users["worker"])
    body = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert f"/documents/{doc.pk}/pdf/" in body and f"/documents/{doc.pk}/scan/" not in body
    for what in ("scan", "docx"):
        assert client.get(f"/staff/rights/{case.pk}/documents/{doc.pk}/{what}/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["worker"])
    for what in ("scan", "docx"):
        url = f"/api/v1/cases/{case.pk}/documents/{doc.pk}/{what}/"
        assert api.get(url).status_code == 404
    assert set(api.get(f"/api/v1/cases/{case.pk}/").json()["documents"][0]["urls"]) == {"pdf"}


def test_staff_and_agencies_keep_the_full_signed_agreement(world, make_case, client):
    case, doc, others = _signed_agreement(world, make_case, 2)
    services.case_share(case=case, agency=world.AG1, actor=world.users["rights_officer"])
    for user in ("rights_officer", "agency_liaison"):
        client.force_login(world.users[user])
        response = client.get(f"/staff/rights/{case.pk}/documents/{doc.pk}/pdf/")
        assert response.status_code == 200
        text = pdf_text(b"".join(response.streaming_content))
        assert others[0].id_number in text and "个人副本" not in text


def test_worker_api_never_lists_the_case_shares_or_co_workers_recovery_split(world, make_case):
    """worker_demo: GET /api/v1/cases/3/shares/ answered the partner agency and the union's
    note to it ("供劳动保障监察参阅"); /recoveries/ every co-worker's name and share of each payment
    — details the worker's own view (GET /cases/{id}/) leaves out on purpose."""
    officer = world.users["rights_officer"]
    me = world.p_worker
    case = make_case(
        workers=[
            WorkerInput(name=me.name, id_number=me.id_number, phone=me.phone),
            WorkerInput(name="另一名职工", phone="13912345679"),
        ],
        claims=[ClaimInput(kind="wages", amount="30000.00", worker_index=0)],
    )
    services.case_share(
        case=case, agency=world.AG1, actor=officer, access="read", note="供劳动保障监察参阅"
    )
    services.recovery_record(
        case=case, actor=officer, amount="1000.00", on=DAY, payer="甲企业", kind="wages"
    )
    api = APIClient()
    api.force_authenticate(world.users["worker"])
    for what in ("shares", "recoveries"):
        response = api.get(f"/api/v1/cases/{case.pk}/{what}/")
        assert response.status_code == 404, what
        assert "供劳动保障监察参阅" not in response.content.decode()
        assert "另一名职工" not in response.content.decode()
    own = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert own["recoveries"] == [{"on": DAY.isoformat(), "kind": "wages", "amount": "1000.00"}]
    # the handling union still reads both
    staff = APIClient()
    staff.force_authenticate(officer)
    assert staff.get(f"/api/v1/cases/{case.pk}/shares/").json()[0]["note"] == "供劳动保障监察参阅"
    assert staff.get(f"/api/v1/cases/{case.pk}/recoveries/").status_code == 200


def test_case_documents_never_print_another_unions_file_for_a_matched_id_number(world, make_case):
    """szs_rights: POST /api/v1/cases/ with a 大武口 worker's ID number and the name "化名"
    answered nothing of the file (#11 §1), but the case summary it then generated printed the
    worker's real name, and the arbitration application the phone on file."""
    officer = world.users["rights_officer"]  # D1
    other = world.p_e2  # registered in D2, outside the officer's scope
    assert other.phone and other.name != "化名"
    case = make_case(
        workers=[WorkerInput(name="化名", id_number=other.id_number, phone="13800002222")],
        claims=[ClaimInput(kind="wages", amount="5000.00", worker_index=0)],
    )
    assert case.workers.get().person_id == other.pk  # matched, not edited
    for kind in ("case_summary", "arbitration_application"):
        doc = documents.document_generate(case=case, actor=officer, kind=kind)
        text = pdf_text(doc.pdf.open("rb").read())
        assert "化名" in text, kind
        assert other.name not in text and other.phone not in text, kind
        assert other.phone_masked not in text, kind
    if kind == "arbitration_application":
        assert "13800002222" in text  # what was typed for this case
    other.refresh_from_db()
    assert other.name != "化名" and other.phone != "13800002222"


def test_case_documents_keep_the_file_for_a_person_in_scope(world, make_case):
    officer = world.users["rights_officer"]
    mine = world.p_e1
    case = make_case(
        workers=[WorkerInput(name="别名", id_number=mine.id_number, phone="13800002223")],
        claims=[ClaimInput(kind="wages", amount="5000.00", worker_index=0)],
    )
    doc = documents.document_generate(case=case, actor=officer, kind="arbitration_application")
    text = pdf_text(doc.pdf.open("rb").read())
    assert mine.name in text and mine.phone in text


def test_claim_compute_page_and_timeline_name_the_party_as_typed_not_another_unions_file(
    world, make_case, client, officer_api
):
    """The calculator page's worker list and the "新增请求事项…职工X" timeline entry named the
    party by the other union's file, not by what was typed for the case."""
    other = world.p_e2  # outside the officer's scope
    case = make_case(
        category="injury",
        workers=[WorkerInput(name="化名", id_number=other.id_number, phone="13800002222")],
        claims=[],
    )
    worker = case.workers.get()
    client.force_login(world.users["rights_officer"])
    page = client.get(f"/staff/rights/{case.pk}/claims/compute/work-injury/").content.decode()
    assert "化名" in page and other.name not in page
    inputs = {
        "disability_grade": 9,
        "monthly_wage": "6000.00",
        "regional_average_monthly_wage": "8000.00",
    }
    response = officer_api.post(
        f"/api/v1/cases/{case.pk}/claims/compute/",
        {"calculator": "work-injury", "inputs": inputs, "save": True, "worker": worker.pk},
        format="json",
    )
    assert response.status_code in (200, 201), response.content
    texts = " ".join(case.timeline.values_list("text", flat=True))
    assert "职工化名" in texts and other.name not in texts
