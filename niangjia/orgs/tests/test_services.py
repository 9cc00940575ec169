from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from niangjia.orgs import services
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Member, Org, StaffRole


def test_a_child_must_sit_below_its_parent(world):
    admin = world.users["org_admin"]
    with pytest.raises(ValidationError) as exc:
        services.org_create(
            actor=admin, parent=world.D1, name="错", level="city", region_code="640202"
        )
    assert "层级" in str(exc.value)
    assert not Org.objects.filter(name="错").exists()


def test_agencies_have_no_children(world):
    with pytest.raises(ValidationError, match="协作单位下不能再设下级组织"):
        services.org_create(
            actor=world.users["superuser"], parent=world.AG1, name="x", level="street",
            region_code="640202",
        )  # fmt: skip


def test_an_agency_child_gets_the_agency_level(world):
    org = services.org_create(
        actor=world.users["org_admin"], parent=world.D1, name="甲区司法局", kind="agency",
        agency_type="justice", region_code="640202",
    )  # fmt: skip
    assert org.level == Org.Level.AGENCY
    assert org.path.startswith(world.D1.path)


def test_staff_outside_the_subtree_cannot_add_orgs(world):
    with pytest.raises(NotAllowed):
        services.org_create(
            actor=world.users["org_admin"], parent=world.D3, name="x", level="street",
            region_code="220102",
        )  # fmt: skip


def test_membership_rules(world):
    admin = world.users["org_admin"]
    with pytest.raises(ValidationError, match="基层工会"):
        services.member_add(
            actor=admin, person=world.p_e1, union=world.S1, join_date=datetime.date(2020, 1, 1)
        )
    with pytest.raises(ValidationError, match="已是此工会的会员"):
        services.member_add(
            actor=admin, person=world.p_worker, union=world.G1, join_date=datetime.date(2020, 1, 1)
        )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.member_add(
            actor=admin, person=world.p_e1, union=world.G1, join_date=datetime.date(2999, 1, 1)
        )
    member = services.member_add(
        actor=admin, person=world.p_e1, union=world.G1, join_date=datetime.date(2020, 1, 1)
    )
    assert Member.objects.filter(pk=member.pk, left_date__isnull=True).exists()


def test_agency_liaisons_bind_to_agencies_only(world):
    admin = world.users["org_admin"]
    user = world.users["outsider"]
    with pytest.raises(ValidationError, match="必须绑定到协作单位"):
        services.staff_role_grant(
            actor=admin, user=user, org=world.D1, role=StaffRole.Role.AGENCY_LIAISON
        )
    role = services.staff_role_grant(
        actor=admin, user=user, org=world.AG2, role=StaffRole.Role.AGENCY_LIAISON
    )
    assert role.org == world.AG2


def test_person_upsert_keeps_one_person_per_id_number(world):
    person, created = services.person_upsert(
        actor=world.users["rights_officer"], name="甲职工", id_number=world.p_e1.id_number.lower(),
        org=world.S1,
    )  # fmt: skip
    assert (person, created) == (world.p_e1, False)
