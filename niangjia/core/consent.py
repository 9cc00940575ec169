"""Consent to the processing of sensitive personal information (个人信息保护法 arts. 14, 29).

Every public form that collects an ID number, income, health or family data shows a short notice
(who keeps the data, for what, how long: templates/_privacy_notice.html) and a separate, unticked
checkbox. A submission without it is refused; with it, the notice version and the time are stored
with the submission, so what the person agreed to can be shown later."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

REQUIRED_MESSAGE = _("请阅读上方的个人信息处理说明，并勾选同意处理您的敏感个人信息后再提交")
LABEL = _(
    "我已阅读上述说明，单独同意工会为办理本事项处理我的敏感个人信息（身份证号码、收入、健康、家庭等情况）"
)


def current_version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


def consent_field() -> forms.BooleanField:
    """The separate, unticked consent checkbox; leaving it unticked is a form error that keeps
    everything else typed."""
    return forms.BooleanField(
        label=LABEL, required=True, initial=False, error_messages={"required": REQUIRED_MESSAGE}
    )


def version_if_given(given: bool) -> str:
    """The notice version to store with a submission whose consent box was ticked, else ""."""
    return current_version() if given else ""


# what each form's notice says the data is for and who keeps it
_PURPOSES = {
    "care_application": (
        _("您选择的受理工会及其上级工会"),
        _("审核困难帮扶申请、建立困难职工档案、发放帮扶款物并与您联系"),
    ),
    "complaint": (
        _("您选择的受理工会；经您同意或依法需要时，案件共享给参与办理的仲裁委、法院、人社部门"),
        _("受理和办理您的劳动维权投诉、计算请求金额、向您通报办理进展"),
    ),
    "binding": (
        _("登记您档案的工会"),
        _("核实您是档案本人，并将您的账号与档案绑定，以便您查看自己的案件和帮扶记录"),
    ),
}


def notice_context(purpose: str) -> dict:
    """What templates/_privacy_notice.html shows for one form."""
    keeper, use = _PURPOSES[purpose]
    return {
        "keeper": keeper,
        "use": use,
        "years": settings.PRIVACY_RETENTION_YEARS,
        "version": current_version(),
    }
