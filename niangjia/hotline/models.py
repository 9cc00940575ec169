"""The 12351 hotline desk: consultations (a service even when no case follows) and callbacks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.pii import EncryptedTextField, blind_index
from niangjia.core.scope import ScopeSpec
from niangjia.orgs.models import Org
from niangjia.rights.models import Case

# the rights case categories, plus what a hotline hears that is not a dispute
CATEGORY_CHOICES = [
    *[c for c in Case.Category.choices if c[0] != Case.Category.OTHER],
    ("policy", _("政策咨询")),
    (Case.Category.OTHER, Case.Category.OTHER.label),
]


class Consultation(models.Model):
    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("12351热线")
        WALK_IN = "walk_in", _("来访")
        ONLINE = "online", _("网上")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("已解答")
        REFERRED = "referred", _("已转介")
        CONVERTED = "converted_to_case", _("已转为案件")
        CALLBACK = "callback_needed", _("需回访")

    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("受理工会")
    )
    # the desk's org path, copied so that a subtree's calls are one index range (as on Case)
    org_path = models.CharField(max_length=255, editable=False, default="")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("接听人"),
    )
    caller_phone_encrypted = EncryptedTextField(_("来电号码（加密）"), blank=True, editable=False)
    caller_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    caller_name = models.CharField(_("来电人姓名"), max_length=50, blank=True)
    employer_name = models.CharField(_("用人单位"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("来电时间"))
    duration_seconds = models.PositiveIntegerField(_("通话时长（秒）"), default=0)
    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.HOTLINE
    )
    category = models.CharField(_("类别"), max_length=20, choices=CATEGORY_CHOICES)
    question = models.TextField(_("咨询问题"))
    answer = models.TextField(_("答复内容"), blank=True)
    outcome = models.CharField(
        _("处理结果"), max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("关联案件"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope = ScopeSpec(org="org", path="org_path")

    class Meta:
        verbose_name = _("热线咨询")
        verbose_name_plural = _("热线咨询")
        indexes = [
            # the desk's "earlier calls of this number": equality on the hash, newest first
            models.Index(fields=["caller_phone_hash", "-started_at"], name="consult_phone"),
            # subtree lists and figures: a range on the path, then the time; on PostgreSQL the
            # included columns let the figures read the index alone (measured at 1M calls: without
            # the id the counts visited the heap, 11k pages for a district's year, 114 ms)
            models.Index(
                fields=["org_path", "started_at"],
                include=[
                    "id",
                    "category",
                    "outcome",
                    "duration_seconds",
                    "case",
                    "caller_phone_hash",
                ],
                name="consult_path_started_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="converted_to_case") | Q(case__isnull=False),
                name="consult_converted_has_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.caller_phone_masked or _('未留号码')}"

    # the plaintext is only reachable through this property, so the hash cannot drift from it
    @property
    def caller_phone(self) -> str:
        return self.caller_phone_encrypted or ""

    @caller_phone.setter
    def caller_phone(self, value: str) -> None:
        value = validators.normalize_mobile(value or "")
        self.caller_phone_encrypted = value
        self.caller_phone_hash = blind_index(value) if value else ""

    @property
    def caller_phone_masked(self) -> str:
        return validators.mask_mobile(self.caller_phone)

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class Callback(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("咨询")
    )
    due_at = models.DateTimeField(_("回访时间"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hotline_callbacks",
        verbose_name=_("回访人"),
    )
    note = models.CharField(_("回访事项"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    result_note = models.TextField(_("回访结果"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(org="consultation__org", path="consultation__org_path")

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        indexes = [
            # "my callbacks" and the reminder sweep read open callbacks by due time
            models.Index(
                fields=["assigned_to", "due_at"], condition=Q(done_at__isnull=True), name="cb_open"
            ),
            models.Index(fields=["due_at"], condition=Q(done_at__isnull=True), name="cb_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(result_note=""), name="cb_done_has_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def done_on_time(self) -> bool:
        return self.done_at is not None and self.done_at <= self.due_at
