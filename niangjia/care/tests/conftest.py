from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from niangjia.care import services
from niangjia.care.models import Beneficiary, Campaign, ItemType, TargetGroup

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def care(world):
    """An active campaign at D1 with a gift and a cash item, and two beneficiaries in D1."""
    officer = world.users["care_officer"]
    c = SimpleNamespace(world=world, officer=officer)
    c.campaign = services.campaign_create(
        actor=officer,
        org=world.D1,
        name="甲区冬季送温暖",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 2, 28),
        budget_amount=Decimal("10000"),
        target_groups=[TargetGroup.HARDSHIP, TargetGroup.NEW_FORM],
    )
    c.gift = services.item_add(
        actor=officer,
        campaign=c.campaign,
        name="慰问品礼包",
        kind=ItemType.Kind.GIFT,
        unit_value=Decimal("300"),
    )
    c.cash = services.item_add(
        actor=officer,
        campaign=c.campaign,
        name="困难职工慰问金",
        kind=ItemType.Kind.CASH,
        unit_value=Decimal("2000"),
    )
    services.campaign_transition(actor=officer, campaign=c.campaign, to=Campaign.Status.ACTIVE)
    c.campaign.refresh_from_db()
    c.b1 = Beneficiary.objects.create(
        person=world.p_e1, org=world.S1, employer=world.E1, category=TargetGroup.HARDSHIP
    )
    c.b_worker = Beneficiary.objects.create(
        person=world.p_worker, org=world.S1, employer=world.E1, category=TargetGroup.FRONTLINE
    )
    c.b_out = Beneficiary.objects.create(
        person=world.p_e3, org=world.D3, employer=world.E3, category=TargetGroup.FRONTLINE
    )
    return c


def give(c, beneficiary=None, item=None, **kwargs):
    kwargs.setdefault("receipt_kind", "sms")
    return services.distribution_create(
        actor=kwargs.pop("actor", c.officer),
        campaign=kwargs.pop("campaign", c.campaign),
        beneficiary=beneficiary or c.b1,
        item=item or c.gift,
        **kwargs,
    )


def apply_for_aid(c, **overrides):
    """A worker's hardship application to the street union S1, as the public form submits it
    (with the sensitive-data consent), for the person p_e2 typing another phone."""
    fields = {
        "user": None,
        "org": c.world.S1,
        "name": "王困难",
        "id_number": c.world.p_e2.id_number,
        "phone": "13912345678",
        "employer_name": "",
        "level": "deep",
        "cause": "重病",
        "household_size": 3,
        "household_income_amount": Decimal("20000"),
        "consent_version": "2026-12-v1",
    }
    return services.application_submit(**{**fields, **overrides})
