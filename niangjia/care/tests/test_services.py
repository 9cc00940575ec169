from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum

from niangjia.care import selectors, services
from niangjia.care.exceptions import BudgetExceeded, CrossCampaignAid, DuplicateDistribution
from niangjia.care.models import (
    Beneficiary,
    Campaign,
    Distribution,
    HardshipFile,
    ItemType,
    TargetGroup,
)
from niangjia.care.tests.conftest import PNG, give
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Person


def test_a_hand_out_updates_spend_and_figures(care):
    d = give(care)
    care.campaign.refresh_from_db()
    assert d.amount == Decimal("300.00")
    assert care.campaign.spent_amount == Decimal("300.00")
    figures = selectors.campaign_figures(care.campaign)
    assert figures["persons"] == 1
    assert figures["person_times"] == 1
    assert figures["spent"] == Decimal("300.00")


def test_the_same_item_twice_in_one_campaign_is_refused_in_chinese(care):
    give(care)
    with pytest.raises(DuplicateDistribution, match="已在本活动中领取过“慰问品礼包”"):
        give(care)
    assert Distribution.objects.count() == 1
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == Decimal("300.00")


def test_the_database_itself_refuses_a_second_live_row(care):
    d = give(care)
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.create(
            campaign=d.campaign,
            item=d.item,
            beneficiary=d.beneficiary,
            person=d.person,
            org=d.org,
            category=d.category,
            amount=d.amount,
            distributed_at=d.distributed_at,
            receipt_kind="sms",
        )


def test_voiding_needs_a_reason_and_gives_back_spend_and_figures(care):
    d = give(care)
    with pytest.raises(ValidationError, match="作废须填写原因"):
        services.distribution_void(actor=care.officer, distribution=d, reason=" ")
    services.distribution_void(actor=care.officer, distribution=d, reason="登记错人")
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == 0
    figures = selectors.campaign_figures(care.campaign)
    assert (figures["persons"], figures["person_times"]) == (0, 0)
    again = give(care)  # a voided hand-out does not block the item
    assert again.pk != d.pk
    from auditlog.models import LogEntry

    assert any("登记错人" in str(e.changes) for e in LogEntry.objects.get_for_object(d))


def test_cash_over_the_per_person_limit_is_refused(care):
    with pytest.raises(ValidationError, match="超过本活动每人限额 2000.00 元"):
        give(care, item=care.cash, amount=Decimal("2500"))
    assert not Distribution.objects.exists()


def test_spend_never_passes_the_budget_without_an_approval(care):
    care.campaign.budget_amount = Decimal("2100")
    care.campaign.save()
    give(care, item=care.cash, amount=Decimal("2000"), payment_method="in_person")
    with pytest.raises(BudgetExceeded, match="超出预算"):
        give(care, beneficiary=care.b_worker)
    approval = services.budget_request(
        actor=care.officer, campaign=care.campaign, amount=Decimal("1000"), reason="人数增加"
    )
    with pytest.raises(NotAllowed):
        services.budget_decide(actor=care.officer, approval=approval, approve=True)
    services.budget_decide(actor=care.world.users["org_admin"], approval=approval, approve=True)
    give(care, beneficiary=care.b_worker)
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == Decimal("2300.00")
    assert care.campaign.total_budget == Decimal("3100.00")


def test_a_closed_campaign_is_read_only(care):
    services.campaign_transition(actor=care.officer, campaign=care.campaign, to="closed")
    with pytest.raises(ValidationError, match="已结束"):
        give(care)
    with pytest.raises(ValidationError, match="已结束"):
        services.item_add(
            actor=care.officer, campaign=care.campaign, name="x", kind="gift", unit_value=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.campaign_transition(actor=care.officer, campaign=care.campaign, to="active")
    assert not Distribution.objects.exists()


def test_a_draft_campaign_accepts_no_hand_outs(care):
    draft = services.campaign_create(
        actor=care.officer,
        org=care.world.D1,
        name="草稿",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 2),
        budget_amount=Decimal(100),
    )
    item = services.item_add(
        actor=care.officer, campaign=draft, name="书", kind="brochure", unit_value=Decimal(0)
    )
    with pytest.raises(ValidationError, match="筹备中"):
        give(care, campaign=draft, item=item)


def test_beneficiary_outside_the_campaign_subtree_is_refused(care):
    with pytest.raises(ValidationError, match="不在本活动的组织范围内"):
        give(care, beneficiary=care.b_out, actor=care.world.users["superuser"])


def test_an_outsider_cannot_hand_out(care):
    with pytest.raises(NotAllowed):
        give(care, actor=care.world.users["outsider"])
    assert not Distribution.objects.exists()


def test_aid_from_a_related_campaign_this_season_needs_an_audited_reason(care):
    w = care.world
    admin = w.users["superuser"]
    city = services.campaign_create(
        actor=admin,
        org=w.C1,
        name="甲市新春慰问",
        starts_on=datetime.date(2026, 1, 10),
        ends_on=datetime.date(2026, 2, 10),
        budget_amount=Decimal(5000),
    )
    city_gift = services.item_add(
        actor=admin, campaign=city, name="市级礼包", kind="gift", unit_value=Decimal(200)
    )
    services.campaign_transition(actor=admin, campaign=city, to="active")
    give(care)  # the district campaign reached p_e1
    with pytest.raises(CrossCampaignAid, match="甲区冬季送温暖"):
        give(care, campaign=city, item=city_gift, actor=admin)
    d = give(care, campaign=city, item=city_gift, actor=admin, override_reason="市级劳模专项")
    assert d.override_reason == "市级劳模专项"
    from auditlog.models import LogEntry

    assert any("市级劳模专项" in str(e.changes) for e in LogEntry.objects.get_for_object(d))


def test_signature_receipt_must_be_an_image(care):
    with pytest.raises(ValidationError, match="PNG或JPEG"):
        give(
            care,
            receipt_kind="signature",
            signature=SimpleUploadedFile("s.txt", b"hello", content_type="text/plain"),
        )
    d = give(
        care,
        receipt_kind="signature",
        signature=SimpleUploadedFile("s.png", PNG, content_type="image/png"),
    )
    assert d.receipt_confirmed_at is not None


def test_sms_receipt_is_confirmed_with_the_code_sent(care, monkeypatch):
    sent = []
    monkeypatch.setattr("niangjia.care.services.send_sms", lambda phone, text: sent.append(text))
    with django_capture_on_commit():
        d = give(care)
    code = sent[0].split("验证码 ")[1][:6]
    with pytest.raises(ValidationError, match="验证码不正确，还可尝试 4 次"):
        services.distribution_confirm_code(
            actor=care.officer, distribution=d, code="000000" if code != "000000" else "111111"
        )
    services.distribution_confirm_code(actor=care.officer, distribution=d, code=code)
    d.refresh_from_db()
    assert d.receipt_confirmed_at is not None


def test_sms_code_dies_after_five_misses_and_after_ten_minutes(care, monkeypatch):
    sent = []
    monkeypatch.setattr("niangjia.care.services.send_sms", lambda phone, text: sent.append(text))
    with django_capture_on_commit():
        d = give(care)
    code = sent[-1].split("验证码 ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"还可尝试 {left} 次"):
            services.distribution_confirm_code(actor=care.officer, distribution=d, code=wrong)
    with pytest.raises(ValidationError, match="错误次数过多"):
        services.distribution_confirm_code(actor=care.officer, distribution=d, code=wrong)
    with pytest.raises(ValidationError, match="已失效"):  # even the right code, now
        services.distribution_confirm_code(actor=care.officer, distribution=d, code=code)
    with django_capture_on_commit():
        services.distribution_resend_code(actor=care.officer, distribution=d)
    code = sent[-1].split("验证码 ")[1][:6]
    d.refresh_from_db()
    assert d.sms_code_attempts == 0
    type(d).objects.filter(pk=d.pk).update(
        sms_code_sent_at=d.sms_code_sent_at - datetime.timedelta(minutes=11)
    )
    with pytest.raises(ValidationError, match="已过期"):
        services.distribution_confirm_code(actor=care.officer, distribution=d, code=code)
    d.refresh_from_db()
    assert d.receipt_confirmed_at is None


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_bank_card_is_encrypted_and_masked(care):
    b, created = services.beneficiary_register(
        actor=care.officer,
        org=care.world.S1,
        name="甲职工",
        id_number=care.world.p_e1.id_number,
        category=TargetGroup.HARDSHIP,
        bank_card="6222 0212 3456 7890 123",
        bank_name="工商银行",
    )
    assert not created and b.pk == care.b1.pk  # same person, same register row
    assert b.bank_card_masked == "**** **** **** 0123"
    raw = Beneficiary.objects.filter(pk=b.pk).values_list("bank_card_encrypted", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_card_encrypted FROM care_beneficiary WHERE id = %s", [b.pk])
        stored = cursor.fetchone()[0]
    assert "6222" not in stored
    assert raw[0] == "6222021234567890123"
    with pytest.raises(ValidationError, match="银行卡号"):
        services.beneficiary_register(
            actor=care.officer,
            org=care.world.S1,
            name="甲职工",
            id_number=care.world.p_e1.id_number,
            category="hardship",
            bank_card="12ab",
        )


def test_cash_to_a_bank_card_is_pending_until_paid_or_failed_with_reason(care):
    care.b1.bank_card = "6222021234567890"
    care.b1.save()
    d = give(care, item=care.cash, amount=Decimal("800"))
    assert (d.payment_method, d.payment_status) == ("bank", "pending")
    with pytest.raises(ValidationError, match="失败原因"):
        services.distribution_set_payment(actor=care.officer, distribution=d, status="failed")
    services.distribution_set_payment(
        actor=care.officer, distribution=d, status="failed", reason="户名不符"
    )
    d = services.distribution_set_payment(actor=care.officer, distribution=d, status="paid")
    assert d.payment_status == "paid"


def test_registering_dedupes_people_platform_wide(care):
    # a person in the officer's scope (a member of a union below D1) is found, not registered again
    person = care.world.p_moved
    b, created = services.beneficiary_register(
        actor=care.officer,
        org=care.world.S1,
        name="调入职工",
        id_number=person.id_number.lower(),
        category=TargetGroup.NEW_FORM,
        platform="meituan",
    )
    assert created and b.person_id == person.pk
    assert Person.objects.filter(id_number_hash=person.id_number_hash).count() == 1


def test_registering_someone_elses_person_returns_no_field_of_them(care):
    from niangjia.orgs.exceptions import PersonRegisteredElsewhere

    before = Beneficiary.objects.count()
    with pytest.raises(PersonRegisteredElsewhere) as raised:
        services.beneficiary_register(
            actor=care.officer,
            org=care.world.S1,
            name="随便",
            id_number=care.world.p_e2.id_number,
            category=TargetGroup.NEW_FORM,
        )
    message = str(raised.value)
    assert "其他工会" in message and "乙职工" not in message and "乙区" not in message
    assert Beneficiary.objects.count() == before
    assert Person.objects.filter(id_number_hash=care.world.p_e2.id_number_hash).count() == 1


def test_hardship_file_past_review_is_flagged(care):
    f = services.hardship_file_save(
        actor=care.officer,
        beneficiary=care.b_worker,
        level=HardshipFile.Level.DEEP,
        cause="重病",
        household_size=3,
        household_income_amount=Decimal(18000),
        next_review_on=datetime.date(2020, 1, 1),
    )
    assert f.is_overdue and f.verified_by == care.officer
    care.b_worker.refresh_from_db()
    assert care.b_worker.category == TargetGroup.HARDSHIP
    overdue = selectors.beneficiary_list(care.officer, overdue=True)
    assert list(overdue) == [care.b_worker]


def test_figures_from_tallies_equal_a_scan_after_hand_outs_and_voids(care):
    give(care)
    give(care, beneficiary=care.b_worker)
    d = give(care, item=care.cash, amount=Decimal("500"), payment_method="in_person")
    services.distribution_void(actor=care.officer, distribution=d, reason="重复")
    give(care, item=care.cash, amount=Decimal("600"), payment_method="in_person")
    figures = selectors.campaign_figures(care.campaign, care.world.S1)
    live = Distribution.objects.filter(campaign=care.campaign, voided_at__isnull=True)
    scan = live.aggregate(
        n=Count("pk"), people=Count("person", distinct=True), amount=Sum("amount")
    )
    assert figures["person_times"] == scan["n"] == 3
    assert figures["persons"] == scan["people"] == 2
    assert figures["spent"] == scan["amount"] == Decimal("1200.00")
    by_item = {r["name"]: r["amount"] for r in figures["by_item"]}
    assert by_item == {"慰问品礼包": Decimal("600.00"), "困难职工慰问金": Decimal("600.00")}
    # a node outside the subtree holding the hand-outs sees none of them
    assert selectors.campaign_figures(care.campaign, care.world.D2)["person_times"] == 0


def test_campaign_validation_messages_are_chinese(care):
    with pytest.raises(ValidationError) as info:
        services.campaign_create(
            actor=care.officer,
            org=care.world.D1,
            name="",
            starts_on=datetime.date(2026, 2, 1),
            ends_on=datetime.date(2026, 1, 1),
            budget_amount=Decimal(-1),
        )
    assert set(info.value.message_dict) == {"name", "ends_on", "budget_amount"}
    assert Campaign.objects.count() == 1


def test_activation_needs_an_item(care):
    draft = services.campaign_create(
        actor=care.officer,
        org=care.world.D1,
        name="空活动",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 2),
        budget_amount=Decimal(100),
    )
    with pytest.raises(ValidationError, match="至少一个慰问项目"):
        services.campaign_transition(actor=care.officer, campaign=draft, to="active")


def test_item_kinds_and_cash_limit_required(care):
    with pytest.raises(ValidationError, match="每人限额"):
        services.item_add(
            actor=care.officer,
            campaign=care.campaign,
            name="现金",
            kind=ItemType.Kind.CASH,
            unit_value=Decimal(0),
        )


def test_a_signed_receipt_is_private_and_shown_only_in_scope(
    care, client, world, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    d = give(
        care,
        receipt_kind="signature",
        signature=SimpleUploadedFile("s.png", PNG, content_type="image/png"),
    )
    assert (tmp_path / "private").exists()
    assert not (tmp_path / "media").exists()
    client.force_login(world.users["care_officer"])
    response = client.get(f"/staff/care/distributions/{d.pk}/signature/")
    assert b"".join(response.streaming_content) == PNG
    client.force_login(world.users["station_manager"])
    assert client.get(f"/staff/care/distributions/{d.pk}/signature/").status_code == 404
