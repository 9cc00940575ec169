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
