"""Shared base models and the access log for views of sensitive records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """Who looked at (or revealed) which sensitive record, and when. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")  # opened the record's page or API detail
        REVEAL = "reveal", _("显示完整信息")  # unmasked an ID number or phone
        EXPORT = "export", _("导出")  # included in an export file

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("用户")
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("对象"), max_length=200)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("访问记录")
        verbose_name_plural = _("访问记录")
        # "who viewed this record" is the question asked of the log
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.target_repr}"

    def delete(self, *args, **kwargs):
        raise PermissionError("access log entries are append-only")


class OfficialYear(TimeStampedModel):
    """A year's official holiday schedule as entered by staff, from the State Council's notice
    (国务院办公厅关于某年部分节假日安排的通知).

    Years the chinese-calendar package knows need no row; a row here marks a later (or corrected)
    year. Written only through niangjia.core.calendar.official_year_save, which also refreshes the
    in-process calendar cache."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(
        _("已完整录入"), default=True, help_text=_("已按国务院通知录入全部放假日和调休上班日")
    )
    source = models.CharField(_("通知文号/来源"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    class Meta:
        verbose_name = _("法定节假日安排（年度）")
        verbose_name_plural = _("法定节假日安排（年度）")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class OfficialDay(models.Model):
    """One day of an entered schedule: a holiday (休) or a make-up working day (调休上班, 班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休")  # statutory holiday or a day off in lieu: a rest day
        WORKDAY = "workday", _("班")  # make-up working day (usually a weekend): a working day

    official_year = models.ForeignKey(
        OfficialYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法定节假日/调休日")
        verbose_name_plural = _("法定节假日/调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name} {self.get_kind_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.official_year_id and self.date and self.date.year != self.official_year.year:
            raise ValidationError({"date": _("日期必须在所属年度内。")})


class KeyCheck(models.Model):
    """A known value encrypted with FIELD_ENCRYPTION_KEY on the first migrate: every start must
    decrypt it (core.security), so a wrong key stops the start instead of showing "not found".
    The token is plain text here on purpose: a wrong key must be caught, not raised on read."""

    name = models.CharField(max_length=32, unique=True)
    token = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("密钥校验值")
        verbose_name_plural = _("密钥校验值")

    def __str__(self) -> str:
        return self.name
