from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.consent import consent_field
from niangjia.core.forms import StyledFormMixin
from niangjia.orgs.models import Org
from niangjia.rights.models import (
    AgencyAct,
    Case,
    CaseShare,
    CaseWorker,
    ClaimItem,
    Recovery,
    TimelineEntry,
)

DATE = forms.DateInput(attrs={"type": "date"})


class CaseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    stage = forms.ChoiceField(
        label=_("阶段"), choices=[("", _("全部阶段")), *Case.Stage.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *Case.Category.choices], required=False
    )
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)
    received_from = forms.DateField(label=_("登记日期起"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("登记日期止"), required=False, widget=DATE)
    org = forms.ModelChoiceField(label=_("组织"), queryset=Org.objects.none(), required=False)
    officer = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False)

    def __init__(self, *args, orgs=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        if officers is None:
            officers = get_user_model().objects.none()
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username


class CaseForm(StyledFormMixin, forms.Form):
    """Intake by staff: one or more workers (one per line), the employer and the claims."""

    source = forms.ChoiceField(label=_("来源"), choices=Case.Source.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Case.Category.choices)
    employer_name = forms.CharField(label=_("用人单位"), max_length=120)
    project_name = forms.CharField(
        label=_("工程项目（建设领域欠薪）"), max_length=120, required=False
    )
    workers = forms.CharField(
        label=_("职工（每行一人：姓名 手机号码 身份证号码(可选)）"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    employment_form = forms.ChoiceField(
        label=_("用工形式"), choices=CaseWorker.EmploymentForm.choices
    )
    claim_kind = forms.ChoiceField(label=_("请求事项"), choices=ClaimItem.Kind.choices)
    claim_amount = forms.DecimalField(
        label=_("请求金额（元）"), min_value=0, decimal_places=2, max_digits=14
    )
    facts = forms.CharField(label=_("事实与理由"), widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(label=_("登记日期"), widget=DATE, required=False)
    infringed_on = forms.DateField(label=_("知道权利被侵害之日"), widget=DATE, required=False)
    employment_ended_on = forms.DateField(label=_("劳动关系终止日"), widget=DATE, required=False)
    injury_on = forms.DateField(label=_("受伤日期"), widget=DATE, required=False)
    # issued with the form: a double click or a resend registers one case (#11 §3)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            import uuid

            self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def clean_workers(self) -> list[dict]:
        rows = []
        for number, line in enumerate(self.cleaned_data["workers"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            name, phone, id_number = parts[0], "", ""
            for part in parts[1:]:
                if len(validators.normalize_mobile(part)) == 11 and part.lstrip("+").isdigit():
                    phone = part
                else:
                    id_number = part
            if phone and (msg := validators.mobile_error(validators.normalize_mobile(phone))):
                raise forms.ValidationError(_("第%(n)d行：%(msg)s") % {"n": number, "msg": msg})
            normalized = validators.normalize_resident_id(id_number)
            if id_number and (msg := validators.resident_id_error(normalized)):
                raise forms.ValidationError(_("第%(n)d行：%(msg)s") % {"n": number, "msg": msg})
            rows.append({"name": name, "phone": phone, "id_number": id_number})
        if not rows:
            raise forms.ValidationError(_("请至少填写一名职工"))
        return rows


class TransitionForm(StyledFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[("", "—")] + [c for c in Case.Outcome.choices if c[0] != "not_accepted"],
        required=False,
    )
    reason = forms.CharField(label=_("不予受理理由"), required=False)
    override_reason = forms.CharField(label=_("筛查例外理由"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class AgreementForm(StyledFormMixin, forms.Form):
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(
        label=_("协议金额（元）"), min_value=0, decimal_places=2, max_digits=14
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    payment_due_on = forms.DateField(label=_("履行期限"), widget=DATE, required=False)


class ShareForm(StyledFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("协作单位"), queryset=Org.objects.none())
    kind = forms.ChoiceField(
        label=_("方式"), choices=[c for c in CaseShare.Kind.choices if c[0] != "entrusted"]
    )
    access = forms.ChoiceField(label=_("权限"), choices=CaseShare.Access.choices)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class RecoveryForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("金额（元）"), min_value=0.01, decimal_places=2, max_digits=14
    )
    on = forms.DateField(label=_("到账日期"), widget=DATE)
    payer = forms.CharField(label=_("支付方"), max_length=120)
    kind = forms.ChoiceField(label=_("类别"), choices=Recovery.Kind.choices)
    over_claim_reason = forms.CharField(label=_("超出请求的理由（如有）"), required=False)


class ActForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=AgencyAct.Kind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    document_number = forms.CharField(label=_("文书编号"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}))
    # empty (forms that only take a text) means internal
    visibility = forms.ChoiceField(
        label=_("可见范围"),
        choices=TimelineEntry.Visibility.choices,
        initial=TimelineEntry.Visibility.INTERNAL,
        required=False,
        help_text=_("仅内部：承办工会；共享给协作单位：另含共享的协作单位；职工可见：另含本案职工"),
    )


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("文件（PDF、图片、Word、Excel、录音，≤20MB）"))
    description = forms.CharField(label=_("说明"), required=False)


class ComplaintForm(StyledFormMixin, forms.Form):
    """The public online complaint (H5)."""

    name = forms.CharField(label=_("您的姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    id_number = forms.CharField(label=_("身份证号码（选填）"), max_length=30, required=False)
    org = forms.ModelChoiceField(label=_("向哪个工会反映"), queryset=Org.objects.none())
    employer_name = forms.CharField(label=_("用人单位名称"), max_length=120)
    category = forms.ChoiceField(label=_("问题类型"), choices=Case.Category.choices)
    workers_count = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000, initial=1)
    amount = forms.DecimalField(
        label=_("涉及金额（元，选填）"),
        min_value=0,
        decimal_places=2,
        max_digits=14,
        required=False,
    )
    facts = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 5}))
    employment_ended_on = forms.DateField(
        label=_("离职日期（如已离职）"), widget=DATE, required=False
    )
    consent = consent_field()
    # issued with the form: the same form sent twice (a double tap, a retry on a bad network,
    # many at once) registers one case (#11 §3)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        if not self.is_bound:
            import uuid

            self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def clean_phone(self) -> str:
        value = validators.normalize_mobile(self.cleaned_data["phone"])
        validators.validate_mobile(value)
        return value

    def clean_id_number(self) -> str:
        value = validators.normalize_resident_id(self.cleaned_data["id_number"])
        if value:
            validators.validate_resident_id(value)
        return value


class LookupForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("案件编号"), max_length=40)
    phone = forms.CharField(label=_("登记的手机号码"), max_length=20)


class RatingForm(StyledFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(
        label=_("评价"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeadlineEventForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("日期（中断日或中止开始日）"), widget=DATE)
    end = forms.DateField(label=_("中止结束日"), widget=DATE, required=False)
    reason = forms.CharField(label=_("事由"))


class FiguresForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("组织"), queryset=Org.objects.none(), required=False)
    start = forms.DateField(label=_("登记日期起"), widget=DATE, required=False)
    end = forms.DateField(label=_("登记日期止"), widget=DATE, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class ReturnForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("交回说明"), required=False)
