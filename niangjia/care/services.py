"""Writes of the care module. Every change to campaigns, beneficiaries and hand-outs goes through
these functions: authorize, validate, lock the campaign row, mutate, keep the summary rows (tallies)
exact in the same transaction, then schedule side effects (SMS) on commit."""

from __future__ import annotations

import datetime
import logging
import secrets
from decimal import Decimal

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.care.exceptions import BudgetExceeded, CrossCampaignAid, DuplicateDistribution
from niangjia.care.models import (
    AidApplication,
    Beneficiary,
    BudgetApproval,
    Campaign,
    Distribution,
    EnterpriseVisit,
    HardshipFile,
    ImportJob,
    ItemTally,
    ItemType,
    Reach,
    ReachTally,
    TargetGroup,
)
from niangjia.core import consent, smscode, spreadsheets, validators
from niangjia.core.money import quantize
from niangjia.core.notify import send_sms
from niangjia.core.permissions import Perm, filter_for, has_perm
from niangjia.core.pii import blind_index
from niangjia.core.text import bounded_text
from niangjia.orgs.exceptions import NotAllowed, PersonRegisteredElsewhere
from niangjia.orgs.models import Enterprise, Org
from niangjia.orgs.services import person_apply_typed, person_find, person_upsert

logger = logging.getLogger(__name__)

SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _authorize(actor, perm: Perm, obj=None) -> None:
    if actor is not None and not has_perm(actor, perm, obj):
        raise NotAllowed(_("您没有权限执行此操作"))


def campaign_for_update(pk: int) -> Campaign:
    """The canonical lock on a campaign: every hand-out, void and budget change takes it first."""
    return Campaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=pk)


def _require_writable(campaign: Campaign) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("活动“%(name)s”已结束，不能再修改或发放") % {"name": campaign.name})


def _require_active(campaign: Campaign) -> None:
    _require_writable(campaign)
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(
            _("活动“%(name)s”尚在筹备中，请先启动活动再发放") % {"name": campaign.name}
        )


# --- campaigns --------------------------------------------------------------------------------


def _clean_campaign_fields(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = [_("请填写活动名称")]
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("结束日期不能早于开始日期")]
    budget = fields.get("budget_amount")
    if budget is None or budget < 0:
        errors["budget_amount"] = [_("预算应为不小于0的金额")]
    groups = fields.get("target_groups") or []
    bad = [g for g in groups if g not in TargetGroup.values]
    if bad:
        errors["target_groups"] = [_("未知的慰问对象类别：%(v)s") % {"v": "、".join(bad)}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(
    *,
    actor,
    org: Org,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    budget_amount: Decimal,
    target_groups: list[str] | None = None,
    teams: str = "",
    enterprises=(),
) -> Campaign:
    """Open a campaign in draft at `org`."""
    _authorize(actor, Perm.CARE_EDIT, org)
    if org.is_agency:
        raise ValidationError({"org": _("协作单位不能主办送温暖活动")})
    fields = {
        "name": name.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "budget_amount": budget_amount,
        "target_groups": list(target_groups or []),
    }
    _clean_campaign_fields(fields)
    campaign = Campaign.objects.create(
        org=org,
        teams=teams,
        created_by=actor,
        **{**fields, "budget_amount": quantize(budget_amount)},
    )
    if enterprises:
        campaign.enterprises.set(enterprises)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, enterprises=None, **fields) -> Campaign:
    _authorize(actor, Perm.CARE_EDIT, campaign)
    campaign = campaign_for_update(campaign.pk)
    _require_writable(campaign)
    merged = {
        k: fields.get(k, getattr(campaign, k))
        for k in ("name", "starts_on", "ends_on", "budget_amount", "target_groups")
    }
    _clean_campaign_fields(merged)
    if quantize(merged["budget_amount"]) + campaign.approved_extra_amount < campaign.spent_amount:
        raise ValidationError({"budget_amount": [_("预算不能低于已支出金额")]})
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.budget_amount = quantize(campaign.budget_amount)
    campaign.save()
    if enterprises is not None:
        campaign.enterprises.set(enterprises)
    return campaign


@transaction.atomic
def campaign_transition(*, actor, campaign: Campaign, to: str) -> Campaign:
    """draft → active → closed; a closed campaign is read-only."""
    _authorize(actor, Perm.CARE_EDIT, campaign)
    campaign = campaign_for_update(campaign.pk)
    if to not in Campaign.TRANSITIONS[campaign.status]:
        raise ValidationError(
            _("活动不能从“%(old)s”变为“%(new)s”")
            % {"old": campaign.get_status_display(), "new": Campaign.Status(to).label}
        )
    if to == Campaign.Status.ACTIVE and not campaign.items.exists():
        raise ValidationError(_("请先添加至少一个慰问项目再启动活动"))
    campaign.status = to
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


@transaction.atomic
def item_add(*, actor, campaign: Campaign, name: str, kind: str, unit_value: Decimal) -> ItemType:
    _authorize(actor, Perm.CARE_EDIT, campaign)
    campaign = campaign_for_update(campaign.pk)
    _require_writable(campaign)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写项目名称")]
    elif campaign.items.filter(name=name.strip()).exists():
        errors["name"] = [_("本活动已有同名项目")]
    if kind not in ItemType.Kind.values:
        errors["kind"] = [_("请选择项目类别")]
    if unit_value is None or unit_value < 0:
        errors["unit_value"] = [_("单价应为不小于0的金额")]
    elif kind == ItemType.Kind.CASH and unit_value <= 0:
        errors["unit_value"] = [_("慰问金须设定每人限额")]
    if errors:
        raise ValidationError(errors)
    return ItemType.objects.create(
        campaign=campaign, name=name.strip(), kind=kind, unit_value=quantize(unit_value)
    )


@transaction.atomic
def budget_request(*, actor, campaign: Campaign, amount: Decimal, reason: str) -> BudgetApproval:
    _authorize(actor, Perm.CARE_EDIT, campaign)
    _require_writable(campaign)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("追加金额应大于0")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("请说明追加预算的理由")]})
    return BudgetApproval.objects.create(
        campaign=campaign, amount=quantize(amount), reason=reason.strip(), requested_by=actor
    )


@transaction.atomic
def budget_decide(*, actor, approval: BudgetApproval, approve: bool) -> BudgetApproval:
    """A second officer (not the requester) approves or rejects; approval raises the budget."""
    _authorize(actor, Perm.CARE_EDIT, approval.campaign)
    campaign = campaign_for_update(approval.campaign_id)
    approval = BudgetApproval.objects.select_for_update().get(pk=approval.pk)
    _require_writable(campaign)
    if approval.status != BudgetApproval.Status.REQUESTED:
        raise ValidationError(_("该申请已处理"))
    if actor is not None and approval.requested_by_id == actor.pk:
        raise NotAllowed(_("追加预算须由申请人以外的干部审批"))
    approval.status = BudgetApproval.Status.APPROVED if approve else BudgetApproval.Status.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if approve:
        campaign.approved_extra_amount = F("approved_extra_amount") + approval.amount
        campaign.save(update_fields=["approved_extra_amount", "updated_at"])
    return approval


# --- beneficiaries and hardship files -----------------------------------------------------------


def bank_card_error(value: str) -> str | None:
    digits = "".join(ch for ch in value if not ch.isspace())
    if not digits:
        return None
    if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19:
        return _("银行卡号应为12至19位数字")
    return None


@transaction.atomic
def beneficiary_register(
    *,
    actor,
    org: Org,
    name: str,
    id_number: str,
    phone: str = "",
    category: str,
    employer: Enterprise | None = None,
    platform: str = "",
    depot: Enterprise | None = None,
    bank_card: str = "",
    bank_name: str = "",
) -> tuple[Beneficiary, bool]:
    """Put a person on `org`'s care register. The person is found or created through the
    platform-wide blind index (orgs.person_upsert), so a human is never registered twice."""
    _authorize(actor, Perm.CARE_EDIT, org)
    errors: dict[str, list[str]] = {}
    if not id_number.strip():
        errors["id_number"] = [_("请填写身份证号码")]
    if category not in TargetGroup.values:
        errors["category"] = [_("请选择类别")]
    if platform and platform not in Beneficiary.Platform.values:
        errors["platform"] = [_("未知的平台")]
    if message := bank_card_error(bank_card):
        errors["bank_card"] = [message]
    if errors:
        raise ValidationError(errors)
    try:
        person, _created = person_upsert(
            actor=actor, name=name, id_number=id_number, phone=phone, org=org, employer=employer
        )
    except PersonRegisteredElsewhere:
        # on file with another union: usable only when already on this officer's care register
        # (e.g. an accepted aid application), and even then never edited
        person = person_find(id_number=id_number)
        on_register = Beneficiary.objects.filter(person=person)
        if person is None or not filter_for(actor, Perm.CARE_EDIT, on_register).exists():
            raise
    beneficiary, created = Beneficiary.objects.get_or_create(
        person=person,
        org=org,
        defaults={"category": category, "employer": employer, "platform": platform, "depot": depot},
    )
    changed: list[str] = []
    if not created:
        for field, value in (("category", category), ("platform", platform)):
            if value and getattr(beneficiary, field) != value:
                setattr(beneficiary, field, value)
                changed.append(field)
        for field, value in (("employer", employer), ("depot", depot)):
            if value is not None and getattr(beneficiary, f"{field}_id") != value.pk:
                setattr(beneficiary, field, value)
                changed.append(field)
    if bank_card:
        beneficiary.bank_card = bank_card
        beneficiary.bank_name = bank_name.strip()
        changed += ["bank_card_encrypted", "bank_name"]
    if changed:
        beneficiary.save(update_fields=[*changed, "updated_at"])
    return beneficiary, created


@transaction.atomic
def hardship_file_save(
    *,
    actor,
    beneficiary: Beneficiary,
    level: str,
    cause: str,
    household_size: int,
    household_income_amount: Decimal,
    next_review_on: datetime.date,
    status: str = HardshipFile.Status.FILED,
) -> HardshipFile:
    """Open or update a hardship file; the saving officer is recorded as its verifier."""
    _authorize(actor, Perm.CARE_EDIT, beneficiary)
    errors: dict[str, list[str]] = {}
    if level not in HardshipFile.Level.values:
        errors["level"] = [_("请选择困难类别")]
    if not cause.strip():
        errors["cause"] = [_("请填写致困原因")]
    if not household_size or household_size < 1:
        errors["household_size"] = [_("家庭人口至少为1人")]
    if household_income_amount is None or household_income_amount < 0:
        errors["household_income_amount"] = [_("家庭年收入不能为负数")]
    if status not in HardshipFile.Status.values:
        errors["status"] = [_("请选择档案状态")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    values = {
        "level": level,
        "cause": cause.strip(),
        "household_size": household_size,
        "household_income_amount": quantize(household_income_amount),
        "next_review_on": next_review_on,
        "status": status,
        "verified_by": actor,
        "verified_on": today,
    }
    hardship, _created = HardshipFile.objects.update_or_create(
        beneficiary=beneficiary, defaults=values
    )
    if beneficiary.category != TargetGroup.HARDSHIP:
        beneficiary.category = TargetGroup.HARDSHIP
        beneficiary.save(update_fields=["category", "updated_at"])
    return hardship


# --- distributions ------------------------------------------------------------------------------


def validate_signature(upload) -> None:
    if upload is None:
        raise ValidationError({"signature": [_("请上传签名图片")]})
    if upload.size > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signature": [_("签名图片不能超过2MB")]})
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in SIGNATURE_MAGIC):
        raise ValidationError({"signature": [_("签名图片须为PNG或JPEG格式")]})


def related_campaigns(campaign: Campaign):
    """Campaigns of this season in the campaign's subtree or at its ancestors (not itself).
    A season is an overlapping campaign period."""
    org = campaign.org
    ancestors = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    return Campaign.objects.filter(
        Q(org__path__in=ancestors) | Q(org__path__startswith=org.path),
        starts_on__lte=campaign.ends_on,
        ends_on__gte=campaign.starts_on,
    ).exclude(pk=campaign.pk)


def prior_aid(campaign: Campaign, person_ids) -> dict[int, list[str]]:
    """person id → names of related campaigns that already reached them this season."""
    found: dict[int, list[str]] = {}
    rows = (
        Reach.objects.filter(
            person_id__in=list(person_ids), live__gt=0, campaign__in=related_campaigns(campaign)
        )
        .values_list("person_id", "campaign__name")
        .order_by("person_id", "campaign__name")
    )
    for person_id, name in rows:
        found.setdefault(person_id, []).append(name)
    return found


def compute_amount(item: ItemType, quantity: int, amount: Decimal | None) -> Decimal:
    """What a hand-out is worth: quantity × unit value, or the cash sent (within the limit)."""
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": [_("数量至少为1")]})
    if item.is_cash:
        if quantity != 1:
            raise ValidationError({"quantity": [_("慰问金每人一次，数量应为1")]})
        if amount is None:
            raise ValidationError({"amount": [_("请填写慰问金金额")]})
        amount = quantize(amount)
        if amount <= 0:
            raise ValidationError({"amount": [_("慰问金金额应大于0")]})
        if amount > item.unit_value:
            raise ValidationError(
                {
                    "amount": [
                        _("慰问金 %(amount)s 元超过本活动每人限额 %(limit)s 元")
                        % {"amount": amount, "limit": item.unit_value}
                    ]
                }
            )
        return amount
    return quantize(item.unit_value * quantity)


def _duplicate_message(item: ItemType, name: str) -> str:
    return _("%(name)s 已在本活动中领取过“%(item)s”，不能重复发放") % {
        "name": name,
        "item": item.name,
    }


def _check_budget(campaign: Campaign, extra: Decimal) -> None:
    if campaign.spent_amount + extra > campaign.total_budget:
        raise BudgetExceeded(
            _("超出预算：本次 %(extra)s 元，剩余 %(left)s 元。请先提交追加预算申请，经审批后再发放")
            % {"extra": extra, "left": campaign.remaining_amount}
        )


def _bump_item_tally(campaign_id, org_id, item_id, category, times, quantity, amount) -> None:
    updated = ItemTally.objects.filter(
        campaign_id=campaign_id, org_id=org_id, item_id=item_id, category=category
    ).update(
        times=F("times") + times, quantity=F("quantity") + quantity, amount=F("amount") + amount
    )
    if not updated:
        ItemTally.objects.create(
            campaign_id=campaign_id,
            org_id=org_id,
            item_id=item_id,
            category=category,
            times=times,
            quantity=quantity,
            amount=amount,
        )


def _bump_reach_tally(campaign_id, org_id, category, persons) -> None:
    updated = ReachTally.objects.filter(
        campaign_id=campaign_id, org_id=org_id, category=category
    ).update(persons=F("persons") + persons)
    if not updated:
        ReachTally.objects.create(
            campaign_id=campaign_id, org_id=org_id, category=category, persons=persons
        )


def _reach_add(distribution: Distribution) -> None:
    reach = (
        Reach.objects.select_for_update()
        .filter(campaign_id=distribution.campaign_id, person_id=distribution.person_id)
        .first()
    )
    if reach is None:
        Reach.objects.create(
            campaign_id=distribution.campaign_id,
            person_id=distribution.person_id,
            org_id=distribution.org_id,
            category=distribution.category,
            live=1,
            first_at=distribution.distributed_at,
        )
    elif reach.live == 0:
        reach.live, reach.org_id, reach.category = 1, distribution.org_id, distribution.category
        reach.save(update_fields=["live", "org", "category"])
    else:
        Reach.objects.filter(pk=reach.pk).update(live=F("live") + 1)
        return
    _bump_reach_tally(distribution.campaign_id, distribution.org_id, distribution.category, 1)


def _reach_remove(distribution: Distribution) -> None:
    reach = Reach.objects.select_for_update().get(
        campaign_id=distribution.campaign_id, person_id=distribution.person_id
    )
    reach.live -= 1
    reach.save(update_fields=["live"])
    if reach.live == 0:
        _bump_reach_tally(reach.campaign_id, reach.org_id, reach.category, -1)


def _send_receipt_code(distribution: Distribution) -> None:
    code = smscode.issue(distribution, "care-receipt")
    phone = distribution.person.phone
    text = _(
        "【职工娘家】您在“%(campaign)s”中领取“%(item)s”，签收验证码 %(code)s，请告知工作人员。"
    ) % {
        "campaign": distribution.campaign.name,
        "item": distribution.item.name,
        "code": code,
    }
    transaction.on_commit(lambda: send_sms(phone, text))


def distribution_create(
    *,
    actor,
    campaign: Campaign,
    beneficiary: Beneficiary,
    item: ItemType,
    quantity: int = 1,
    amount: Decimal | None = None,
    receipt_kind: str = Distribution.ReceiptKind.SMS,
    signature=None,
    payment_method: str = "",
    override_reason: str = "",
) -> Distribution:
    """Record a hand-out. Refuses a second live hand-out of the same item to the same person in the
    campaign (checked under the campaign lock, guaranteed by a partial unique index), spend past
    the approved budget, and — unless a reason is given — a person already aided this season by a
    related campaign."""
    with set_actor(actor), transaction.atomic():
        return _distribution_create(
            actor=actor,
            campaign=campaign,
            beneficiary=beneficiary,
            item=item,
            quantity=quantity,
            amount=amount,
            receipt_kind=receipt_kind,
            signature=signature,
            payment_method=payment_method,
            override_reason=override_reason,
        )


def _distribution_create(
    *,
    actor,
    campaign,
    beneficiary,
    item,
    quantity,
    amount,
    receipt_kind,
    signature,
    payment_method,
    override_reason,
) -> Distribution:
    _authorize(actor, Perm.CARE_EDIT, campaign)
    if item.campaign_id != campaign.pk:
        raise ValidationError({"item": [_("该项目不属于本活动")]})
    beneficiary = Beneficiary.objects.select_related("person", "org").get(pk=beneficiary.pk)
    if not beneficiary.org.path.startswith(campaign.org.path):
        raise ValidationError({"beneficiary": [_("该帮扶对象不在本活动的组织范围内")]})
    value = compute_amount(item, quantity, amount)
    if receipt_kind not in (Distribution.ReceiptKind.SIGNATURE, Distribution.ReceiptKind.SMS):
        raise ValidationError({"receipt_kind": [_("请选择签收方式：签名或短信验证码")]})
    if receipt_kind == Distribution.ReceiptKind.SIGNATURE:
        validate_signature(signature)
    elif not beneficiary.person.phone:
        raise ValidationError({"receipt_kind": [_("该职工未登记手机号码，请改用签名签收")]})
    payment_status = ""
    if item.is_cash:
        if payment_method not in (
            Distribution.PaymentMethod.BANK,
            Distribution.PaymentMethod.IN_PERSON,
        ):
            payment_method = (
                Distribution.PaymentMethod.BANK
                if beneficiary.bank_card
                else Distribution.PaymentMethod.IN_PERSON
            )
        if payment_method == Distribution.PaymentMethod.BANK and not beneficiary.bank_card:
            raise ValidationError({"payment_method": [_("该职工未登记银行卡，请改为当面发放")]})
        payment_status = (
            Distribution.PaymentStatus.PENDING
            if payment_method == Distribution.PaymentMethod.BANK
            else Distribution.PaymentStatus.PAID
        )
    else:
        payment_method = ""

    campaign = campaign_for_update(campaign.pk)  # serialises hand-outs of one campaign
    _require_active(campaign)
    person = beneficiary.person
    if Distribution.objects.filter(
        campaign=campaign, item=item, person=person, voided_at__isnull=True
    ).exists():
        raise DuplicateDistribution(_duplicate_message(item, person.name))
    prior = prior_aid(campaign, [person.pk]).get(person.pk)
    if prior and not override_reason.strip():
        raise CrossCampaignAid(
            _("%(name)s 本季已在“%(campaigns)s”中获得帮扶，如确需再次发放，请填写说明")
            % {"name": person.name, "campaigns": "、".join(prior)},
            campaigns=prior,
        )
    _check_budget(campaign, value)

    distribution = Distribution(
        campaign=campaign,
        item=item,
        beneficiary=beneficiary,
        person=person,
        org=beneficiary.org,
        category=beneficiary.category,
        quantity=quantity,
        amount=value,
        staff=actor,
        distributed_at=timezone.now(),
        receipt_kind=receipt_kind,
        payment_method=payment_method,
        payment_status=payment_status,
        override_reason=override_reason.strip() if prior else "",
    )
    if receipt_kind == Distribution.ReceiptKind.SIGNATURE:
        distribution.signature = signature
        distribution.receipt_confirmed_at = distribution.distributed_at
    try:
        with transaction.atomic():  # a savepoint: the unique index is the final word
            distribution.save()
    except IntegrityError as exc:
        raise DuplicateDistribution(_duplicate_message(item, person.name)) from exc
    Campaign.objects.filter(pk=campaign.pk).update(spent_amount=F("spent_amount") + value)
    _bump_item_tally(
        campaign.pk, distribution.org_id, item.pk, distribution.category, 1, quantity, value
    )
    _reach_add(distribution)
    if receipt_kind == Distribution.ReceiptKind.SMS:
        _send_receipt_code(distribution)
    return distribution


@transaction.atomic
def distribution_resend_code(*, actor, distribution: Distribution) -> None:
    _authorize(actor, Perm.CARE_EDIT, distribution)
    if (
        distribution.receipt_kind != Distribution.ReceiptKind.SMS
        or distribution.receipt_confirmed_at
    ):
        raise ValidationError(_("该记录无需短信签收"))
    if distribution.is_voided:
        raise ValidationError(_("该记录已作废"))
    # one live code at a time: a new one only once the last is a minute old (or dead), so the
    # button cannot flood the worker's phone nor buy fresh guesses faster than SMS arrives
    wait = settings.CARE_SMS_RESEND_SECONDS
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if (
        distribution.sms_code_hash
        and distribution.sms_code_sent_at
        and timezone.now() - distribution.sms_code_sent_at < datetime.timedelta(seconds=wait)
    ):
        raise ValidationError(_("验证码刚刚发送，请 %(n)d 秒后再重新发送") % {"n": wait})
    _send_receipt_code(distribution)


def distribution_confirm_code(*, actor, distribution: Distribution, code: str) -> Distribution:
    """Confirm an SMS receipt. A code lives CARE_SMS_CODE_TTL_MINUTES and allows
    CARE_SMS_CODE_MAX_ATTEMPTS wrong tries, after which a new one must be sent: six digits
    could otherwise be guessed at the counter."""
    _authorize(actor, Perm.CARE_EDIT, distribution)
    with transaction.atomic():  # a miss is counted and kept, then reported below
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        problem = _check_receipt_code(distribution, (code or "").strip())
        if problem is None:
            distribution.receipt_confirmed_at = timezone.now()
            distribution.sms_code_hash = ""
            distribution.save(update_fields=["receipt_confirmed_at", "sms_code_hash", "updated_at"])
    if problem is not None:
        raise problem
    return distribution


def _check_receipt_code(distribution: Distribution, code: str) -> ValidationError | None:
    if distribution.receipt_confirmed_at is not None:
        return ValidationError(_("该记录已签收"))
    return smscode.check(distribution, "care-receipt", code)


def distribution_void(*, actor, distribution: Distribution, reason: str) -> Distribution:
    """Void a hand-out (audited): spend and figures go back, the item may be given again."""
    with set_actor(actor), transaction.atomic():
        _authorize(actor, Perm.CARE_EDIT, distribution)
        reason = bounded_text(reason, Distribution, "void_reason", key="reason")
        if not reason:
            raise ValidationError({"reason": [_("作废须填写原因")]})
        campaign = campaign_for_update(distribution.campaign_id)
        _require_writable(campaign)
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if distribution.is_voided:
            raise ValidationError(_("该记录已作废"))
        if distribution.payment_status == Distribution.PaymentStatus.PAID and (
            distribution.payment_method == Distribution.PaymentMethod.BANK
        ):
            raise ValidationError(_("银行卡已到账的慰问金不能作废，请走退款流程"))
        distribution.voided_at = timezone.now()
        distribution.voided_by = actor
        distribution.void_reason = reason
        distribution.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
        Campaign.objects.filter(pk=campaign.pk).update(
            spent_amount=F("spent_amount") - distribution.amount
        )
        _bump_item_tally(
            campaign.pk,
            distribution.org_id,
            distribution.item_id,
            distribution.category,
            -1,
            -distribution.quantity,
            -distribution.amount,
        )
        _reach_remove(distribution)
        return distribution


@transaction.atomic
def distribution_set_payment(
    *, actor, distribution: Distribution, status: str, reason: str = ""
) -> Distribution:
    """Bank payment of cash: pending → paid, or failed with a reason (and failed → paid on retry)."""
    _authorize(actor, Perm.CARE_EDIT, distribution)
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.payment_method != Distribution.PaymentMethod.BANK:
        raise ValidationError(_("只有银行卡发放的慰问金需要登记支付状态"))
    if distribution.is_voided:
        raise ValidationError(_("该记录已作废"))
    allowed = {
        Distribution.PaymentStatus.PENDING: {
            Distribution.PaymentStatus.PAID,
            Distribution.PaymentStatus.FAILED,
        },
        Distribution.PaymentStatus.FAILED: {Distribution.PaymentStatus.PAID},
    }
    if status not in allowed.get(distribution.payment_status, set()):
        raise ValidationError(_("支付状态不能这样变更"))
    reason = bounded_text(reason, Distribution, "payment_failure_reason", key="reason")
    if status == Distribution.PaymentStatus.FAILED and not reason:
        raise ValidationError({"reason": [_("请填写支付失败原因")]})
    distribution.payment_status = status
    distribution.payment_failure_reason = reason if status == "failed" else ""
    distribution.save(update_fields=["payment_status", "payment_failure_reason", "updated_at"])
    return distribution


# --- imports (Excel hand-out lists, run as background jobs) --------------------------------------


def import_job_create(*, actor, campaign: Campaign, upload) -> ImportJob:
    """Store the uploaded list and start its job (validate every row, then save all or none).

    The file is checked (size, a real .xlsx, unpacked size) before anything is stored."""
    _authorize(actor, Perm.CARE_EDIT, campaign)
    spreadsheets.check_xlsx(upload, max_rows=settings.IMPORT_MAX_ROWS)
    job = ImportJob.objects.create(
        campaign=campaign,
        org=campaign.org,
        file=upload,
        filename=(upload.name or "")[:200],
        created_by=actor,
    )
    _start_import(job)
    job.refresh_from_db()
    return job


def _start_import(job: ImportJob) -> None:
    from niangjia.care import tasks

    try:
        tasks.run_import.delay(job.pk)
    except Exception:  # noqa: BLE001 - the job row shows the failure; no 500 for the user
        logger.exception("care import %s could not be started", job.pk)
        # a broker that refused the task leaves a pending job nobody will run: fail it, so that
        # it can be run again (an inline run that raised has already recorded its own failure)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.FAILED,
            errors=[{"row": "—", "message": _("导入任务未能启动，未保存任何数据，请重新运行")}],
        )


def import_jobs_expire_stale(
    *, now: datetime.datetime | None = None, pk: int | None = None, campaign=None
) -> int:
    """Mark failed every running import whose heartbeat is older than IMPORT_STALE_AFTER_SECONDS
    (its process died; the save is one transaction, so nothing of it was kept). Returns how many.

    Called when a job's status is read and by the periodic task `expire_stale_imports`."""
    now = now or timezone.now()
    seconds = settings.IMPORT_STALE_AFTER_SECONDS
    cutoff = now - datetime.timedelta(seconds=seconds)
    stale = ImportJob.objects.filter(status__in=ImportJob.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )
    if pk is not None:
        stale = stale.filter(pk=pk)
    if campaign is not None:
        stale = stale.filter(campaign=campaign)
    message = _(
        "导入进程已中断（超过 %(minutes)s 分钟没有响应），未保存任何数据。"
        "可以点击“重新运行”再试一次。"
    ) % {"minutes": max(1, round(seconds / 60))}
    count = stale.update(status=ImportJob.Status.FAILED, errors=[{"row": "—", "message": message}])
    if count:
        logger.warning("%s stale care import(s) marked failed", count)
    return count


def import_job_refresh(job: ImportJob) -> ImportJob:
    """The job as it stands; a running one whose process died is marked failed first."""
    if job.status in ImportJob.RUNNING and import_jobs_expire_stale(pk=job.pk):
        job.refresh_from_db()
    return job


def import_job_rerun(*, actor, job: ImportJob) -> ImportJob:
    """Run a failed import again from its stored file, with the same all-or-nothing save.

    Rows saved by an earlier run (there are none unless that run finished after all) are caught
    by the usual checks: they come back as "already served" and nothing is saved twice."""
    _authorize(actor, Perm.CARE_EDIT, job.campaign)
    import_job_refresh(job)
    if job.status != ImportJob.Status.FAILED:
        raise ValidationError(_("只有“导入失败”的任务可以重新运行"))
    if not job.file or not job.file.storage.exists(job.file.name):
        raise ValidationError(_("原文件已不存在，请重新上传"))
    restarted = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
        status=ImportJob.Status.PENDING,
        processed=0,
        total=0,
        errors=[],
        created_count=0,
        heartbeat_at=None,
        rerun_by=actor,
    )
    if not restarted:  # someone else re-ran it a moment ago
        raise ValidationError(_("只有“导入失败”的任务可以重新运行"))
    _start_import(job)
    job.refresh_from_db()
    return job


# --- visits and applications --------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    campaign: Campaign,
    enterprise: Enterprise,
    visited_on: datetime.date,
    team: str,
    workers_met: int = 0,
    items_left: str = "",
) -> EnterpriseVisit:
    _authorize(actor, Perm.CARE_EDIT, campaign)
    campaign = campaign_for_update(campaign.pk)
    _require_active(campaign)
    if not enterprise.org.path.startswith(campaign.org.path):
        raise ValidationError({"enterprise": [_("该企业不在本活动的组织范围内")]})
    if not team.strip():
        raise ValidationError({"team": [_("请填写走访小组")]})
    if workers_met is None or workers_met < 0:
        raise ValidationError({"workers_met": [_("人数不能为负数")]})
    return EnterpriseVisit.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        org=enterprise.org,
        visited_on=visited_on,
        team=team.strip(),
        workers_met=workers_met,
        items_left=items_left.strip(),
        staff=actor,
    )


@transaction.atomic
def application_submit(
    *,
    user,
    org: Org,
    name: str,
    id_number: str,
    phone: str,
    employer_name: str,
    level: str,
    cause: str,
    household_size: int,
    household_income_amount: Decimal,
    consent_version: str = "",
) -> AidApplication:
    """A worker applies for hardship aid (public H5 page). Returns the application with its
    lookup code. The person is found or created through the blind index; a person already on
    file is never edited: the name and phone typed stay on the application (the officer sees
    where they differ from the file, and decides). The sensitive-data consent (PIPL arts. 14,
    29) is required and kept with its version and time."""
    if org.is_agency or org.kind != Org.Kind.UNION:
        raise ValidationError({"org": [_("请选择受理的工会")]})
    errors: dict[str, list[str]] = {}
    if not phone.strip():
        errors["phone"] = [_("请填写手机号码，便于工会联系您")]
    if not id_number.strip():
        errors["id_number"] = [_("请填写身份证号码")]
    if level not in HardshipFile.Level.values:
        errors["level"] = [_("请选择困难类别")]
    if not cause.strip():
        errors["cause"] = [_("请填写致困原因")]
    if not household_size or household_size < 1:
        errors["household_size"] = [_("家庭人口至少为1人")]
    if household_income_amount is None or household_income_amount < 0:
        errors["household_income_amount"] = [_("家庭年收入不能为负数")]
    if not consent_version:
        errors["consent"] = [consent.REQUIRED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    person, _created = person_upsert(
        actor=None, name=name, id_number=id_number, phone=phone, org=None
    )
    # The account that submits is recorded as the submitter, never linked to the person matched
    # by ID number: a person is bound to an account only through orgs.services.binding_* (the
    # worker proves the phone on file) or a staff member's deliberate, audited link.
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    code = f"KN{secrets.randbelow(10**8):08d}"
    application = AidApplication(
        code=code,
        org=org,
        person=person,
        typed_name=name.strip(),
        employer_name=employer_name.strip(),
        level=level,
        cause=cause.strip(),
        household_size=household_size,
        household_income_amount=quantize(household_income_amount),
        user_id=user_id,
        consent_version=consent_version,
        consent_at=timezone.now(),
    )
    application.typed_phone = phone
    application.save()
    return application


@transaction.atomic
def application_apply_typed(*, actor, application: AidApplication, field: str) -> None:
    """The officer copies what the applicant typed (name, phone) onto the person's file: needs
    rights over the application and person-edit rights over the person; audited."""
    _authorize(actor, Perm.CARE_EDIT, application)
    person_apply_typed(
        actor=actor,
        person=application.person,
        field=field,
        submission=application,
        source=_("帮扶申请 %(code)s") % {"code": application.code},
    )


def application_lookup(*, code: str, phone: str) -> AidApplication | None:
    """Status lookup: the code and the phone must both match (the code alone reveals nothing)."""
    phone = validators.normalize_mobile(phone or "")
    application = (
        AidApplication.objects.select_related("person", "org")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if application is None or application.person.phone_hash != blind_index(phone):
        return None
    return application


@transaction.atomic
def application_decide(
    *,
    actor,
    application: AidApplication,
    accept: bool,
    reply: str = "",
    next_review_on: datetime.date | None = None,
) -> AidApplication:
    """Accept (register the worker and open a hardship file) or reject with a reply."""
    _authorize(actor, Perm.CARE_EDIT, application)
    application = AidApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != AidApplication.Status.SUBMITTED:
        raise ValidationError(_("该申请已处理"))
    reply = bounded_text(reply, AidApplication, "reply")
    if not accept and not reply:
        raise ValidationError({"reply": [_("不予受理时请填写答复")]})
    if accept:
        beneficiary, _created = Beneficiary.objects.get_or_create(
            person=application.person,
            org=application.org,
            defaults={"category": TargetGroup.HARDSHIP},
        )
        hardship_file_save(
            actor=actor,
            beneficiary=beneficiary,
            level=application.level,
            cause=application.cause,
            household_size=application.household_size,
            household_income_amount=application.household_income_amount,
            next_review_on=next_review_on or timezone.localdate() + datetime.timedelta(days=365),
        )
    application.status = (
        AidApplication.Status.ACCEPTED if accept else AidApplication.Status.REJECTED
    )
    application.reply = reply.strip()
    application.save(update_fields=["status", "reply", "updated_at"])
    return application
