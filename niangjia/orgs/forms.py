from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
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
