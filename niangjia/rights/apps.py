from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "niangjia.rights"
    verbose_name = _("职工维权")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from niangjia.core import nav
        from niangjia.core.audit import tracked_fields

        from . import models, views

        auditlog.register(
            models.Case,
            include_fields=tracked_fields(models.Case, ["intake_fingerprint", "idempotency_key"]),
        )
        auditlog.register(models.CaseShare, include_fields=tracked_fields(models.CaseShare))
        auditlog.register(models.Recovery, include_fields=tracked_fields(models.Recovery))
        auditlog.register(models.AgencyAct, include_fields=tracked_fields(models.AgencyAct))

        nav.register_staff(
            nav.NavItem(_("维权"), "rights:case-list", perm="rights.view", icon="shield-check")
        )
        nav.register_public(
            nav.NavItem(
                _("我要维权"),
                "rights_public:complaint",
                icon="shield-check",
                description=_("欠薪、工伤、解除合同，在线反映"),
            )
        )
        nav.register_public(
            nav.NavItem(
                _("查询案件进度"),
                "rights_public:lookup",
                icon="search",
                description=_("凭案件编号和手机号码查询"),
            )
        )
        nav.register_public(nav.NavItem(_("维权计算器"), "rights_public:calculators", icon="calculator", description=_("经济补偿、工伤待遇、加班费……")))  # noqa: E501  # fmt: skip
        nav.register_home_panel(views.deadlines_panel)

        # a worker's cases are part of their file in the "who looked at my file" report
        from niangjia.core.audit import register_person_records

        register_person_records(lambda person: models.Case.objects.filter(workers__person=person))
