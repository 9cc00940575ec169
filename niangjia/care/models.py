"""送温暖/帮扶: campaigns, item types, beneficiaries with hardship files, distributions, visits,
imports, and the summary rows (tallies) that keep campaign figures exact without a scan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.models import TimeStampedModel
from niangjia.core.pii import EncryptedTextField
from niangjia.core.scope import ScopeSpec
from niangjia.core.storage import private_storage
from niangjia.orgs.models import Enterprise, Org, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


class TargetGroup(models.TextChoices):
    HARDSHIP = "hardship", _("困难职工")
    NEW_FORM = "new_form", _("新就业形态劳动者")
    FRONTLINE = "frontline", _("一线职工")
    MODEL_WORKER = "model_worker", _("劳模")
    MIGRANT = "migrant", _("农民工")
    OTHER = "other", _("其他")


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")  # being prepared: items and budget may change
        ACTIVE = "active", _("进行中")  # hand-outs, visits and imports are accepted
        CLOSED = "closed", _("已结束")  # read-only: figures are final

    TRANSITIONS = {
        Status.DRAFT: {Status.ACTIVE},
        Status.ACTIVE: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    name = models.CharField(_("活动名称"), max_length=120)
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="care_campaigns", verbose_name=_("主办组织")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    budget_amount = models.DecimalField(_("预算"), **MONEY)
    # raised only by an approved BudgetApproval: spend may never pass budget + approved extra
    approved_extra_amount = models.DecimalField(_("追加预算（已批准）"), default=0, **MONEY)
    # kept by the services under the campaign row lock, in the same transaction as each hand-out
    spent_amount = models.DecimalField(_("已支出"), default=0, **MONEY)
    target_groups = models.JSONField(_("慰问对象"), default=list, blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="care_campaigns", verbose_name=_("走访企业")
    )
    teams = models.TextField(_("工作小组"), blank=True, help_text=_("每行一个小组及成员"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = _("送温暖活动")
        verbose_name_plural = _("送温暖活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="care_campaign_period_order"
            ),
            # the last line of defence behind the locked budget check in the services
            models.CheckConstraint(
                condition=Q(spent_amount__lte=F("budget_amount") + F("approved_extra_amount")),
                name="care_campaign_spend_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def total_budget(self):
        return self.budget_amount + self.approved_extra_amount

    @property
    def remaining_amount(self):
        return self.total_budget - self.spent_amount

    @property
    def spend_percent(self) -> int:
        if not self.total_budget:
            return 0
        return min(100, int(self.spent_amount * 100 / self.total_budget))

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]


class ItemType(TimeStampedModel):
    class Kind(models.TextChoices):
        GIFT = "gift", _("慰问品")  # a gift package of a fixed unit value
        CASH = "cash", _("慰问金")  # money; unit value is the per-person limit
        SERVICE = "service", _("服务")  # e.g. a free health check, a mobile-kitchen lunch
        BROCHURE = "brochure", _("宣传资料")  # brochures, no money value

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("活动")
    )
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    unit_value = models.DecimalField(
        _("单价/限额"), default=0, help_text=_("慰问金为每人限额"), **MONEY
    )

    scope = ScopeSpec(org="campaign__org")

    class Meta:
        verbose_name = _("慰问项目")
        verbose_name_plural = _("慰问项目")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="care_item_name_unique"),
            models.CheckConstraint(condition=Q(unit_value__gte=0), name="care_item_value_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cash(self) -> bool:
        return self.kind == self.Kind.CASH


class Beneficiary(TimeStampedModel):
    """A person on a union's care register. One Person per human platform-wide (blind index);
    one register row per person and org."""

    class Platform(models.TextChoices):
        NONE = "", _("—")
        MEITUAN = "meituan", _("美团")
        ELEME = "eleme", _("饿了么")
        SF = "sf", _("顺丰")
        JD = "jd", _("京东")
        ZTO = "zto", _("中通")
        YTO = "yto", _("圆通")
        DIDI = "didi", _("滴滴")
        HUOLALA = "huolala", _("货拉拉")
        OTHER = "other", _("其他平台")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="care_records", verbose_name=_("人员")
    )
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="care_beneficiaries", verbose_name=_("登记组织")
    )
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_beneficiaries",
        verbose_name=_("工作单位"),
    )
    category = models.CharField(_("类别"), max_length=16, choices=TargetGroup.choices)
    platform = models.CharField(
        _("平台"), max_length=10, choices=Platform.choices, blank=True, default=""
    )
    depot = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_depot_workers",
        verbose_name=_("站点"),
    )
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    bank_card_encrypted = EncryptedTextField(_("银行卡号（加密）"), blank=True, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = ScopeSpec(org="org", owner="person__user", enterprise="employer")

    class Meta:
        verbose_name = _("帮扶对象")
        verbose_name_plural = _("帮扶对象")
        constraints = [
            models.UniqueConstraint(fields=["person", "org"], name="care_beneficiary_once_per_org")
        ]

    def __str__(self) -> str:
        return self.person.name

    @property
    def bank_card(self) -> str:
        return self.bank_card_encrypted or ""

    @bank_card.setter
    def bank_card(self, value: str) -> None:
        self.bank_card_encrypted = "".join(ch for ch in (value or "") if ch.isdigit())

    @property
    def bank_card_masked(self) -> str:
        return validators.mask_bank_card(self.bank_card)


class HardshipFile(TimeStampedModel):
    """困难职工档案."""

    class Level(models.TextChoices):
        DEEP = "deep", _("深度困难")
        RELATIVE = "relative", _("相对困难")
        ACCIDENT = "accident", _("意外致困")

    class Status(models.TextChoices):
        FILED = "filed", _("建档")  # on file, not yet helped
        HELPING = "helping", _("帮扶中")  # receiving help
        EXITED = "exited", _("脱困退出")  # out of hardship, file closed
        INELIGIBLE = "ineligible", _("不符合")  # checked and not eligible

    beneficiary = models.OneToOneField(
        Beneficiary, on_delete=models.CASCADE, related_name="hardship", verbose_name=_("帮扶对象")
    )
    level = models.CharField(_("困难类别"), max_length=10, choices=Level.choices)
    cause = models.CharField(_("致困原因"), max_length=200)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    household_income_amount = models.DecimalField(_("家庭年收入"), default=0, **MONEY)
    status = models.CharField(
        _("档案状态"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    verified_on = models.DateField(_("核实日期"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复核日期"))

    scope = ScopeSpec(org="beneficiary__org", owner="beneficiary__person__user")

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="care_hardship_household_gte_1"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} · {self.get_level_display()}"

    @property
    def is_overdue(self) -> bool:
        open_ = self.status in (self.Status.FILED, self.Status.HELPING)
        return open_ and self.next_review_on < datetime.date.today()  # noqa: DTZ011 - calendar day

    @property
    def monthly_income_per_head(self):
        return self.household_income_amount / 12 / max(1, self.household_size)


class BudgetApproval(TimeStampedModel):
    """The approval step that lets spend pass the original budget."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")  # waiting for a second officer
        APPROVED = "approved", _("已批准")  # added to the campaign's budget
        REJECTED = "rejected", _("已驳回")  # nothing changes

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("活动")
    )
    amount = models.DecimalField(_("追加金额"), **MONEY)
    reason = models.CharField(_("理由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    scope = ScopeSpec(org="campaign__org")

    class Meta:
        verbose_name = _("追加预算审批")
        verbose_name_plural = _("追加预算审批")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="care_approval_gt_0")]

    def __str__(self) -> str:
        return f"{self.campaign} +{self.amount}"


class Distribution(TimeStampedModel):
    """One hand-out. `person` is copied from the beneficiary so the unique constraint holds per
    human, even when two unions registered the same person."""

    class ReceiptKind(models.TextChoices):
        SIGNATURE = "signature", _("签名")  # a signature image uploaded at the hand-out
        SMS = "sms", _("短信验证码")  # a code sent to the worker's phone, read back to staff
        LIST = "list", _("签收名单")  # an enterprise's signed list, imported from Excel

    class PaymentMethod(models.TextChoices):
        NONE = "", _("—")
        BANK = "bank", _("银行卡")
        IN_PERSON = "in_person", _("当面发放")

    class PaymentStatus(models.TextChoices):
        NONE = "", _("—")  # not money
        PENDING = "pending", _("待支付")
        PAID = "paid", _("已支付")
        FAILED = "failed", _("支付失败")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="distributions", verbose_name=_("活动")
    )
    item = models.ForeignKey(
        ItemType, on_delete=models.PROTECT, related_name="distributions", verbose_name=_("项目")
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="distributions",
        verbose_name=_("帮扶对象"),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    category = models.CharField(_("类别"), max_length=16, choices=TargetGroup.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    amount = models.DecimalField(_("金额"), **MONEY)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    distributed_at = models.DateTimeField(_("发放时间"))
    receipt_kind = models.CharField(_("签收方式"), max_length=10, choices=ReceiptKind.choices)
    # receipts and import files hold personal data: private storage, served by scoped views
    signature = models.FileField(
        _("签名"), upload_to="care/signatures/%Y/%m/", blank=True, storage=private_storage
    )
    sms_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    # a code expires (CARE_SMS_CODE_TTL_MINUTES) and dies after CARE_SMS_CODE_MAX_ATTEMPTS misses
    sms_code_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sms_code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    receipt_confirmed_at = models.DateTimeField(_("签收确认时间"), null=True, blank=True)
    payment_method = models.CharField(
        _("支付方式"), max_length=10, choices=PaymentMethod.choices, blank=True, default=""
    )
    payment_status = models.CharField(
        _("支付状态"), max_length=10, choices=PaymentStatus.choices, blank=True, default=""
    )
    payment_failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)
    override_reason = models.CharField(_("跨活动重复说明"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    scope = ScopeSpec(org="org", owner="person__user", enterprise="beneficiary__employer")

    class Meta:
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
        constraints = [
            # THE rule: one person never gets the same item twice in one campaign. A partial
            # unique index, so concurrent submissions cannot both commit; voided rows step aside.
            models.UniqueConstraint(
                fields=["campaign", "item", "person"],
                condition=Q(voided_at__isnull=True),
                name="care_distribution_once_per_item",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="care_distribution_amount"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="care_distribution_void_has_reason",
            ),
        ]
        indexes = [
            # the cross-campaign check: a person's hand-outs this season
            models.Index(fields=["person", "distributed_at"], name="care_dist_person_idx"),
            models.Index(fields=["campaign", "item", "-distributed_at"], name="care_dist_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.beneficiary}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class ItemTally(models.Model):
    """Summary row per campaign, org, item and category: person-times, quantity, amount of the
    live (not voided) hand-outs. Written only by the services, in the hand-out's transaction."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=TargetGroup.choices)
    times = models.BigIntegerField(default=0)
    quantity = models.BigIntegerField(default=0)
    amount = models.DecimalField(default=0, **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org", "item", "category"], name="care_itemtally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.org_id}/{self.item_id}/{self.category}: {self.times}"


class Reach(models.Model):
    """A person reached by a campaign (distinct people), counted at the org of their first
    live hand-out. `live` counts their live hand-outs in the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=TargetGroup.choices)
    live = models.IntegerField(default=0)
    first_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="care_reach_unique"),
            models.CheckConstraint(condition=Q(live__gte=0), name="care_reach_live_gte_0"),
        ]
        indexes = [models.Index(fields=["person", "first_at"], name="care_reach_person_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.person_id}: {self.live}"


class ReachTally(models.Model):
    """Distinct people reached per campaign, org and category (Reach rows with live > 0)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=TargetGroup.choices)
    persons = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org", "category"], name="care_reachtally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.org_id}/{self.category}: {self.persons}"


class EnterpriseVisit(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="visits", verbose_name=_("活动")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="care_visits",
        verbose_name=_("企业/站点"),
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("走访日期"))
    team = models.CharField(_("走访小组"), max_length=120)
    workers_met = models.PositiveIntegerField(_("慰问职工人数"), default=0)
    items_left = models.CharField(_("留下物品"), max_length=200, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope = ScopeSpec(org="org", enterprise="enterprise")

    class Meta:
        verbose_name = _("企业走访")
        verbose_name_plural = _("企业走访")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"


class ImportJob(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")  # uploaded, waiting for the worker
        VALIDATING = "validating", _("正在校验")  # reading and checking every row
        INVALID = "invalid", _("校验未通过")  # bad rows found; nothing was saved
        SAVING = "saving", _("正在保存")  # all rows good, writing in one transaction
        DONE = "done", _("已完成")  # everything saved
        FAILED = "failed", _("导入失败")  # an unexpected error; nothing was saved

    FINAL = {Status.INVALID, Status.DONE, Status.FAILED}
    RUNNING = {Status.VALIDATING, Status.SAVING}

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="imports", verbose_name=_("活动")
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("文件"), upload_to="care/imports/%Y/%m/", storage=private_storage)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("新增发放"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # a running job writes a heartbeat; one silent for IMPORT_STALE_AFTER_SECONDS died with its
    # process and is marked failed (nothing was saved: the save is one transaction)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    rerun_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("重新运行人"),
    )

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else 0

    @property
    def can_rerun(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def runner(self):
        """Who the hand-outs are recorded against: whoever started the current run."""
        return self.rerun_by or self.created_by


class AidApplication(TimeStampedModel):
    """A worker's own application for hardship aid, from the H5 page."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")  # waiting for the union
        ACCEPTED = "accepted", _("已受理建档")  # a hardship file was opened
        REJECTED = "rejected", _("不予受理")  # with a reply

    code = models.CharField(_("查询码"), max_length=12, unique=True)
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("受理工会")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # what the applicant typed: a person already on file is never edited by an application, the
    # officer sees where these differ from the file ("与档案不一致") and decides
    typed_name = models.CharField(_("申请时填写的姓名"), max_length=50, blank=True)
    typed_phone_encrypted = EncryptedTextField(
        _("申请时填写的手机号码（加密）"), blank=True, editable=False
    )
    employer_name = models.CharField(_("工作单位"), max_length=120, blank=True)
    # consent to the processing of sensitive personal information (PIPL arts. 14, 29)
    consent_version = models.CharField(_("同意的告知版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    level = models.CharField(_("困难类别"), max_length=10, choices=HardshipFile.Level.choices)
    cause = models.CharField(_("致困原因"), max_length=300)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    household_income_amount = models.DecimalField(_("家庭年收入"), **MONEY)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reply = models.CharField(_("答复"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope = ScopeSpec(org="org", owner="user")

    class Meta:
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")

    def __str__(self) -> str:
        return self.code

    @property
    def typed_phone(self) -> str:
        return self.typed_phone_encrypted or ""

    @typed_phone.setter
    def typed_phone(self, value: str) -> None:
        self.typed_phone_encrypted = validators.normalize_mobile(value or "")
