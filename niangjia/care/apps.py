from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "niangjia.care"
    verbose_name = _("送温暖与帮扶")
