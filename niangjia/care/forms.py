from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from niangjia.care.models import (
    Beneficiary,
    Distribution,
    HardshipFile,
    ItemType,
    TargetGroup,
)
from niangjia.core import spreadsheets, validators
from niangjia.core.consent import consent_field
from niangjia.core.forms import StyledFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clean_id(value: str) -> str:
    value = validators.normalize_resident_id(value or "")
    if message := validators.resident_id_error(value):
        raise forms.ValidationError(message)
    return value


def _clean_phone(value: str, required: bool = False) -> str:
    value = validators.normalize_mobile(value or "")
    if not value:
        if required:
            raise forms.ValidationError(_("请填写手机号码"))
        return ""
    if message := validators.mobile_error(value):
        raise forms.ValidationError(message)
    return value


class CampaignForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=120)
    org = forms.ModelChoiceField(label=_("主办组织"), queryset=None)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    budget_amount = forms.DecimalField(
        label=_("预算（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    target_groups = forms.MultipleChoiceField(
        label=_("慰问对象"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.CharField(
        label=_("工作小组"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个小组及成员"),
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("走访企业/站点"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("按住 Ctrl 可多选"),
    )

    def __init__(self, *args, orgs, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["enterprises"].queryset = (
            enterprises if enterprises is not None else orgs.none()
        )
        self.fields["target_groups"].widget.attrs["class"] = "list-unstyled"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        return data


class ItemForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=ItemType.Kind.choices)
    unit_value = forms.DecimalField(
        label=_("单价/每人限额（元）"), max_digits=14, decimal_places=2, min_value=0, initial=0
    )


class DistributionForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=30, help_text=_("输入帮扶对象的身份证号码")
    )
    item = forms.ModelChoiceField(label=_("慰问项目"), queryset=None)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("仅慰问金填写；慰问品按单价计算"),
    )
    receipt_kind = forms.ChoiceField(
        label=_("签收方式"),
        choices=[
            (Distribution.ReceiptKind.SIGNATURE, _("签名图片")),
            (Distribution.ReceiptKind.SMS, _("短信验证码")),
        ],
        widget=forms.RadioSelect,
        initial=Distribution.ReceiptKind.SIGNATURE,
    )
    signature = forms.FileField(label=_("签名图片"), required=False)
    payment_method = forms.ChoiceField(
        label=_("慰问金支付方式"),
        choices=[("", _("—")), *Distribution.PaymentMethod.choices[1:]],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("跨活动重复说明"),
        max_length=200,
        required=False,
        help_text=_("该职工本季已在其他活动中获得帮扶时，须填写说明"),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["receipt_kind"].widget.attrs["class"] = "list-unstyled"

    def clean_id_number(self):
        return _clean_id(self.cleaned_data["id_number"])


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)


class PaymentForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("支付状态"),
        choices=[
            (Distribution.PaymentStatus.PAID, _("已支付")),
            (Distribution.PaymentStatus.FAILED, _("支付失败")),
        ],
    )
    reason = forms.CharField(label=_("失败原因"), max_length=200, required=False)


class VisitForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业/站点"), queryset=None)
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    team = forms.CharField(label=_("走访小组"), max_length=120)
    workers_met = forms.IntegerField(label=_("慰问职工人数"), min_value=0, initial=0)
    items_left = forms.CharField(label=_("留下物品"), max_length=200, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        # size, a real .xlsx, its unpacked size: before any parsing (issue #11 §5)
        spreadsheets.check_xlsx(upload, max_rows=settings.IMPORT_MAX_ROWS)
        return upload


class BudgetRequestForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("追加金额（元）"), max_digits=14, decimal_places=2, min_value=0.01
    )
    reason = forms.CharField(label=_("理由"), max_length=200)


class BeneficiaryForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("登记组织"), queryset=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=TargetGroup.choices)
    employer = forms.ModelChoiceField(label=_("工作单位"), queryset=None, required=False)
    platform = forms.ChoiceField(
        label=_("平台"), choices=Beneficiary.Platform.choices, required=False
    )
    depot = forms.ModelChoiceField(label=_("站点"), queryset=None, required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=50, required=False)
    bank_card = forms.CharField(label=_("银行卡号"), max_length=30, required=False)

    def __init__(self, *args, orgs, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["employer"].queryset = enterprises
        self.fields["depot"].queryset = enterprises

    def clean_id_number(self):
        return _clean_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])


class HardshipForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("困难类别"), choices=HardshipFile.Level.choices)
    cause = forms.CharField(label=_("致困原因"), max_length=200)
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    household_income_amount = forms.DecimalField(
        label=_("家庭年收入（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    status = forms.ChoiceField(label=_("档案状态"), choices=HardshipFile.Status.choices)
    next_review_on = forms.DateField(label=_("下次复核日期"), widget=DATE)


class ApplicationForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("向哪个工会申请"), queryset=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30)
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    employer_name = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    level = forms.ChoiceField(label=_("困难情形"), choices=HardshipFile.Level.choices)
    cause = forms.CharField(
        label=_("致困原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    household_income_amount = forms.DecimalField(
        label=_("家庭年收入（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    consent = consent_field()

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_id_number(self):
        return _clean_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"], required=True)


class LookupForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=12)
    phone = forms.CharField(label=_("在工会登记的手机号码"), max_length=20)

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"], required=True)


class DecideForm(StyledFormMixin, forms.Form):
    reply = forms.CharField(label=_("答复"), max_length=200, required=False)
