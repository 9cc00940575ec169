"""Staff pages of the statutory calendar: a year's rest days, and entering a later year's official
schedule (国务院办公厅放假安排通知). Mounted under /staff/ by niangjia/core/urls.py."""

from __future__ import annotations

import calendar as _stdlib_calendar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import calendar
from niangjia.core.forms import StyledFormMixin
from niangjia.core.models import OfficialDay
from niangjia.core.permissions import Perm, has_perm
from niangjia.orgs.models import Org


def can_enter_calendar(user) -> bool:
    """Superusers and org admins of the national root: the calendar is national."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    root = Org.objects.filter(depth=1, level=Org.Level.NATIONAL).order_by("path").first()
    return root is not None and has_perm(user, Perm.ORG_EDIT, root)


class OfficialYearForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("年份"),
        min_value=calendar.MIN_YEAR,
        max_value=calendar.MAX_YEAR,
        error_messages={
            "required": gettext_lazy("请填写年份。"),
            "invalid": gettext_lazy("年份应为四位数字。"),
            "min_value": gettext_lazy("年份不能早于%(limit_value)s年。"),
            "max_value": gettext_lazy("年份不能晚于%(limit_value)s年。"),
        },
    )
    source = forms.CharField(
        label=gettext_lazy("通知文号/来源"),
        max_length=200,
        help_text=gettext_lazy("例如：国办发明电〔2026〕×号"),
        error_messages={"required": gettext_lazy("请填写通知文号或来源。")},
    )
    complete = forms.BooleanField(
        label=gettext_lazy("已按通知完整录入全年的放假日和调休上班日"), required=False, initial=True
    )
    lines = forms.CharField(
        label=gettext_lazy("放假日与调休上班日"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        help_text=gettext_lazy(
            "每行一条：日期 名称 休/班。例如“2027-01-01 元旦 休”“2027-02-07 春节调休 班”；"
            "连续放假可写成“2027-10-01~2027-10-07 国庆节 休”。周末不必逐日录入。"
        ),
        error_messages={"required": gettext_lazy("请至少录入一行放假日或调休上班日。")},
    )

    def clean(self):
        data = super().clean()
        if "year" in data and "lines" in data:
            try:
                data["parsed"] = calendar.parse_schedule(data["year"], data["lines"])
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("lines", message)
        return data


@login_required
def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Read-only month grid of one year: rest days, holidays and make-up working days."""
    if year is None:
        return redirect("staff:calendar-year", year=timezone.localdate().year)
    if not calendar.MIN_YEAR <= year <= calendar.MAX_YEAR:
        raise Http404(_("年份超出范围。"))
    days = {info.date: info for info in calendar.year_days(year)}
    months = []
    for month in range(1, 13):
        weeks = [
            [days.get(d) if d.month == month else None for d in week]
            for week in _stdlib_calendar.Calendar().monthdatescalendar(year, month)
        ]
        months.append({"number": month, "weeks": weeks})
    special = [info for info in days.values() if info.kind in ("holiday", "makeup")]
    return render(
        request,
        "core/calendar_year.html",
        {
            "year": year,
            "months": months,
            "special": special,
            "complete": calendar.calendar_complete(year),
            "in_library": year in calendar.LIBRARY_YEARS,
            "entered": calendar.year_source(year),
            "rest_count": sum(1 for info in days.values() if not info.working),
            "can_enter": can_enter_calendar(request.user),
            "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        },
    )


@login_required
def calendar_enter(request: HttpRequest) -> HttpResponse:
    """Enter (or replace) a year's official schedule, all or nothing."""
    if not can_enter_calendar(request.user):
        raise PermissionDenied(_("只有全国总工会的管理员可以录入法定节假日安排。"))
    if request.method == "POST":
        form = OfficialYearForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar.official_year_save(
                    year=data["year"],
                    source=data["source"],
                    complete=data["complete"],
                    lines=data["parsed"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("已保存%(year)d年的法定节假日安排（%(n)d天）。")
                    % {"year": data["year"], "n": len(data["parsed"])},
                )
                return redirect("staff:calendar-year", year=data["year"])
    else:
        form = OfficialYearForm(initial=_initial(request.GET.get("year", "")))
    return render(request, "core/calendar_enter.html", {"form": form})


def _initial(year_text: str) -> dict:
    """Prefill the form with a year's entered schedule, to correct it."""
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year + 1
    entered = calendar.year_source(year) if calendar.MIN_YEAR <= year <= calendar.MAX_YEAR else None
    if entered is None:
        return {"year": year, "complete": True}
    kinds = {OfficialDay.Kind.HOLIDAY: "休", OfficialDay.Kind.WORKDAY: "班"}
    lines = "\n".join(f"{d.date.isoformat()} {d.name} {kinds[d.kind]}" for d in entered.days.all())
    return {"year": year, "source": entered.source, "complete": entered.complete, "lines": lines}


urlpatterns = [
    path("calendar/", calendar_year, name="calendar"),
    path("calendar/<int:year>/", calendar_year, name="calendar-year"),
    path("calendar/enter/", calendar_enter, name="calendar-enter"),
]
