from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "niangjia.rights"
    verbose_name = _("职工维权")
