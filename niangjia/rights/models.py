"""维权 cases: parties, claims, evidence, timeline, agency shares and acts, recoveries, deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.models import TimeStampedModel
from niangjia.core.pii import EncryptedTextField
from niangjia.core.scope import ScopeSpec
from niangjia.core.storage import private_storage
from niangjia.orgs.models import Enterprise, Org, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


def _shared_with(agency_ids: list[int], perm: str) -> Q:
    q = Q(shares__agency_id__in=agency_ids, shares__returned_at__isnull=True)
    if perm != "rights.view":  # acting on a case needs a read-and-act share
        q &= Q(shares__access="act")
    return q


class Case(TimeStampedModel):
    class Source(models.TextChoices):
        WALK_IN = "walk_in", _("来访")
        HOTLINE = "hotline", _("12351热线")
        ONLINE = "online", _("网上投诉")
        COURT_ENTRUSTED = "court_entrusted", _("法院委派/委托调解")
        TRANSFERRED_IN = "transferred_in", _("转入")

    class Category(models.TextChoices):
        WAGES = "wages", _("追索劳动报酬")
        INJURY = "injury", _("工伤待遇")
        TERMINATION = "termination", _("解除/终止劳动合同")
        COMPENSATION = "compensation", _("经济补偿/赔偿金")
        SOCIAL_INSURANCE = "social_insurance", _("社会保险")
        OVERTIME = "overtime", _("加班费")
        RELATIONSHIP = "relationship", _("确认劳动关系")
        OTHER = "other", _("其他")

    class Stage(models.TextChoices):
        INTAKE = "intake", _("登记")  # received, not yet screened
        ACCEPTED = "accepted", _("已受理")  # the union takes it on
        MEDIATION = "mediation", _("调解")
        ARBITRATION = "arbitration", _("仲裁")
        LITIGATION = "litigation", _("诉讼")
        ENFORCEMENT = "enforcement", _("执行")
        CLOSED = "closed", _("已结案")

    class Outcome(models.TextChoices):
        MEDIATED = "mediated", _("调解成功")
        PARTIALLY_MEDIATED = "partially_mediated", _("部分调解")
        WITHDRAWN = "withdrawn", _("撤回/撤诉")
        AWARD = "award", _("裁决")
        JUDGMENT = "judgment", _("判决")
        TRANSFERRED = "transferred", _("移送")
        NOT_ACCEPTED = "not_accepted", _("不予受理")
        TERMINATED = "terminated", _("终止")

    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="cases", verbose_name=_("承办工会")
    )
    # the handling org's tree path, copied so that a subtree's cases are one index range
    # (measured at 1M cases: the join through orgs made PostgreSQL scan every case)
    org_path = models.CharField(max_length=255, editable=False, default="")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("承办人"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.INTAKE, db_index=True
    )
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("用人单位"),
    )
    employer_name = models.CharField(_("用人单位名称"), max_length=120)
    project_name = models.CharField(_("工程项目"), max_length=120, blank=True)
    facts = models.TextField(_("事实与理由"))
    received_on = models.DateField(_("登记日期"))
    infringed_on = models.DateField(
        _("知道权利被侵害之日"), null=True, blank=True, help_text=_("仲裁时效起算")
    )
    employment_ended_on = models.DateField(_("劳动关系终止日"), null=True, blank=True)
    injury_on = models.DateField(_("受伤日期"), null=True, blank=True)
    not_accepted_reason = models.TextField(_("不予受理理由"), blank=True)
    screening_override_reason = models.TextField(_("筛查例外理由"), blank=True)
    agreement_terms = models.TextField(_("调解协议内容"), blank=True)
    agreement_amount = models.DecimalField(_("协议金额"), **MONEY, null=True, blank=True)
    agreement_signed_on = models.DateField(_("协议签订日期"), null=True, blank=True)
    payment_due_on = models.DateField(_("约定履行期限"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    # same phone + employer within minutes means the same complaint sent twice
    intake_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # the submission's idempotency key (issued with the public form, or an API client's
    # Idempotency-Key), hashed with what was submitted: the same submission sent again, however
    # late and however many at once, is the same case (unique per handling union)
    idempotency_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # a public complaint's consent to the processing of sensitive personal information (PIPL
    # arts. 14, 29): the notice version agreed to and when
    consent_version = models.CharField(_("同意的告知版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("关联案件"))

    scope = ScopeSpec(
        org="org", path="org_path", owner="workers__person__user", shared=_shared_with
    )

    class Meta:
        verbose_name = _("维权案件")
        verbose_name_plural = _("维权案件")
        indexes = [
            # the officer's list: their org's cases by stage, newest first
            models.Index(fields=["org", "stage", "-received_on"], name="case_org_stage"),
            models.Index(fields=["-received_on", "id"], name="case_received"),
            # subtree lists and figures: a range on the path, then the date; on PostgreSQL the
            # included columns let counts and figures read the index alone (no heap visits)
            models.Index(
                fields=["org_path", "received_on"],
                include=["id", "stage", "outcome", "category", "closed_on"],
                name="case_org_path_received",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="closed", outcome__gt="") | (~Q(stage="closed") & Q(outcome="")),
                name="case_closed_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["org", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseCounter(models.Model):
    """Case numbers per handling union and year; the row is locked while a number is drawn, so a
    number is never issued twice or reused."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="casecounter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class CaseWorker(models.Model):
    class EmploymentForm(models.TextChoices):
        STANDARD = "standard", _("标准劳动关系")
        DISPATCH = "dispatch", _("劳务派遣")
        PART_TIME = "part_time", _("非全日制用工")
        PLATFORM = "platform", _("新就业形态（平台）")
        SERVICE_CONTRACT = "service_contract", _("劳务/承揽合同")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="workers")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="case_roles", verbose_name=_("职工")
    )
    employment_form = models.CharField(
        _("用工形式"),
        max_length=20,
        choices=EmploymentForm.choices,
        default=EmploymentForm.STANDARD,
    )
    job = models.CharField(_("岗位"), max_length=60, blank=True)
    is_representative = models.BooleanField(_("代表人"), default=False)
    # what was typed for this party: a person already on file is never edited by a complaint;
    # the officer sees where these differ from the file ("与档案不一致") and decides
    typed_name = models.CharField(_("登记时填写的姓名"), max_length=50, blank=True)
    typed_phone_encrypted = EncryptedTextField(
        _("登记时填写的手机号码（加密）"), blank=True, editable=False
    )

    class Meta:
        verbose_name = _("当事职工")
        verbose_name_plural = _("当事职工")
        # "workers involved" counts distinct people over a subtree's cases from the index alone
        indexes = [models.Index(fields=["case"], include=["person"], name="caseworker_case_person")]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="caseworker_unique")]

    def __str__(self) -> str:
        return f"{self.case} · {self.person}"

    @property
    def typed_phone(self) -> str:
        return self.typed_phone_encrypted or ""

    @property
    def display_name(self) -> str:
        """The party's name as given for this case (the file's name for older rows)."""
        return self.typed_name or self.person.name

    @property
    def display_phone_masked(self) -> str:
        return validators.mask_mobile(self.typed_phone) if self.typed_phone else ""

    @typed_phone.setter
    def typed_phone(self, value: str) -> None:
        self.typed_phone_encrypted = validators.normalize_mobile(value or "")


class ClaimItem(models.Model):
    class Kind(models.TextChoices):
        WAGES = "wages", _("拖欠工资")
        OVERTIME = "overtime", _("加班费")
        ECONOMIC_COMPENSATION = "economic_compensation", _("经济补偿")
        DAMAGES = "damages", _("赔偿金")
        DOUBLE_WAGE = "double_wage", _("未签合同二倍工资")
        INJURY = "injury", _("工伤待遇")
        SOCIAL_INSURANCE = "social_insurance", _("社会保险")
        ANNUAL_LEAVE = "annual_leave", _("未休年休假工资")
        OTHER = "other", _("其他")

    @classmethod
    def kind_for_category(cls, category: str) -> str:
        """The claim a complaint of this case category usually makes, for forms that take one
        amount (the public complaint, the hotline, the intake assistant). 经济补偿 for both
        dismissal categories: 赔偿金 (art.87) needs the termination found unlawful first."""
        return _CLAIM_FOR_CATEGORY.get(category, cls.Kind.OTHER)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    worker = models.ForeignKey(
        CaseWorker,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("职工"),
    )
    kind = models.CharField(_("请求事项"), max_length=24, choices=Kind.choices)
    amount = models.DecimalField(_("请求金额"), **MONEY)
    period_start = models.DateField(_("期间起"), null=True, blank=True)
    period_end = models.DateField(_("期间止"), null=True, blank=True)
    # the calculator and its inputs when the amount was computed (kept to show the working)
    calculation = models.JSONField(_("计算依据"), default=dict, blank=True)
    # computed inside the case with one of rights.calculators: which one, the validated inputs
    # and the whole result (figures, articles, notes), so the claim shows how it was reached
    calculator = models.CharField(_("计算器"), max_length=32, blank=True)
    calculator_inputs = models.JSONField(_("计算输入"), default=dict, blank=True)
    calculator_result = models.JSONField(_("计算结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("请求事项")
        verbose_name_plural = _("请求事项")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def calculator_title(self) -> str:
        from niangjia.rights.documents import calculator_title

        return calculator_title(self.calculator) if self.calculator else ""

    @property
    def calculator_input_rows(self) -> list[tuple[str, str]]:
        """The inputs of a computed claim with their Chinese labels, for "计算依据"."""
        from niangjia.rights.documents import input_rows

        return input_rows(self.calculator_inputs or {}, self.calculator)


_CLAIM_FOR_CATEGORY = {
    Case.Category.WAGES: ClaimItem.Kind.WAGES,
    Case.Category.OVERTIME: ClaimItem.Kind.OVERTIME,
    Case.Category.INJURY: ClaimItem.Kind.INJURY,
    Case.Category.TERMINATION: ClaimItem.Kind.ECONOMIC_COMPENSATION,
    Case.Category.COMPENSATION: ClaimItem.Kind.ECONOMIC_COMPENSATION,
    Case.Category.SOCIAL_INSURANCE: ClaimItem.Kind.SOCIAL_INSURANCE,
}


class ContractorLink(models.Model):
    """Construction wage arrears: the chain from general contractor down to the team leader, since
    the general contractor answers first (保障农民工工资支付条例 art.29-30)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("施工总承包单位")
        SUB = "sub", _("分包单位")
        TEAM_LEADER = "team_leader", _("班组长/包工头")
        OWNER = "owner", _("建设单位")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contractors")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    name = models.CharField(_("名称/姓名"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.case_id}/{instance.sha256[:16]}-{filename}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, storage=private_storage)
    original_name = models.CharField(_("文件名"), max_length=200)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    # the digest at upload time proves later that the file is unchanged
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    uploaded_by_org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")

    def __str__(self) -> str:
        return self.original_name


class CaseShare(models.Model):
    """A partner agency's part in a case: shared (read or act), transferred with the whole file, or
    a referral to the police. Handing back closes the share; the row stays as history."""

    class Kind(models.TextChoices):
        SHARE = "share", _("共享")
        TRANSFER = "transfer", _("移交")
        POLICE_REFERRAL = "police_referral", _("移送公安（涉嫌拒不支付劳动报酬罪）")
        ENTRUSTED = "entrusted", _("法院委派调解")

    class Access(models.TextChoices):
        READ = "read", _("只读")
        ACT = "act", _("可办理")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="case_shares",
        limit_choices_to={"kind": "agency"},
        verbose_name=_("协作单位"),
    )
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices, default=Kind.SHARE)
    access = models.CharField(_("权限"), max_length=8, choices=Access.choices, default=Access.READ)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    returned_at = models.DateTimeField(_("交回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协作共享")
        verbose_name_plural = _("协作共享")
        constraints = [
            # one open share per agency and case; after hand-back a new share may be opened
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(returned_at__isnull=True),
                name="caseshare_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.agency}"


class AgencyAct(models.Model):
    class Kind(models.TextChoices):
        FILED = "filed", _("立案")
        ACCEPTED = "accepted", _("受理")
        AWARD = "award", _("裁决")
        JUDGMENT = "judgment", _("判决")
        ENFORCEMENT = "enforcement", _("执行")
        INSPECTION_ORDER = "inspection_order", _("监察指令书")
        JUDICIAL_CONFIRMATION = "judicial_confirmation", _("司法确认")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_acts")
    agency = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    on = models.DateField(_("日期"))
    document_number = models.CharField(_("文书编号"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.agency} {self.get_kind_display()}"


class Recovery(models.Model):
    """One payment recovered for the workers: a ledger row, never edited, so totals are sums."""

    class Kind(models.TextChoices):
        WAGES = "wages", _("工资")
        COMPENSATION = "compensation", _("经济补偿")
        INJURY = "injury", _("工伤待遇")
        DAMAGES = "damages", _("赔偿金")
        OTHER = "other", _("其他")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recoveries")
    amount = models.DecimalField(_("金额"), **MONEY)
    on = models.DateField(_("到账日期"))
    payer = models.CharField(_("支付方"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    over_claim_reason = models.CharField(_("超出请求的理由"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("追回款项")
        verbose_name_plural = _("追回款项")
        indexes = [models.Index(fields=["case"], include=["amount"], name="recovery_case_amount")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.amount}"


class RecoveryShare(models.Model):
    """How one recovery splits between the workers of a group case."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="shares")
    worker = models.ForeignKey(CaseWorker, on_delete=models.CASCADE, related_name="recoveries")
    amount = models.DecimalField(**MONEY)

    def __str__(self) -> str:
        return f"{self.worker} {self.amount}"


class Deadline(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已撤销")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(_("规则"), max_length=40)
    name = models.CharField(_("期限"), max_length=80)
    legal_basis = models.CharField(_("法律依据"), max_length=120)
    start = models.DateField(_("起算事件日"))
    due = models.DateField(_("届满日"), db_index=True)
    moved_for_holiday = models.BooleanField(default=False)
    calendar_complete = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # interruptions and suspensions (调解仲裁法 art.27), in order; the due date is recomputed from all
    events = models.JSONField(default=list, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        indexes = [
            # the reminder sweep and the officer's home page read open deadlines by due date
            models.Index(fields=["due"], condition=Q(status="open"), name="deadline_open_due")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.due}"


class TimelineEntry(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("登记")
        TRANSITION = "transition", _("阶段变更")
        NOTE = "note", _("备注")
        SHARE = "share", _("共享/移交")
        RETURN = "return", _("交回")
        AGENCY_ACT = "agency_act", _("协作单位办理")
        RECOVERY = "recovery", _("追回款项")
        EVIDENCE = "evidence", _("证据材料")
        DEADLINE = "deadline", _("期限")
        RATING = "rating", _("评价")
        DOCUMENT = "document", _("文书")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("仅内部")  # the handling union's staff
        PARTNER = "partner", _("共享给协作单位")  # and agencies the case is shared with
        WORKER = "worker", _("职工可见")  # and the workers of the case

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # who beyond the handling union reads a note (other kinds of entry are shown by kind)
    visibility = models.CharField(
        _("可见范围"), max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    actor_org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CaseRating(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评价"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.score}"


def document_path(instance: CaseDocument, filename: str) -> str:
    return f"documents/{instance.case_id}/{instance.kind}-v{instance.version}-{filename}"


class DocumentImmutable(ValueError):
    """A generated version was about to change: versions are immutable, signing is one-way."""


class CaseDocument(models.Model):
    """One generated version of a case document (DOCX and PDF from the same data). Versions are
    immutable: regenerating adds the next version; marking signed is one-way and a signed
    version's files and scan are never replaced."""

    class Kind(models.TextChoices):
        MEDIATION_AGREEMENT = "mediation_agreement", _("调解协议书")
        ARBITRATION_APPLICATION = "arbitration_application", _("仲裁申请书")
        CASE_SUMMARY = "case_summary", _("案件摘要")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书"), max_length=24, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    docx = models.FileField(upload_to=document_path, storage=private_storage, max_length=200)
    pdf = models.FileField(upload_to=document_path, storage=private_storage, max_length=200)
    docx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    signed = models.BooleanField(_("已签署"), default=False)
    signed_at = models.DateTimeField(_("签署登记时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_scan = models.FileField(
        _("签署扫描件"),
        upload_to=document_path,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    signed_scan_name = models.CharField(max_length=200, blank=True)
    signed_scan_sha256 = models.CharField(max_length=64, blank=True)

    FROZEN = ("case_id", "kind", "version", "docx", "pdf", "docx_sha256", "pdf_sha256")
    FROZEN_WHEN_SIGNED = ("signed_at", "signed_by_id", "signed_scan", "signed_scan_sha256")

    class Meta:
        verbose_name = _("案件文书")
        verbose_name_plural = _("案件文书")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "version"], name="casedocument_version")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            old = type(self).objects.filter(pk=self.pk).first()
            if old is not None:
                self._check_unchanged(old)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.signed:
            raise DocumentImmutable("a signed document is kept")
        return super().delete(*args, **kwargs)

    def _check_unchanged(self, old: CaseDocument) -> None:
        def value(obj, name):
            v = getattr(obj, name)
            return v.name if hasattr(v, "name") and not isinstance(v, str) else v

        changed = [f for f in self.FROZEN if value(self, f) != value(old, f)]
        if old.signed:
            if not self.signed:
                raise DocumentImmutable("a signed document cannot be unsigned")
            changed += [f for f in self.FROZEN_WHEN_SIGNED if value(self, f) != value(old, f)]
        if changed:
            raise DocumentImmutable(f"document versions are immutable: {changed}")
