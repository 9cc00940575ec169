"""#11 §1: a worker sees their own case as a worker should; notes have a visibility."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from niangjia.rights import services
from niangjia.rights.models import CaseDocument, TimelineEntry
from niangjia.rights.services import ClaimInput, WorkerInput

INTERNAL = "内部研判：用人单位可能转移资产"
PARTNER = "请仲裁委协助核实工资台账"
WORKER = "请于下周二上午携带工资条到工会调解室"


@pytest.fixture
def case(world):
    officer = world.users["rights_officer"]
    me = world.p_worker
    case, _ = services.case_create(
        actor=officer, org=world.D1, source="walk_in", category="wages", employer_name="甲企业",
        facts="拖欠三个月工资", received_on=datetime.date(2026, 7, 2),
        workers=[WorkerInput(name=me.name, id_number=me.id_number, phone=me.phone),
                 WorkerInput(name="另一名职工", phone="13912345679")],
        claims=[ClaimInput(kind="wages", amount="30000.00", worker_index=0)],
    )  # fmt: skip
    services.note_add(case=case, actor=officer, text=INTERNAL)
    services.note_add(case=case, actor=officer, text=PARTNER, visibility="partner")
    services.note_add(case=case, actor=officer, text=WORKER, visibility="worker")
    services.case_share(case=case, agency=world.AG1, actor=officer, access="read")
    for version, signed in ((1, True), (2, False)):
        doc = CaseDocument(case=case, kind="mediation_agreement", version=version, signed=signed)
        doc.docx.save("a.docx", ContentFile(b"docx"), save=False)
        doc.pdf.save("a.pdf", ContentFile(b"%PDF-1.4 signed" if signed else b"%PDF draft"))
    return case


def test_a_note_is_internal_unless_the_officer_picks_otherwise(case):
    notes = case.timeline.filter(kind="note")
    assert dict(notes.values_list("text", "visibility")) == {
        INTERNAL: "internal",
        PARTNER: "partner",
        WORKER: "worker",
    }
    assert TimelineEntry._meta.get_field("visibility").default == "internal"


def test_worker_sees_own_case_without_internal_notes(client, world, case):
    client.force_login(world.users["worker"])
    response = client.get(f"/staff/rights/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body and "我的维权案件" in body and "30,000.00" in body
    assert WORKER in body
    assert INTERNAL not in body and PARTNER not in body
    # no other party's phone, no evidence, deadline or share panel, no note form
    assert "139****5679" not in body and "甲区人民法院" not in body
    assert "添加备注" not in body and "法定期限" not in body


def test_worker_is_given_only_the_signed_document(client, world, case):
    officer = world.users["rights_officer"]
    for action in ("accept", "mediate"):  # the worker's copy is drawn from the agreement (#11)
        services.case_transition(case=case, action=action, actor=officer, on=case.received_on)
    services.agreement_record(
        case=case, actor=officer, terms="一次性支付", amount="30000.00",
        signed_on=datetime.date(2026, 7, 10),
    )  # fmt: skip
    signed = case.documents.get(version=1)
    draft = case.documents.get(version=2)
    client.force_login(world.users["worker"])
    assert client.get(f"/staff/rights/{case.pk}/documents/{signed.pk}/pdf/").status_code == 200
    assert client.get(f"/staff/rights/{case.pk}/documents/{signed.pk}/docx/").status_code == 404
    assert client.get(f"/staff/rights/{case.pk}/documents/{draft.pk}/pdf/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["worker"])
    listed = api.get(f"/api/v1/cases/{case.pk}/documents/").json()
    assert [d["version"] for d in listed] == [1]
    assert api.get(f"/api/v1/cases/{case.pk}/documents/{draft.pk}/pdf/").status_code == 404


def test_worker_api_view_has_no_internal_notes_or_partner_details(world, case):
    api = APIClient()
    api.force_authenticate(world.users["worker"])
    body = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["number"] == case.number and body["amount_claimed"] == "30000.00"
    for hidden in ("evidence", "deadlines", "shares", "agency_acts", "workers", "facts"):
        assert hidden not in body
    texts = [e["text"] for e in body["timeline"]]
    assert WORKER in texts and INTERNAL not in texts and PARTNER not in texts
    timeline = api.get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert {e["text"] for e in timeline} >= {WORKER}
    assert not {INTERNAL, PARTNER} & {e["text"] for e in timeline}


def test_worker_cannot_add_notes(world, case):
    api = APIClient()
    api.force_authenticate(world.users["worker"])
    before = case.timeline.count()
    response = api.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert case.timeline.count() == before


def test_agency_sees_partner_and_worker_notes_never_internal(client, world, case):
    client.force_login(world.users["agency_liaison"])
    body = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert PARTNER in body and WORKER in body and INTERNAL not in body
    api = APIClient()
    api.force_authenticate(world.users["agency_liaison"])
    texts = {e["text"] for e in api.get(f"/api/v1/cases/{case.pk}/timeline/").json()}
    assert PARTNER in texts and INTERNAL not in texts


def test_officer_sees_every_note_and_picks_the_visibility(client, world, case):
    client.force_login(world.users["rights_officer"])
    body = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert INTERNAL in body and PARTNER in body and WORKER in body
    assert 'name="note-visibility"' in body
    client.post(
        f"/staff/rights/{case.pk}/note/", {"note-text": "网页备注", "note-visibility": "worker"}
    )
    assert case.timeline.get(text="网页备注").visibility == "worker"
    api = APIClient()
    api.force_authenticate(world.users["rights_officer"])
    response = api.post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"text": "接口备注", "visibility": "partner"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["visibility"] == "partner"


def test_public_lookup_shows_notes_for_the_worker_only(client, world, case):
    response = client.post(
        "/rights/lookup/", {"number": case.number, "phone": world.p_worker.phone}
    )
    body = response.content.decode()
    assert WORKER in body and INTERNAL not in body and PARTNER not in body


def test_worker_cannot_download_the_case_evidence(client, world, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = services.evidence_add(
        case=case,
        actor=world.users["rights_officer"],
        upload=SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 payslip", "application/pdf"),
    )
    client.force_login(world.users["worker"])
    assert client.get(f"/staff/rights/{case.pk}/evidence/{evidence.pk}/").status_code == 404
    client.force_login(world.users["rights_officer"])
    assert client.get(f"/staff/rights/{case.pk}/evidence/{evidence.pk}/").status_code == 200
