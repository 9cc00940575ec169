"""Every refusal branch of application_submit (#12 §7): the public aid application names each
field at fault in Chinese and a refused application writes nothing (no application, no person)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from niangjia.care import services
from niangjia.care.models import AidApplication
from niangjia.core import consent
from niangjia.orgs.models import Person

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"


def args(world, **overrides) -> dict:
    data = {
        "user": None,
        "org": world.S1,
        "name": "王困难",
        "id_number": VALID_ID,
        "phone": "13912345678",
        "employer_name": "甲企业",
        "level": "deep",
        "cause": "重病",
        "household_size": 3,
        "household_income_amount": Decimal(20000),
        "consent_version": "2026-12-v1",
    }
    data.update(overrides)
    return data


def written() -> tuple[int, int]:
    return AidApplication.objects.count(), Person.objects.count()


def refused(world, **overrides) -> dict:
    before = written()
    with pytest.raises(ValidationError) as err:
        services.application_submit(**args(world, **overrides))
    assert written() == before
    return err.value.message_dict


@pytest.mark.parametrize("org", ["AG1", "AG2"])
def test_an_application_to_an_agency_is_refused(world, org):
    assert refused(world, org=getattr(world, org)) == {"org": ["请选择受理的工会"]}


def test_every_missing_field_is_named_at_once(world):
    errors = refused(
        world,
        phone=" ",
        id_number=" ",
        level="poor",
        cause="  ",
        household_size=0,
        household_income_amount=Decimal(-1),
        consent_version="",
    )
    assert errors == {
        "phone": ["请填写手机号码，便于工会联系您"],
        "id_number": ["请填写身份证号码"],
        "level": ["请选择困难类别"],
        "cause": ["请填写致困原因"],
        "household_size": ["家庭人口至少为1人"],
        "household_income_amount": ["家庭年收入不能为负数"],
        "consent": [str(consent.REQUIRED_MESSAGE)],
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"household_size": None}, "household_size"),
        ({"household_size": -2}, "household_size"),
        ({"household_income_amount": None}, "household_income_amount"),
        ({"consent_version": ""}, "consent"),
        ({"level": ""}, "level"),
    ],
)
def test_each_check_alone(world, overrides, field):
    assert list(refused(world, **overrides)) == [field]


def test_a_blank_name_is_refused_by_the_person_register(world):
    assert refused(world, name="  ") == {"name": ["请填写姓名"]}


def test_an_invalid_id_number_or_phone_is_refused_without_writing(world):
    refused(world, id_number="110105194912310021")  # wrong check digit
    refused(world, phone="12345")


def test_the_smallest_household_and_a_zero_income_are_accepted(world):
    application = services.application_submit(
        **args(world, household_size=1, household_income_amount=Decimal(0))
    )
    assert (application.household_size, application.household_income_amount) == (
        1,
        Decimal("0.00"),
    )
    assert application.code.startswith("KN") and len(application.code) == 10
    assert application.consent_version == "2026-12-v1" and application.consent_at is not None
    assert application.user_id is None


def test_a_signed_in_applicant_is_the_submitter_but_never_linked_to_the_person(world):
    outsider = world.users["outsider"]
    application = services.application_submit(
        **args(world, user=outsider, id_number=world.p_e2.id_number)
    )
    assert application.user_id == outsider.pk
    application.person.refresh_from_db()
    assert application.person == world.p_e2 and application.person.user_id is None
