"""Staff pages of the 12351 hotline desk. Thin: parse a form, call a service or selector, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core.audit import log_access
from niangjia.core.forms import apply_errors
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.hotline import forms, selectors, services
from niangjia.hotline.models import CATEGORY_CHOICES, Callback, Consultation
from niangjia.intake import analyser as intake
from niangjia.intake.rules import MAX_CHARS
from niangjia.orgs.models import Org
from niangjia.rights import forms as rights_forms
from niangjia.rights import services as rights

# desk fields paired side by side (each pair is consecutive, so the tab order stays the same)
HALF_WIDTH = {"caller_name", "employer_name", "duration", "outcome", "callback_due_at", "channel"}


SUGGEST_MIN_CHARS = 8  # fewer characters say too little to suggest anything


def _require_desk(request: HttpRequest) -> None:
    if not services.may_use_desk(request.user):
        raise PermissionDenied


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    org = services.desk_org_for(request.user)
    if org is None:
        raise PermissionDenied
    form = forms.ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_record(
                actor=request.user,
                org=org,
                caller_phone=data["caller_phone"],
                caller_name=data["caller_name"],
                employer_name=data["employer_name"],
                category=data["category"],
                question=data["question"],
                answer=data["answer"],
                outcome=data["outcome"],
                channel=data["channel"],
                duration_seconds=data["duration"],
                callback_due_at=data["callback_due_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if request.POST.get("action") == "convert":
                return _convert_now(request, consultation)
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("已保存咨询记录。"),
                    reverse("hotline:record-detail", args=[consultation.pk]),
                    _("查看"),
                ),
            )
            return redirect("hotline:desk")
    phone = form.data.get("caller_phone", "") if form.is_bound else ""
    recent = (
        Consultation.objects.filter(operator=request.user)
        .select_related("case")
        .order_by("-started_at", "-pk")[:5]
    )
    return render(
        request,
        "hotline/desk.html",
        {
            "form": form,
            "org": org,
            "history": selectors.caller_history(request.user, phone) if phone else None,
            "recent": recent,
            "due_count": selectors.callbacks_due(request.user).count(),
            "half_width": HALF_WIDTH,
        },
        status=400 if form.is_bound else 200,
    )


def _convert_now(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """One click: the case is registered with what was typed; if something the case needs is
    missing, the intake form opens pre-filled instead."""
    try:
        case, created = services.consultation_convert(consultation=consultation, actor=request.user)
    except ValidationError:
        messages.warning(request, _("咨询记录已保存。转为案件还需补充以下信息："))
        return redirect("hotline:convert", pk=consultation.pk)
    if created:
        messages.success(request, _("已转为案件 %(n)s") % {"n": case.number})
    else:
        messages.info(request, _("该咨询已关联案件 %(n)s") % {"n": case.number})
    return redirect("rights:case-detail", pk=case.pk)


@require_POST
@login_required
def caller(request: HttpRequest) -> HttpResponse:
    """The side panel (htmx): earlier calls and cases of the number being typed. Posted: a
    phone never travels in a URL (browser history, proxy and server logs)."""
    _require_desk(request)
    phone = request.POST.get("caller_phone") or request.POST.get("phone") or ""
    history = selectors.caller_history(request.user, phone)
    return render(request, "hotline/_caller.html", {"history": history})


@require_POST
@login_required
def suggest(request: HttpRequest) -> HttpResponse:
    """The intake assistant's reading of the question being typed (htmx side panel): category,
    employer, amounts, people and urgency, each with the words it came from, for the operator to
    take with one click. Nothing is stored: the question is saved with the record, if at all."""
    _require_desk(request)
    text = (request.POST.get("question") or "")[:MAX_CHARS]
    if len(text.strip()) < SUGGEST_MIN_CHARS:
        return HttpResponse("")
    analysis = intake.analyse(text)
    why = {
        name: "、".join(dict.fromkeys(e["because"] for e in items if e.get("because")))
        for name, items in analysis.explanations.items()
    }
    categories = dict(CATEGORY_CHOICES)
    context = {
        "analysis": analysis,
        "why": why,
        "category_label": categories.get(analysis.category, ""),
        "signal_labels": [_(intake.SIGNALS.get(s, s)) for s in analysis.signals],
    }
    return render(request, "hotline/_suggest.html", context)


def _intake_data(consultation: Consultation) -> dict:
    """The rights intake form's fields, filled from the consultation."""
    defaults = services.case_defaults(consultation)
    worker = defaults["workers"][0] if defaults["workers"] else None
    return {
        "source": defaults["source"],
        "category": defaults["category"],
        "employer_name": defaults["employer_name"],
        "project_name": "",
        "workers": f"{worker.name} {worker.phone}".strip() if worker and worker.name else "",
        "employment_form": "standard",
        "claim_kind": services.claim_kind_for(defaults["category"]),
        "claim_amount": "",
        "facts": defaults["facts"],
        "received_on": defaults["received_on"].isoformat(),
    }


def _intake_form(data: dict):
    form = rights_forms.CaseForm(data)
    form.fields["claim_amount"].required = False  # a call rarely gives the amount yet
    form.fields["claim_amount"].label = _("请求金额（元，可稍后补充）")
    return form


@login_required
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the case intake form pre-filled from the consultation (what is missing is marked).
    POST with the form: register the case. POST without it: the one-click conversion."""
    _require_desk(request)
    consultation = get_for_user(request.user, Perm.CASE_EDIT, Consultation, pk=pk)
    if consultation.case_id is not None:
        messages.info(request, _("该咨询已关联案件 %(n)s") % {"n": consultation.case.number})
        return redirect("rights:case-detail", pk=consultation.case_id)
    if request.method == "POST" and not request.POST.get("intake"):
        return _convert_now(request, consultation)
    form = _intake_form(request.POST if request.method == "POST" else _intake_data(consultation))
    if form.is_valid() and request.method == "POST":
        data = form.cleaned_data
        claims = []
        if data["claim_amount"] is not None:
            claims = [rights.ClaimInput(kind=data["claim_kind"], amount=data["claim_amount"])]
        try:
            case, created = services.consultation_convert(
                consultation=consultation,
                actor=request.user,
                source=data["source"],
                category=data["category"],
                employer_name=data["employer_name"],
                project_name=data["project_name"],
                facts=data["facts"],
                workers=[
                    rights.WorkerInput(employment_form=data["employment_form"], **w)
                    for w in data["workers"]
                ],
                claims=claims,
                received_on=data["received_on"]
                or services.case_defaults(consultation)["received_on"],
                infringed_on=data["infringed_on"],
                employment_ended_on=data["employment_ended_on"],
                injury_on=data["injury_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已转为案件 %(n)s") % {"n": case.number})
            return redirect("rights:case-detail", pk=case.pk)
    return render(
        request,
        "hotline/convert.html",
        {"form": form, "consultation": consultation},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    _require_desk(request)  # the desk's roles all see cases in their subtree
    # the filter form is posted: a phone never travels in a URL (history, proxy and server logs);
    # the other filters still work as links
    data = (request.POST if request.method == "POST" else request.GET).copy()
    if request.method != "POST":
        data.pop("phone", None)
    data.pop("csrfmiddlewaretoken", None)
    page_number = data.pop("page", [None])[-1]
    form = forms.ConsultationFilterForm(data or None)
    form.is_valid()  # a wrong field is shown and left out; the others still filter
    filters = getattr(form, "cleaned_data", {})
    rows = selectors.consultation_list(
        request.user,
        category=filters.get("category", ""),
        outcome=filters.get("outcome", ""),
        start=filters.get("start"),
        end=filters.get("end"),
        phone=filters.get("phone", ""),
    )
    page = Paginator(rows, 25).get_page(page_number)
    context = {"form": form, "page": page, "query": data.urlencode()}
    if data.get("phone"):  # pages are posted too, with the filters as hidden fields
        context["posted_filters"] = [(k, v) for k in data for v in data.getlist(k)]
    return render(request, "hotline/record_list.html", context)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    consultation = get_for_user(
        request.user,
        Perm.CASE_VIEW,
        Consultation.objects.select_related("operator", "case", "org"),
        pk=pk,
    )
    return render(
        request,
        "hotline/record_detail.html",
        {
            "c": consultation,
            "callbacks": consultation.callbacks.select_related("assigned_to").order_by("due_at"),
            "callback_form": forms.CallbackForm(prefix="cb"),
            "done_form": forms.CallbackDoneForm(),
            "can_edit": has_perm(request.user, Perm.CASE_EDIT, consultation),
        },
    )


@require_POST
@login_required
def record_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full number (to call back); every reveal is logged."""
    _require_desk(request)
    consultation = get_for_user(request.user, Perm.CASE_EDIT, Consultation, pk=pk)
    log_access(request, consultation, AccessLog.Action.REVEAL, detail="caller_phone")
    return HttpResponse(
        format_html('<span id="caller-phone" class="fw-bold">{}</span>', consultation.caller_phone)
    )


@require_POST
@login_required
def callback_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    consultation = get_for_user(request.user, Perm.CASE_EDIT, Consultation, pk=pk)
    form = forms.CallbackForm(request.POST, prefix="cb")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    else:
        try:
            callback = services.callback_schedule(
                consultation=consultation,
                actor=request.user,
                due_at=form.cleaned_data["due_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已安排回访：%(at)s")
                % {"at": timezone.localtime(callback.due_at).strftime("%Y-%m-%d %H:%M")},
            )
    return redirect("hotline:record-detail", pk=consultation.pk)


@login_required
def callback_list(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    status = request.GET.get("status", "open")
    if status not in {"open", "done", "all"}:
        status = "open"
    page = Paginator(selectors.my_callbacks(request.user, status=status), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hotline/callback_list.html",
        {
            "page": page,
            "status": status,
            "now": timezone.now(),
            "done_form": forms.CallbackDoneForm(),
        },
    )


@require_POST
@login_required
def callback_complete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    callback = get_for_user(
        request.user, Perm.CASE_EDIT, Callback.objects.select_related("consultation"), pk=pk
    )
    form = forms.CallbackDoneForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    else:
        try:
            services.callback_complete(
                callback=callback, actor=request.user, result_note=form.cleaned_data["result_note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("回访已完成"))
    target = request.POST.get("next", "")
    if target == "record":
        return redirect("hotline:record-detail", pk=callback.consultation_id)
    return redirect("hotline:callbacks")


def _filter_orgs(user):
    return filter_for(
        user, Perm.CASE_VIEW, Org.objects.filter(kind=Org.Kind.UNION).exclude(level="grassroots")
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    _require_desk(request)  # the desk's roles all see cases in their subtree
    form = forms.FiguresForm(request.GET or None, orgs=_filter_orgs(request.user).order_by("path"))
    today = timezone.localdate()
    start, end, org = today - datetime.timedelta(days=89), today, None
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        org = form.cleaned_data["org"]
    data = selectors.figures(request.user, org=org, start=start, end=end)
    return render(
        request,
        "hotline/figures.html",
        {"form": form, "data": data, "start": start, "end": end, "org": org},
    )


def callbacks_panel(request: HttpRequest) -> dict | None:
    """The workbench: my callbacks overdue or due today."""
    if not services.may_use_desk(request.user):
        return None
    rows = list(selectors.callbacks_due(request.user)[:10])
    if request.user.is_superuser and not rows:
        return None
    return {"template": "hotline/_callbacks_panel.html", "callbacks": rows, "now": timezone.now()}
