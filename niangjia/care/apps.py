from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "niangjia.care"
    verbose_name = _("送温暖与帮扶")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from niangjia.core import nav
        from niangjia.core.audit import tracked_fields

        from . import models

        auditlog.register(models.Campaign, include_fields=tracked_fields(models.Campaign))
        auditlog.register(models.ItemType)
        auditlog.register(models.BudgetApproval)
        # the bank card never enters the change log (it would be a plaintext copy)
        auditlog.register(
            models.Beneficiary,
            include_fields=tracked_fields(models.Beneficiary, exclude=["bank_card_encrypted"]),
        )
        auditlog.register(models.HardshipFile)
        auditlog.register(
            models.Distribution,
            include_fields=tracked_fields(models.Distribution, exclude=["sms_code_hash"]),
        )
        auditlog.register(models.EnterpriseVisit)
        auditlog.register(models.AidApplication)
        # a person's care register rows are part of their file ("who looked at my file")
        from niangjia.core.audit import register_person_records

        register_person_records(lambda person: models.Beneficiary.objects.filter(person=person))

        nav.register_staff(
            nav.NavItem(_("送温暖"), "care:campaign-list", perm="care.view", icon="gift")
        )
        nav.register_public(
            nav.NavItem(
                _("困难帮扶"),
                "care_public:home",
                icon="heart",
                description=_("申请困难帮扶，查看慰问记录"),
            )
        )
