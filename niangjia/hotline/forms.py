from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from niangjia.core import validators
from niangjia.core.forms import StyledFormMixin
from niangjia.hotline.models import CATEGORY_CHOICES, Consultation
from niangjia.hotline.selectors import day_error
from niangjia.orgs.models import Org

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Enter saves (the desk is used on the phone); Shift+Enter starts a new line
ENTER_SAVES = {"rows": 3, "data-enter-submits": "true"}


class PhoneField(forms.CharField):
    def clean(self, value):
        value = validators.normalize_mobile(super().clean(value) or "")
        if value:
            validators.validate_mobile(value)
        return value


class ConsultationForm(StyledFormMixin, forms.Form):
    """The desk: the number first, then what was asked and answered. Field order is tab order."""

    caller_phone = PhoneField(
        label=_("来电号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off"}
        ),
        help_text=_("输入后自动显示该号码以往的来电和案件；未留号码可不填"),
    )
    caller_name = forms.CharField(label=_("来电人姓名"), max_length=50, required=False)
    employer_name = forms.CharField(label=_("用人单位（如提及）"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", "—"), *CATEGORY_CHOICES])
    question = forms.CharField(
        label=_("咨询问题"),
        # the intake assistant reads the question as it is typed and suggests (side panel)
        widget=forms.Textarea(
            attrs={
                **ENTER_SAVES,
                "hx-post": reverse_lazy("hotline:suggest"),
                "hx-trigger": "input changed delay:600ms, blur",
                "hx-target": "#intake-suggest",
                "hx-swap": "innerHTML",
            }
        ),
        help_text=_("Enter 保存，Shift+Enter 换行"),
    )
    answer = forms.CharField(
        label=_("答复内容"), widget=forms.Textarea(attrs=ENTER_SAVES), required=False
    )
    duration = forms.CharField(
        label=_("通话时长（分:秒）"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("计时器自动填写，可修改"),
    )
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[c for c in Consultation.Outcome.choices if c[0] != Consultation.Outcome.CONVERTED],
        initial=Consultation.Outcome.ANSWERED,
    )
    callback_due_at = forms.DateTimeField(
        label=_("回访时间（需回访时填写）"), required=False, widget=DATETIME
    )
    channel = forms.ChoiceField(
        label=_("渠道"), choices=Consultation.Channel.choices, initial=Consultation.Channel.HOTLINE
    )

    def clean_duration(self) -> int:
        from niangjia.hotline.services import parse_duration

        try:
            return parse_duration(self.cleaned_data["duration"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["duration"]) from exc


class DayField(forms.DateField):
    """A period bound for the record list and the figures: a date the selectors can use."""

    widget = DATE

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and (message := day_error(value)):
            raise forms.ValidationError(message)


class ConsultationFilterForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(label=_("来电号码"), max_length=20, required=False)
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *CATEGORY_CHOICES], required=False
    )
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("", _("全部结果")), *Consultation.Outcome.choices],
        required=False,
    )
    start = DayField(label=_("来电日期起"), required=False)
    end = DayField(label=_("来电日期止"), required=False)


class CallbackForm(StyledFormMixin, forms.Form):
    due_at = forms.DateTimeField(label=_("回访时间"), widget=DATETIME)
    note = forms.CharField(label=_("回访事项"), max_length=200, required=False)


class CallbackDoneForm(StyledFormMixin, forms.Form):
    result_note = forms.CharField(
        label=_("回访结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class FiguresForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("组织"), queryset=Org.objects.none(), required=False)
    start = DayField(label=_("来电日期起"), required=False)
    end = DayField(label=_("来电日期止"), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data
