from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "niangjia.hotline"
    verbose_name = _("12351热线")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from niangjia.core import nav
        from niangjia.core.audit import tracked_fields

        from . import models, services, views

        # the phone never enters the change log (it would be a plaintext copy)
        auditlog.register(
            models.Consultation,
            include_fields=tracked_fields(
                models.Consultation, exclude=["caller_phone_encrypted", "caller_phone_hash"]
            ),
        )
        auditlog.register(
            models.Callback, include_fields=tracked_fields(models.Callback, ["reminded_at"])
        )
        nav.register_staff(
            nav.NavItem(
                _("12351热线"),
                "hotline:desk",
                perm="rights.edit",
                icon="telephone",
                visible=services.may_use_desk,
            )
        )
        nav.register_home_panel(views.callbacks_panel)

        # calls from the phone on file are part of the person's file ("who looked at my file")
        from niangjia.core.audit import register_person_records

        register_person_records(
            lambda person: (
                models.Consultation.objects.filter(caller_phone_hash=person.phone_hash)
                if person.phone_hash
                else models.Consultation.objects.none()
            )
        )
