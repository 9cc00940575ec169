"""#11 §1: an account is bound to a person only through a verified path; a submission never edits
the person it matches; create-or-match paths say nothing about people outside the caller's scope."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from niangjia.care.models import AidApplication
from niangjia.orgs import services
from niangjia.orgs.models import BindingRequest, Person
from niangjia.rights.models import Case, CaseWorker

APPLY = {
    "name": "冒名者",
    "phone": "13912345678",
    "employer_name": "别家公司",
    "level": "deep",
    "cause": "重病",
    "household_size": 3,
    "household_income_amount": "20000",
    "consent": "on",
}


def _snapshot(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.name,
        person.phone,
        person.phone_hash,
        person.employer_id,
        person.org_id,
        person.user_id,
    )


def capture_on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


# --- 1. nothing but a verified path links an account ------------------------------------------


@pytest.mark.parametrize("who", ["enterprise_contact", "rights_officer", "outsider", "worker"])
def test_care_apply_never_links_another_persons_id_number(client, world, who):
    victim = world.p_e1
    before = _snapshot(victim)
    client.force_login(world.users[who])
    response = client.post(
        "/care/apply/", {**APPLY, "org": world.S1.pk, "id_number": victim.id_number}
    )
    assert response.status_code == 200
    application = AidApplication.objects.get()
    assert application.person_id == victim.pk
    assert _snapshot(victim) == before
    assert victim.user_id is None
    if who != "worker":
        assert not Person.objects.filter(user=world.users[who]).exists()


def test_care_apply_gives_the_submitter_no_way_into_the_persons_case(client, world):
    from niangjia.rights import services as rights
    from niangjia.rights.services import WorkerInput

    victim = world.p_e1
    case, _ = rights.case_create(
        actor=world.users["rights_officer"], org=world.D1, source="walk_in", category="wages",
        employer_name="甲企业", facts="拖欠工资",
        workers=[WorkerInput(name=victim.name, id_number=victim.id_number)],
    )  # fmt: skip
    attacker = world.users["enterprise_contact"]
    client.force_login(attacker)
    client.post("/care/apply/", {**APPLY, "org": world.S1.pk, "id_number": victim.id_number})
    assert client.get(f"/staff/rights/{case.pk}/").status_code == 404
    api = APIClient()
    api.force_authenticate(attacker)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404


# --- 2. a submission never edits the person it matches ----------------------------------------


def test_person_upsert_leaves_a_matched_person_unchanged(world):
    person = world.p_e1
    before = _snapshot(person)
    found, created = services.person_upsert(
        actor=None,
        name="另一个名字",
        id_number=person.id_number,
        phone="13700000000",
        org=None,
        employer=world.E2,
    )
    assert found.pk == person.pk and not created
    assert _snapshot(person) == before


def test_public_complaint_leaves_a_matched_person_unchanged(client, world):
    person = world.p_e1
    before = _snapshot(person)
    response = client.post(
        "/rights/complaint/",
        {
            "name": "冒名者", "phone": "13912345678", "id_number": person.id_number,
            "org": world.D1.pk, "employer_name": "甲企业", "category": "wages",
            "workers_count": 1, "facts": "拖欠工资", "consent": "on",
        },
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:500]
    case = Case.objects.get()
    party = CaseWorker.objects.get(case=case)
    assert party.person_id == person.pk
    assert party.typed_name == "冒名者" and party.typed_phone == "13912345678"
    assert _snapshot(person) == before
    assert case.consent_version and case.consent_at is not None
    # the case lookup keeps using the phone on file
    lookup = client.post("/rights/lookup/", {"number": case.number, "phone": "13912345678"})
    assert "未找到与该编号和手机号码相符的案件" in lookup.content.decode()
    assert 'id="lookup-result"' not in lookup.content.decode()
    lookup = client.post("/rights/lookup/", {"number": case.number, "phone": person.phone})
    assert 'id="lookup-result"' in lookup.content.decode()


def test_application_submit_leaves_a_matched_person_unchanged(world):
    from niangjia.care import services as care

    person = world.p_e1
    before = _snapshot(person)
    application = care.application_submit(
        user=world.users["outsider"], org=world.S1, name="冒名者", id_number=person.id_number,
        phone="13912345678", employer_name="别家公司", level="deep", cause="重病",
        household_size=3, household_income_amount=20000, consent_version="v1",
    )  # fmt: skip
    assert _snapshot(person) == before
    assert application.typed_phone == "13912345678" and application.typed_name == "冒名者"


def test_officer_sees_typed_values_that_differ_from_the_file_and_may_apply_them(client, world):
    person = world.p_e1
    client.post(
        "/rights/complaint/",
        {
            "name": "甲职工（新名）", "phone": "13912345678", "id_number": person.id_number,
            "org": world.D1.pk, "employer_name": "甲企业", "category": "wages",
            "workers_count": 1, "facts": "拖欠工资", "consent": "on",
        },
    )  # fmt: skip
    case = Case.objects.get()
    party = case.workers.get()
    client.force_login(world.users["rights_officer"])
    body = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert "与档案不一致" in body and "139****5678" in body and person.phone_masked in body
    # an officer without rights over the person's file cannot apply it: nothing written
    client.force_login(world.users["outsider"])
    client.post(f"/staff/rights/{case.pk}/party/{party.pk}/apply/", {"field": "phone"})
    person.refresh_from_db()
    assert person.phone != "13912345678"
    client.force_login(world.users["rights_officer"])
    response = client.post(f"/staff/rights/{case.pk}/party/{party.pk}/apply/", {"field": "phone"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13912345678"
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.actor == world.users["rights_officer"] and "phone" in entry.changes_dict
    assert "13912345678" not in str(entry.changes) and "13912345678" not in str(
        entry.serialized_data
    )


def test_officer_who_cannot_see_the_file_learns_only_that_it_differs(client, world):
    from niangjia.rights import services as rights
    from niangjia.rights.services import WorkerInput

    outside = world.p_e3  # registered in 乙省, outside D1
    case, _ = rights.case_create(
        actor=world.users["rights_officer"], org=world.D1, source="walk_in", category="wages",
        employer_name="甲企业", facts="拖欠工资",
        workers=[WorkerInput(name="某人", id_number=outside.id_number, phone="13912345678")],
    )  # fmt: skip
    client.force_login(world.users["rights_officer"])
    body = client.get(f"/staff/rights/{case.pk}/").content.decode()
    assert "与档案不一致" in body
    assert outside.name not in body and outside.phone_masked not in body


# --- 3. an ID number outside the caller's scope reveals nothing -------------------------------


def test_people_api_with_an_id_number_outside_scope_returns_409_and_no_field(world):
    api = APIClient()
    api.force_authenticate(world.users["rights_officer"])
    outside = world.p_e3
    count = Person.objects.count()
    response = api.post(
        "/api/v1/people/", {"name": "试探", "id_number": outside.id_number}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"detail"} and "其他工会" in body["detail"]
    text = response.content.decode()
    for leak in (outside.name, str(outside.birth_date), "丙", str(outside.pk)):
        assert leak not in text
    assert Person.objects.count() == count
    assert _snapshot(outside)[0] == "丙职工"


def test_staff_person_form_with_an_id_number_outside_scope_shows_no_field(client, world):
    client.force_login(world.users["rights_officer"])
    outside = world.p_e3
    response = client.post(
        "/staff/orgs/people/new/", {"name": "试探", "id_number": outside.id_number}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "其他工会" in body and outside.name not in body and "丙区" not in body
    assert f"/staff/orgs/people/{outside.pk}/" not in body


# --- 4a. the worker proves the phone on file -----------------------------------------------------


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "niangjia.orgs.services.send_sms", lambda phone, text: sent.append((phone, text))
    )
    return sent


def _code(sms) -> str:
    return sms[-1][1].split("验证码 ")[1][:6]


def test_bind_my_file_links_after_the_code_sent_to_the_phone_on_file(client, world, sms):
    person = world.p_e1
    account = world.users["outsider"]
    client.force_login(account)
    assert "绑定我的档案" in client.get("/staff/orgs/me/bind/").content.decode()
    with capture_on_commit():
        response = client.post(
            "/staff/orgs/me/bind/",
            {"step": "request", "id_number": person.id_number, "phone": person.phone,
             "consent": "on"},
        )  # fmt: skip
    assert response.status_code == 302
    assert [p for p, _t in sms] == [person.phone]
    response = client.post("/staff/orgs/me/bind/", {"step": "confirm", "code": _code(sms)})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == account
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.actor == account and entry.changes_dict["user"][1] == "outsider"
    assert not BindingRequest.objects.exists()


def test_bind_my_file_says_the_same_whether_or_not_it_matched(client, world, sms):
    person = world.p_e1
    client.force_login(world.users["outsider"])
    answers = []
    for phone in (person.phone, "13700000000"):
        with capture_on_commit():
            response = client.post(
                "/staff/orgs/me/bind/",
                {"step": "request", "id_number": person.id_number, "phone": phone, "consent": "on"},
                follow=True,
            )
        answers.append(response.content.decode().replace(phone, ""))
    # the page differs only by the CSRF token
    assert [a.count("如果您填写的身份证号码") for a in answers] == [1, 1]
    assert len(sms) == 1 and sms[0][0] == person.phone  # nothing sent to a typed phone


def test_bind_never_sends_to_a_typed_phone_and_a_guess_links_nothing(client, world, sms):
    person = world.p_e1
    account = world.users["outsider"]
    with capture_on_commit():
        services.binding_request(
            user=account, id_number=person.id_number, phone="13700000000", consent_version="v"
        )
    assert sms == []
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.binding_confirm(user=account, code="123456")
    person.refresh_from_db()
    assert person.user_id is None


def test_bind_refuses_a_person_with_an_account_and_an_account_with_a_person(world, sms):
    worker = world.users["worker"]  # already bound to p_worker
    with pytest.raises(ValidationError, match="已绑定"):
        services.binding_request(
            user=worker, id_number=world.p_e1.id_number, phone=world.p_e1.phone,
            consent_version="v",
        )  # fmt: skip
    # p_worker has an account: no code is sent for it, whoever asks
    with capture_on_commit():
        services.binding_request(
            user=world.users["outsider"], id_number=world.p_worker.id_number,
            phone=world.p_worker.phone, consent_version="v",
        )  # fmt: skip
    assert sms == []
    world.p_worker.refresh_from_db()
    assert world.p_worker.user == worker


def test_bind_code_dies_after_wrong_tries(world, sms):
    person = world.p_e1
    account = world.users["outsider"]
    with capture_on_commit():
        services.binding_request(
            user=account, id_number=person.id_number, phone=person.phone, consent_version="v"
        )
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.binding_confirm(user=account, code=wrong)
    with pytest.raises(ValidationError, match="已失效"):
        services.binding_confirm(user=account, code=code)
    person.refresh_from_db()
    assert person.user_id is None


def test_bind_requires_consent_and_keeps_what_was_typed(client, world, sms):
    client.force_login(world.users["outsider"])
    response = client.post(
        "/staff/orgs/me/bind/",
        {"step": "request", "id_number": world.p_e1.id_number, "phone": world.p_e1.phone},
    )
    body = response.content.decode()
    assert "勾选同意" in body and world.p_e1.phone in body
    assert not BindingRequest.objects.exists() and sms == []


def test_bind_api_request_and_confirm(world, sms):
    person = world.p_e1
    api = APIClient()
    api.force_authenticate(world.users["outsider"])
    payload = {"id_number": person.id_number, "phone": person.phone, "consent": True}
    with capture_on_commit():
        response = api.post("/api/v1/me/bind/", payload, format="json")
    assert response.status_code == 202
    with capture_on_commit():
        other = api.post("/api/v1/me/bind/", {**payload, "phone": "13700000000"}, format="json")
    assert other.status_code == 202 and other.json() == response.json()
    assert len(sms) == 1
    assert api.post("/api/v1/me/bind/confirm/", {"code": "12345"}, format="json").status_code == 400
    # the second request (which did not match) replaced the first: its code no longer links
    assert (
        api.post("/api/v1/me/bind/confirm/", {"code": _code(sms)}, format="json").status_code == 400
    )
    with capture_on_commit():
        api.post("/api/v1/me/bind/", payload, format="json")
    response = api.post("/api/v1/me/bind/confirm/", {"code": _code(sms)}, format="json")
    assert response.status_code == 200 and response.json() == {"person": person.pk}
    assert api.get("/api/v1/me/").json()["person"] == person.pk
    refused = api.post("/api/v1/me/bind/", {**payload, "consent": False}, format="json")
    assert refused.status_code == 400


# --- 4b. staff in scope link on purpose ---------------------------------------------------------


def test_staff_links_and_unlinks_an_account_on_purpose_audited(client, world):
    person = world.p_e1
    officer = world.users["rights_officer"]
    client.force_login(officer)
    assert "核实身份后绑定" in client.get(f"/staff/orgs/people/{person.pk}/").content.decode()
    client.post(f"/staff/orgs/people/{person.pk}/link-user/", {"username": "outsider"})
    person.refresh_from_db()
    assert person.user == world.users["outsider"]
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.actor == officer and entry.additional_data["event"] == "工作人员绑定账号"
    body = client.get(f"/staff/orgs/people/{person.pk}/").content.decode()
    assert "已绑定账号：outsider" in body
    client.post(f"/staff/orgs/people/{person.pk}/unlink-user/")
    person.refresh_from_db()
    assert person.user_id is None


def test_staff_cannot_link_a_person_outside_scope_nothing_written(client, world):
    outside = world.p_e3
    client.force_login(world.users["rights_officer"])
    response = client.post(f"/staff/orgs/people/{outside.pk}/link-user/", {"username": "outsider"})
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.user_id is None
    api = APIClient()
    api.force_authenticate(world.users["rights_officer"])
    response = api.post(
        f"/api/v1/people/{outside.pk}/link-user/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.user_id is None
    # an account already bound is not moved
    response = api.post(
        f"/api/v1/people/{world.p_e1.pk}/link-user/", {"username": "worker"}, format="json"
    )
    assert response.status_code == 400
    world.p_e1.refresh_from_db()
    world.p_worker.refresh_from_db()
    assert world.p_e1.user_id is None and world.p_worker.user == world.users["worker"]


def test_staff_link_api_then_unlink(world):
    api = APIClient()
    api.force_authenticate(world.users["care_officer"])
    person = world.p_e1
    response = api.post(
        f"/api/v1/people/{person.pk}/link-user/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 200, response.content
    response = api.post(
        f"/api/v1/people/{person.pk}/link-user/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 409
    assert api.post(f"/api/v1/people/{person.pk}/unlink-user/").status_code == 200
    person.refresh_from_db()
    assert person.user_id is None
    assert api.post(f"/api/v1/people/{person.pk}/unlink-user/").status_code == 409


def test_binding_request_rows_are_one_per_account(world, sms):
    account = world.users["outsider"]
    for _ in range(2):
        services.binding_request(
            user=account, id_number=world.p_e1.id_number, phone=world.p_e1.phone,
            consent_version="v",
        )  # fmt: skip
    assert BindingRequest.objects.filter(user=account).count() == 1
    request = BindingRequest.objects.get()
    assert (request.requests_on, request.requests_count) == (timezone.localdate(), 2)


def test_care_officer_sees_what_an_applicant_typed_and_may_apply_it_audited(client, world):
    from niangjia.care import services as care

    person = world.p_e1
    application = care.application_submit(
        user=None, org=world.S1, name="甲职工", id_number=person.id_number,
        phone="13912345678", employer_name="别家公司", level="deep", cause="重病",
        household_size=3, household_income_amount=20000, consent_version="v1",
    )  # fmt: skip
    client.force_login(world.users["care_officer"])
    body = client.get("/staff/care/applications/").content.decode()
    assert "与档案不一致" in body and "139****5678" in body and person.phone_masked in body
    assert "别家公司" in body and "甲企业" in body
    # someone without rights over the application cannot apply it: nothing written
    client.force_login(world.users["outsider"])
    client.post(f"/staff/care/applications/{application.pk}/apply-typed/", {"field": "phone"})
    person.refresh_from_db()
    assert person.phone != "13912345678"
    client.force_login(world.users["care_officer"])
    client.post(f"/staff/care/applications/{application.pk}/apply-typed/", {"field": "phone"})
    person.refresh_from_db()
    assert person.phone == "13912345678"
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.actor == world.users["care_officer"]
    assert entry.additional_data["event"] == f"按帮扶申请 {application.code}中填写的信息更新档案"
    # the person's history shows the change masked
    page = client.get(f"/staff/orgs/people/{person.pk}/")
    assert page.status_code == 200
    assert "139****5678" in page.content.decode() and "13912345678" not in page.content.decode()


def test_only_the_binding_services_write_person_user():
    """A guard on the code itself: Person.user is written only by orgs.services (the SMS-verified
    binding and the staff link/unlink), never by a form, import or API path elsewhere."""
    import re
    from pathlib import Path

    import niangjia

    root = Path(niangjia.__file__).parent
    writers = re.compile(r"person\.user(_id)?\s*=[^=]|Person\([^)]*\buser=|person__user\s*=")
    allowed = {root / "orgs" / "services.py", root / "orgs" / "demo.py"}
    found = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if writers.search(line) and ".filter(" not in line:
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


def test_an_account_without_a_file_is_pointed_to_the_binding_page(client, world):
    client.force_login(world.users["outsider"])
    assert "/staff/orgs/me/bind/" in client.get("/care/mine/").content.decode()
    assert "/staff/orgs/me/bind/" in client.get("/staff/").content.decode()
    client.force_login(world.users["worker"])
    assert "/staff/orgs/me/bind/" not in client.get("/care/mine/").content.decode()
    body = client.get("/staff/orgs/me/bind/").content.decode()
    assert "您的账号已绑定档案" in body and 'name="id_number"' not in body
