from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import StyledFormMixin
from niangjia.intake import services
from niangjia.intake.analyser import MAX_CHARS, SIGNALS
from niangjia.rights.models import Case

SEPARATORS = re.compile(r"[\s,，、;；]+")


class AnalyseForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("投诉原文"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_CHARS}),
        help_text=_("粘贴来电记录、微信留言或来信内容（最多 5000 字）。原文加密保存。"),
        error_messages={"required": _("请输入投诉内容。")},
    )

    def clean_text(self) -> str:
        try:
            return services.clean_text(self.cleaned_data["text"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["text"]) from None


def _split(value: str) -> list[str]:
    return [v for v in SEPARATORS.split(value or "") if v]


class ReviewForm(StyledFormMixin, forms.Form):
    """Every suggestion as an editable field: left as suggested it is confirmed, changed it is a
    correction."""

    category = forms.ChoiceField(label=_("类别"), choices=Case.Category.choices)
    amounts = forms.CharField(
        label=_("金额（元）"),
        required=False,
        help_text=_("多个金额用逗号或空格分开；登记案件时取最大的一项作为请求金额。"),
    )
    workers_count = forms.IntegerField(
        label=_("人数"), required=False, min_value=1, max_value=100_000
    )
    employer = forms.CharField(label=_("用人单位"), required=False, max_length=120)
    dates = forms.CharField(
        label=_("日期"),
        required=False,
        help_text=_("格式 2024-03-15、2024-03 或 2024，多个用逗号分开。"),
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=[("high", _("紧急")), ("normal", _("一般"))]
    )
    signals = forms.MultipleChoiceField(
        label=_("信号"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = [(k, gettext(v)) for k, v in SIGNALS.items()]
        self.fields["signals"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def initial_from(values: dict) -> dict:
        return {
            "category": values.get("category"),
            "amounts": ", ".join(values.get("amounts") or []),
            "workers_count": values.get("workers_count"),
            "employer": values.get("employer") or "",
            "dates": ", ".join(values.get("dates") or []),
            "urgency": values.get("urgency"),
            "signals": values.get("signals") or [],
        }

    def _listed(self, name: str) -> list:
        try:
            return services.clean_value(name, _split(self.cleaned_data.get(name, "")))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict[name]) from None

    def clean_amounts(self) -> list[str]:
        return self._listed("amounts")

    def clean_dates(self) -> list[str]:
        return self._listed("dates")

    def review_fields(self, suggestions: dict) -> dict:
        """The API's review payload: a field is accepted when left as suggested."""
        data = self.cleaned_data
        values = {
            "category": data["category"],
            "amounts": data["amounts"],
            "workers_count": data["workers_count"],
            "employer": (data["employer"] or "").strip() or None,
            "dates": data["dates"],
            "urgency": data["urgency"],
            "signals": list(data["signals"]),
        }
        fields = {}
        for name, value in values.items():
            if services.same_value(name, value, suggestions.get(name)):
                fields[name] = {"accepted": True}
            else:
                fields[name] = {"accepted": False, "value": value}
        return fields
