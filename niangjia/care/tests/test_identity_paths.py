"""#11 §1 on the care paths that match people by ID number: an import or a registration naming a
person on file with another union is refused without a field of that person."""

from __future__ import annotations

import pytest

from niangjia.care import services
from niangjia.care.models import Beneficiary, Distribution, ImportJob, TargetGroup
from niangjia.care.tests.test_imports import run, xlsx
from niangjia.orgs.exceptions import PersonRegisteredElsewhere


def _row(name, id_number):
    return [name, id_number, "", "一线职工", "", "", "", "慰问品礼包", 1, None]


def test_care_import_of_a_person_on_file_elsewhere_is_a_bad_row_naming_no_field(client, care):
    outside = care.world.p_e2  # registered in D2, the campaign is D1's
    before = (Beneficiary.objects.count(), Distribution.objects.count())
    job = run(
        client,
        care,
        xlsx([_row("甲职工", care.world.p_e1.id_number), _row("随便", outside.id_number)]),
    )
    assert job.status == ImportJob.Status.INVALID
    assert [e["row"] for e in job.errors] == [3]
    message = job.errors[0]["message"]
    assert "其他工会" in message and outside.name not in message
    assert (Beneficiary.objects.count(), Distribution.objects.count()) == before


def test_care_import_finds_people_in_scope_by_membership(client, care):
    moved = care.world.p_moved  # registered in D2, a member of G1 below D1
    job = run(client, care, xlsx([_row("调入职工", moved.id_number)]))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Distribution.objects.filter(person=moved).count() == 1


def test_registering_a_person_on_file_elsewhere_who_is_on_my_care_register_is_allowed(care):
    # an accepted aid application put p_e2 (D2) on S1's register: the officer may register again
    Beneficiary.objects.create(person=care.world.p_e2, org=care.world.S1, category="hardship")
    before = care.world.p_e2.name
    b, created = services.beneficiary_register(
        actor=care.officer, org=care.world.G1, name="别的名字",
        id_number=care.world.p_e2.id_number, category=TargetGroup.FRONTLINE,
    )  # fmt: skip
    assert created and b.person_id == care.world.p_e2.pk
    care.world.p_e2.refresh_from_db()
    assert care.world.p_e2.name == before
    with pytest.raises(PersonRegisteredElsewhere):
        services.beneficiary_register(
            actor=care.officer, org=care.world.S1, name="x",
            id_number=care.world.p_e3.id_number, category=TargetGroup.FRONTLINE,
        )  # fmt: skip
