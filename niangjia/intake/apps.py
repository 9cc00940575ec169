from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "niangjia.intake"
    verbose_name = _("接诉助手")

    def ready(self) -> None:
        from niangjia.core import nav

        from . import services

        # the navigation is flat: the entry sits next to 维权, visible to those who register cases
        nav.register_staff(
            nav.NavItem(
                _("接诉助手"),
                "intake:analyse",
                perm="rights.edit",
                icon="magic",
                visible=services.may_use,
            )
        )
