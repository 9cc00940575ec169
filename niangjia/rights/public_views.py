"""Workers' side: the online complaint form and following a case by number and phone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from niangjia.core import consent, lockout
from niangjia.core.forms import apply_errors
from niangjia.core.ratelimit import TOO_MANY_REQUESTS, over_limit
from niangjia.orgs.models import Org, StaffRole
from niangjia.rights import forms, services
from niangjia.rights.api import public_case_view
from niangjia.rights.models import ClaimItem
from niangjia.rights.services import ClaimInput, WorkerInput


def _receiving_unions():
    # unions with a rights officer, so every complaint reaches someone
    return (
        Org.objects.filter(kind=Org.Kind.UNION, staff_roles__role=StaffRole.Role.RIGHTS_OFFICER)
        .distinct()
        .order_by("path")
    )


def complaint(request: HttpRequest) -> HttpResponse:
    initial = {k: v for k, v in request.GET.items() if k in {"category", "amount", "facts"}}
    form = forms.ComplaintForm(request.POST or None, orgs=_receiving_unions(), initial=initial)
    http_status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "complaint"):
            # a 429 page that keeps what was typed, so nothing is lost when they retry
            form.add_error(None, _("提交过于频繁，请稍后再试，或拨打 12351 热线"))
            http_status = TOO_MANY_REQUESTS
        else:
            data = form.cleaned_data
            amount = data["amount"]
            try:
                case, _created = services.case_create(
                    actor=None,
                    org=data["org"],
                    source="online",
                    category=data["category"],
                    employer_name=data["employer_name"],
                    facts=data["facts"]
                    + (
                        _("（涉及 %(n)d 人）") % {"n": data["workers_count"]}
                        if data["workers_count"] > 1
                        else ""
                    ),
                    workers=[
                        WorkerInput(
                            name=data["name"], phone=data["phone"], id_number=data["id_number"]
                        )
                    ],
                    claims=[
                        ClaimInput(
                            kind=ClaimItem.kind_for_category(data["category"]), amount=amount
                        )
                    ]
                    if amount
                    else [],
                    employment_ended_on=data["employment_ended_on"],
                    idempotency_key=data.get("idempotency_key", ""),
                    consent_version=consent.version_if_given(data["consent"]),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(request, "rights/public/complaint_done.html", {"case": case})
    return render(
        request,
        "rights/public/complaint.html",
        {"form": form, "notice": consent.notice_context("complaint")},
        status=http_status,
    )


def lookup(request: HttpRequest) -> HttpResponse:
    # the phone is posted, never put into the URL (browser history, proxy and server logs); a
    # link may carry the case number alone, to fill it in
    form = forms.LookupForm(
        request.POST or None, initial={"number": request.GET.get("number", "")[:40]}
    )
    result = None
    rating_form = None
    http_status = 200
    if form.is_bound and form.is_valid():
        case, http_status = lockout.lookup_page(
            request,
            form,
            kind="case",
            key=form.cleaned_data["number"],
            find=lambda: services.case_lookup(**form.cleaned_data),
            not_found=_("未找到与该编号和手机号码相符的案件，请核对后重试"),
        )
        if case is not None:
            if request.method == "POST" and "score" in request.POST:
                rating_form = forms.RatingForm(request.POST)
                if rating_form.is_valid():
                    try:
                        services.rating_submit(case=case, **rating_form.cleaned_data)
                    except ValidationError as exc:
                        apply_errors(rating_form, exc)
            result = public_case_view(case)
            rating_form = rating_form or forms.RatingForm()
    return render(
        request,
        "rights/public/lookup.html",
        {"form": form, "result": result, "rating_form": rating_form},
        status=http_status,
    )
