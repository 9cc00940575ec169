from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "niangjia.core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from niangjia.core import lockout, nav, tokens  # noqa: F401 - connect their signals

        # the statutory holiday calendar is maintained by national administrators
        nav.register_staff(
            nav.NavItem(_("法定节假日"), "staff:calendar", perm="roles.manage", icon="calendar3")
        )
