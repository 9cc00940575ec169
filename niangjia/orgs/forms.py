from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.consent import consent_field
from niangjia.core.forms import StyledFormMixin
from niangjia.orgs.models import Enterprise, Org


class OrgForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Org
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "grassroots_type",
            "agency_type",
            "region_code",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].required = False


class EnterpriseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "industry", "size", "employee_count", "address", "org"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs

    def clean_credit_code(self) -> str:
        code = validators.normalize_credit_code(self.cleaned_data["credit_code"])
        validators.validate_credit_code(code)
        return code


class PersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    employer = forms.ModelChoiceField(
        label=_("工作单位"), queryset=Enterprise.objects.none(), required=False
    )

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["employer"].queryset = enterprises

    def clean_id_number(self) -> str:
        value = validators.normalize_resident_id(self.cleaned_data["id_number"])
        if value:
            validators.validate_resident_id(value)
        return value

    def clean_phone(self) -> str:
        value = validators.normalize_mobile(self.cleaned_data["phone"])
        if value:
            validators.validate_mobile(value)
        return value


class BindRequestForm(StyledFormMixin, forms.Form):
    """绑定我的档案, step 1: the ID number and the phone the union has on file."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=30)
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, help_text=_("请填写您在工会登记的手机号码")
    )
    consent = consent_field()

    def clean_id_number(self) -> str:
        value = validators.normalize_resident_id(self.cleaned_data["id_number"])
        validators.validate_resident_id(value)
        return value

    def clean_phone(self) -> str:
        value = validators.normalize_mobile(self.cleaned_data["phone"])
        validators.validate_mobile(value)
        return value


class BindConfirmForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)


class LinkUserForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("平台账号（用户名）"), max_length=150)
