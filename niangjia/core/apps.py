from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "niangjia.core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.db.models.signals import post_migrate

        from niangjia.core import lockout, nav, notify, security, tokens  # noqa: F401 - signals

        # #11 §4: the field-encryption key check value is written on the first migrate
        post_migrate.connect(security.write_key_check, sender=self)

        # #11 §4: production never runs the console SMS backend (it prints phones and codes)
        if not settings.DEBUG:
            error = notify.development_backend_error(settings.SMS_BACKEND)
            if error:
                raise ImproperlyConfigured(error)

        # the statutory holiday calendar is maintained by national administrators
        nav.register_staff(
            nav.NavItem(_("法定节假日"), "staff:calendar", perm="roles.manage", icon="calendar3")
        )
