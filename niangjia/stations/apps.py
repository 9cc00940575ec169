from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "niangjia.stations"
    verbose_name = _("工会驿站")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from niangjia.core import nav
        from niangjia.core.audit import tracked_fields

        from . import models

        auditlog.register(models.Station, include_fields=tracked_fields(models.Station))
        auditlog.register(
            models.StationException, include_fields=tracked_fields(models.StationException)
        )
        auditlog.register(models.Report, include_fields=tracked_fields(models.Report))
        auditlog.register(models.Tally, include_fields=tracked_fields(models.Tally))
        auditlog.register(models.StationEvent, include_fields=tracked_fields(models.StationEvent))

        nav.register_staff(
            nav.NavItem(_("驿站"), "stations:station-list", perm="stations.view", icon="cup-hot")
        )
        nav.register_public(
            nav.NavItem(
                _("找驿站"),
                "stations_public:map",
                icon="geo-alt",
                description=_("附近的工会驿站：歇脚、喝热水、充电"),
            )
        )
