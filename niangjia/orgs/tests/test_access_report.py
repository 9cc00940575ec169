"""#11 §4: "who looked at my file" — the access log of a person's file for staff with
data-protection duty (Perm.PRIVACY_AUDIT, union admins), scoped to their subtree."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from niangjia.orgs.models import Person, StaffRole
from niangjia.rights import services as rights
from niangjia.rights.services import WorkerInput

ID_NUMBER = "11010519491231002X"


def _case(world, org, employer="宁夏某建筑劳务有限公司"):
    case, _created = rights.case_create(
        actor=world.users["superuser"],
        org=org,
        source="walk_in",
        category="wages",
        employer_name=employer,
        facts="拖欠三个月工资",
        workers=[WorkerInput(name="张建军", id_number=ID_NUMBER, phone="13912345678")],
        claims=[],
        employment_ended_on=datetime.date(2026, 6, 30),
        received_on=datetime.date(2026, 7, 2),
    )
    return case


@pytest.fixture
def looked_at(world, client):
    """A person with a case in 甲区 and one in 乙区; the 甲区 officer opened the person and the
    甲区 case, a 乙区 officer opened the 乙区 case."""
    d1_case = _case(world, world.D1)
    d2_case = _case(world, world.D2, employer="宁夏另一家物业服务有限公司")
    person = Person.objects.get(id_number_hash=d1_case.workers.get().person.id_number_hash)
    officer = world.users["rights_officer"]
    officer.first_name = "维权干部小王"
    officer.save()
    client.force_login(officer)
    assert client.get(f"/staff/orgs/people/{person.pk}/").status_code == 200
    assert client.get(f"/staff/rights/{d1_case.pk}/").status_code == 200
    d2_officer = get_user_model().objects.create_user("d2_officer", password="pw")
    StaffRole.objects.create(user=d2_officer, org=world.D2, role=StaffRole.Role.RIGHTS_OFFICER)
    client.force_login(d2_officer)
    assert client.get(f"/staff/rights/{d2_case.pk}/").status_code == 200
    client.logout()
    return person, d1_case, d2_case


def test_person_access_log_report_shows_who_when_what_and_ip_to_a_privacy_auditor(
    client, world, looked_at
):
    person, d1_case, d2_case = looked_at
    client.force_login(world.users["org_admin"])
    detail = client.get(f"/staff/orgs/people/{person.pk}/").content.decode()
    assert f"/staff/orgs/people/{person.pk}/access-log/" in detail
    response = client.get(f"/staff/orgs/people/{person.pk}/access-log/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "维权干部小王" in page
    assert "甲区总工会" in page  # the viewer's org
    assert d1_case.number in page  # the case view is part of the person's file
    assert "127.0.0.1" in page
    # the 乙区 case is outside the reader's subtree: neither it nor its viewer is named
    assert d2_case.number not in page
    assert "d2_officer" not in page


def test_person_access_log_report_is_refused_without_privacy_audit_duty(client, world, looked_at):
    person, _d1, _d2 = looked_at
    client.force_login(world.users["rights_officer"])
    assert "access-log" not in client.get(f"/staff/orgs/people/{person.pk}/").content.decode()
    assert client.get(f"/staff/orgs/people/{person.pk}/access-log/").status_code == 403
    api = APIClient()
    api.force_authenticate(world.users["rights_officer"])
    assert api.get(f"/api/v1/people/{person.pk}/access-log/").status_code == 403


def test_person_access_log_report_is_scoped_to_the_auditors_subtree(client, world, looked_at):
    person, _d1, _d2 = looked_at
    admin = get_user_model().objects.create_user("d3_admin", password="pw")
    StaffRole.objects.create(user=admin, org=world.D3, role=StaffRole.Role.ORG_ADMIN)
    client.force_login(admin)
    assert client.get(f"/staff/orgs/people/{person.pk}/access-log/").status_code == 404
    api = APIClient()
    api.force_authenticate(admin)
    assert api.get(f"/api/v1/people/{person.pk}/access-log/").status_code == 404


def test_person_access_log_api_lists_who_looked_at_the_file(world, looked_at):
    person, d1_case, d2_case = looked_at
    api = APIClient()
    api.force_authenticate(world.users["org_admin"])
    response = api.get(f"/api/v1/people/{person.pk}/access-log/")
    assert response.status_code == 200
    rows = response.json()["results"]
    records = {row["record"] for row in rows}
    assert d1_case.number in records
    assert d2_case.number not in records
    case_view = next(row for row in rows if row["record"] == d1_case.number)
    assert case_view["user"] == "维权干部小王"
    assert case_view["username"] == "rights_officer"
    assert case_view["orgs"] == ["甲区总工会"]
    assert case_view["action"] == "view"
    assert case_view["ip"] == "127.0.0.1"
