"""Cases keep a copy of their org's path for scope (Case.org_path); moving an org must rewrite it,
or the moved street's cases would stay with its old district and be lost to its new one."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from niangjia.core.permissions import Perm, filter_for
from niangjia.orgs.models import Org, StaffRole
from niangjia.rights.models import Case


def test_moving_an_org_rewrites_case_paths_and_scope_follows(world, make_case):
    case = make_case(org=world.S1)  # a street under district D1
    assert case.org_path == world.S1.path
    d2_officer = get_user_model().objects.create_user("d2_rights", password="pw")
    StaffRole.objects.create(user=d2_officer, org=world.D2, role=StaffRole.Role.RIGHTS_OFFICER)
    d1_officer = world.users["rights_officer"]

    def sees(user) -> bool:
        return filter_for(user, Perm.CASE_VIEW, Case.objects.filter(pk=case.pk)).exists()

    assert sees(d1_officer)
    assert not sees(d2_officer)
    Org.objects.move(Org.objects.get(pk=world.S1.pk), Org.objects.get(pk=world.D2.pk), "last-child")
    moved = Org.objects.get(pk=world.S1.pk)
    case.refresh_from_db()
    assert moved.path.startswith(Org.objects.get(pk=world.D2.pk).path)
    assert case.org_path == moved.path
    assert sees(d2_officer)
    assert not sees(d1_officer)
