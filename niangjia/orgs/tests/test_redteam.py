"""#11 "done when": identity findings from trying the demo accounts over plain HTTP."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from niangjia.orgs.models import Person, StaffRole
from niangjia.rights import services
from niangjia.rights.services import WorkerInput


@pytest.fixture
def other_union_officer(world):
    user = get_user_model().objects.create_user("d2_rights", password="pw")
    StaffRole.objects.create(user=user, org=world.D2, role=StaffRole.Role.RIGHTS_OFFICER)
    return user


@pytest.mark.parametrize("target", ["d2_rights", "rights_officer", "enterprise_contact", "root"])
def test_staff_link_never_binds_a_staff_agency_or_own_account_to_a_worker(
    world, other_union_officer, client, target
):
    """dwk_rights linked a 大武口 worker to the szs_rights account (POST
    /api/v1/people/224/link-user/ {"username": "szs_rights"}); szs_rights then opened the
    worker's 大武口 case file as "its worker". The link is for the worker's own account."""
    officer = world.users["rights_officer"]
    person = world.p_e1
    case, _ = services.case_create(
        actor=officer, org=world.D1, source="walk_in", category="wages",
        employer_name="甲企业", facts="拖欠工资",
        workers=[WorkerInput(name=person.name, id_number=person.id_number, phone=person.phone)],
    )  # fmt: skip
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(
        f"/api/v1/people/{person.pk}/link-user/", {"username": target}, format="json"
    )
    assert response.status_code == 400
    assert "不能绑定为职工档案" in response.content.decode()
    client.force_login(officer)
    client.post(f"/staff/orgs/people/{person.pk}/link-user/", {"username": target})
    person.refresh_from_db()
    assert person.user_id is None
    assert not Person.objects.filter(user__username=target).exists()
    # and the other union's officer still cannot open the case
    other = APIClient()
    other.force_authenticate(other_union_officer)
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_staff_link_still_binds_a_worker_account(world):
    api = APIClient()
    api.force_authenticate(world.users["rights_officer"])
    response = api.post(
        f"/api/v1/people/{world.p_e1.pk}/link-user/", {"username": "outsider"}, format="json"
    )
    assert response.status_code == 200
    world.p_e1.refresh_from_db()
    assert world.p_e1.user == world.users["outsider"]
