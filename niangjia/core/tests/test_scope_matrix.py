"""Every role against every kind of object, inside and outside its scope.

Each row names who looks, with which permission, at which model, and exactly what they see. The
same table is then checked through the API, where out-of-scope objects must be a 404.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole

D1_SUBTREE = {"甲区总工会", "甲区人民法院", "甲区人社局", "甲街道工会", "甲企业工会"}
ALL_ORGS = D1_SUBTREE | {
    "全国总工会", "甲省总工会", "甲市总工会", "乙区总工会", "乙企业工会",
    "乙省总工会", "乙市总工会", "丙区总工会", "丙企业工会",
}  # fmt: skip
D1_PEOPLE = {"甲工人", "甲职工", "调入职工"}
ALL_PEOPLE = D1_PEOPLE | {"乙职工", "丙职工"}
D1_MEMBERS = {"甲工人", "调入职工"}
ALL_MEMBERS = D1_MEMBERS | {"乙职工", "丙职工"}
D1_STAFF = {"rights_officer", "station_manager", "care_officer", "craftsman_coordinator"} | {
    "venue_manager",
    "org_admin",
}
PEOPLE_ROLES = {"rights_officer", "care_officer", "craftsman_coordinator", "venue_manager"} | {
    "org_admin"
}


def _names(model, qs) -> set[str]:
    if model is Member:
        return set(qs.values_list("person__name", flat=True))
    if model is StaffRole:
        return set(qs.values_list("user__username", flat=True))
    return set(qs.values_list("name", flat=True))


def expected(who: str, model) -> set[str]:
    if who == "superuser":
        return {
            Org: ALL_ORGS,
            Enterprise: {"甲企业", "乙企业", "丙企业"},
            Person: ALL_PEOPLE,
            Member: ALL_MEMBERS,
            StaffRole: D1_STAFF | {"agency_liaison", "enterprise_contact"},
        }[model]
    if model is Org:
        if who in D1_STAFF:
            return D1_SUBTREE
        return {"甲区人民法院"} if who == "agency_liaison" else set()
    if model is Enterprise:
        return {"甲企业"} if who in D1_STAFF | {"enterprise_contact"} else set()
    if model is Person:
        if who in PEOPLE_ROLES:
            return D1_PEOPLE
        return {"甲工人"} if who == "worker" else set()
    if model is Member:
        if who in PEOPLE_ROLES:
            return D1_MEMBERS
        return {"甲工人"} if who == "worker" else set()
    if model is StaffRole:
        if who == "org_admin":  # the admin manages roles in the subtree (the contact's is at S1)
            return D1_STAFF | {"agency_liaison", "enterprise_contact"}
        return {who} if who not in {"worker", "outsider"} else set()
    raise AssertionError(model)


VIEW_PERM = {
    Org: Perm.ORG_VIEW,
    Enterprise: Perm.ENTERPRISE_VIEW,
    Person: Perm.PERSON_VIEW,
    Member: Perm.MEMBER_VIEW,
    StaffRole: Perm.ROLE_VIEW,
}
WHO = sorted(D1_STAFF) + ["agency_liaison", "enterprise_contact", "worker", "outsider", "superuser"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("model", list(VIEW_PERM), ids=lambda m: m.__name__)
def test_each_role_sees_exactly_its_scope(world, who, model):
    # given a user in a role
    user = world.users[who]
    # when their view permission narrows every row of the model
    visible = filter_for(user, VIEW_PERM[model], model.objects.all())
    # then they see exactly what the table says, inside scope and nothing outside
    assert _names(model, visible) == expected(who, model)


API_LIST = {
    Org: "/api/v1/orgs/",
    Enterprise: "/api/v1/enterprises/",
    Person: "/api/v1/people/",
    Member: "/api/v1/members/",
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("model", list(API_LIST), ids=lambda m: m.__name__)
def test_the_api_lists_and_details_follow_the_same_scope(world, who, model):
    client = APIClient()
    client.force_authenticate(world.users[who])
    response = client.get(API_LIST[model], {"page_size": 200})
    assert response.status_code == 200
    rows = response.json()["results"]
    names = {r.get("person_name") or r.get("name") for r in rows}
    assert names == expected(who, model)
    # every object outside the scope is a 404, never a 403, so existence does not leak
    visible_ids = {r["id"] for r in rows}
    for obj in model.objects.exclude(pk__in=visible_ids):
        detail = client.get(f"{API_LIST[model]}{obj.pk}/")
        assert detail.status_code == 404, (who, obj)


def test_an_outsider_gets_the_same_404_for_a_missing_and_a_foreign_object(world):
    from django.http import Http404

    user = world.users["rights_officer"]
    with pytest.raises(Http404):
        get_for_user(user, Perm.ENTERPRISE_VIEW, Enterprise, pk=world.E3.pk)
    with pytest.raises(Http404):
        get_for_user(user, Perm.ENTERPRISE_VIEW, Enterprise, pk=999_999)
    assert get_for_user(user, Perm.ENTERPRISE_VIEW, Enterprise, pk=world.E1.pk) == world.E1


@pytest.mark.parametrize(
    ("who", "perm", "allowed"),
    [
        ("rights_officer", Perm.CASE_EDIT, True),
        ("rights_officer", Perm.STATION_EDIT, False),
        ("station_manager", Perm.STATION_EDIT, True),
        ("station_manager", Perm.PERSON_VIEW, False),
        ("care_officer", Perm.CARE_EDIT, True),
        ("care_officer", Perm.PERSON_REVEAL, True),
        ("craftsman_coordinator", Perm.CRAFT_EDIT, True),
        ("venue_manager", Perm.VENUE_EDIT, True),
        ("venue_manager", Perm.CASE_VIEW, False),
        ("org_admin", Perm.ROLE_MANAGE, True),
        ("agency_liaison", Perm.CASE_VIEW, True),  # through shares only
        ("agency_liaison", Perm.ENTERPRISE_VIEW, False),
        ("enterprise_contact", Perm.CRAFT_EDIT, True),
        ("enterprise_contact", Perm.PERSON_VIEW, False),
        ("worker", Perm.CASE_EDIT, False),
        ("outsider", Perm.ORG_VIEW, False),
    ],
)
def test_capabilities_follow_the_role(world, who, perm, allowed):
    assert has_perm(world.users[who], perm) is allowed


def test_a_grant_covers_descendants_but_not_ancestors_or_siblings(world):
    user = world.users["org_admin"]
    assert has_perm(user, Perm.ORG_EDIT, world.G1)
    assert has_perm(user, Perm.ORG_EDIT, world.D1)
    assert not has_perm(user, Perm.ORG_EDIT, world.C1)
    assert not has_perm(user, Perm.ORG_EDIT, world.D2)


def test_the_org_switcher_narrows_pages_to_the_picked_role(world, client):
    # given a user with roles in two districts
    user = world.users["rights_officer"]
    other = StaffRole.objects.create(user=user, org=world.D3, role=StaffRole.Role.RIGHTS_OFFICER)
    client.force_login(user)
    assert "丙企业" in client.get("/staff/orgs/enterprises/").content.decode()
    # when they pick the D3 role
    client.post("/staff/switch-role/", {"role": other.pk})
    # then pages show D3's scope only
    page = client.get("/staff/orgs/enterprises/").content.decode()
    assert "丙企业" in page
    assert "甲企业" not in page
