from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "niangjia.orgs"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from niangjia.core import nav

        from . import models

        auditlog.register(models.Org)
        auditlog.register(models.Enterprise)
        # Personal data never enters the change log: encrypted columns and their blind indexes are
        # excluded, so the log cannot become an unencrypted copy of ID numbers and phones.
        auditlog.register(
            models.Person,
            exclude_fields=[
                "id_number_encrypted",
                "id_number_hash",
                "phone_encrypted",
                "phone_hash",
            ],
        )
        auditlog.register(models.Member)
        auditlog.register(models.StaffRole)

        nav.register_staff(
            nav.NavItem(_("组织"), "orgs:org-list", perm="orgs.view", icon="diagram-3")
        )
        nav.register_staff(
            nav.NavItem(_("企业"), "orgs:enterprise-list", perm="enterprises.view", icon="building")
        )
        nav.register_staff(
            nav.NavItem(_("人员"), "orgs:person-list", perm="people.view", icon="people")
        )
