"""The intake assistant's records: each analysis an operator ran (with the complaint text,
encrypted) and each field the operator confirmed or corrected, kept to improve the rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core.pii import EncryptedTextField
from niangjia.core.scope import ScopeSpec
from niangjia.orgs.models import Org


class IntakeAnalysis(models.Model):
    org = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        null=True,  # a superuser without a role analyses for no particular union
        blank=True,
        related_name="intake_analyses",
        verbose_name=_("工会"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intake_analyses",
        verbose_name=_("分析人"),
    )
    created_at = models.DateTimeField(_("分析时间"), auto_now_add=True, db_index=True)
    # the complaint is personal data: stored encrypted, never searched
    text = EncryptedTextField(_("投诉原文"))
    suggestions = models.JSONField(_("建议结果"), default=dict)  # the API's fields + explanations
    analyser_version = models.CharField(_("分析规则版本"), max_length=20)
    reviewed_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    # the values after the operator's review: what a case is registered with
    confirmed = models.JSONField(_("核对结果"), default=dict, blank=True)

    # a union's staff see their subtree's analyses; everyone sees their own
    scope = ScopeSpec(org="org", owner="user", owner_via_person=False)

    class Meta:
        verbose_name = _("接诉分析")
        verbose_name_plural = _("接诉分析")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{_('接诉分析')} #{self.pk}"


class IntakeCorrection(models.Model):
    """One field of one reviewed analysis: the suggestion and what the operator kept."""

    class Field(models.TextChoices):
        CATEGORY = "category", _("类别")
        AMOUNTS = "amounts", _("金额")
        WORKERS_COUNT = "workers_count", _("人数")
        EMPLOYER = "employer", _("用人单位")
        DATES = "dates", _("日期")
        URGENCY = "urgency", _("紧急程度")
        SIGNALS = "signals", _("信号")

    analysis = models.ForeignKey(
        IntakeAnalysis, on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(_("字段"), max_length=20, choices=Field.choices)
    suggested = models.JSONField(_("建议值"), null=True, blank=True)
    corrected = models.JSONField(_("核对值"), null=True, blank=True)
    accepted = models.BooleanField(_("采纳建议"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intake_corrections",
        verbose_name=_("核对人"),
    )
    at = models.DateTimeField(_("核对时间"), auto_now=True)

    scope = ScopeSpec(org="analysis__org", owner="analysis__user", owner_via_person=False)

    class Meta:
        verbose_name = _("接诉核对")
        verbose_name_plural = _("接诉核对")
        constraints = [
            # a second review of the same analysis updates its rows instead of adding more
            models.UniqueConstraint(fields=["analysis", "field"], name="intakecorrection_unique")
        ]
        indexes = [
            # the corrections report: per field, corrected ones first, newest first
            models.Index(fields=["field", "accepted", "-at"], name="intakecorrection_report")
        ]

    def __str__(self) -> str:
        return f"{self.analysis_id} {self.field} {'✓' if self.accepted else '✗'}"
