"""The worker's H5 pages: apply for hardship aid, look up the application, see what I received."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from niangjia.care import services
from niangjia.care.forms import ApplicationForm, LookupForm
from niangjia.care.models import AidApplication, Distribution
from niangjia.core import consent, lockout
from niangjia.core.forms import apply_errors
from niangjia.core.ratelimit import TOO_MANY_REQUESTS, over_limit
from niangjia.orgs.models import Org, Person


def _application_orgs():
    return Org.objects.filter(
        kind=Org.Kind.UNION, level__in=[Org.Level.DISTRICT, Org.Level.STREET]
    ).order_by("path")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "care/public/home.html", {"lookup_form": LookupForm()})


def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, orgs=_application_orgs())
    http_status = 200
    if request.method == "POST" and form.is_valid() and over_limit(request, "aid_apply"):
        form.add_error(None, _("提交过于频繁，请稍后再试，或拨打 12351 热线"))
        http_status = TOO_MANY_REQUESTS
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["consent_version"] = consent.version_if_given(data.pop("consent"))
        try:
            application = services.application_submit(user=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "care/public/applied.html", {"application": application})
    return render(
        request,
        "care/public/apply.html",
        {"form": form, "notice": consent.notice_context("care_application")},
        status=http_status,
    )


def status(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    application = None
    http_status = 200
    if request.method == "POST" and form.is_valid():
        # wrong phones for one application code count toward a lockout of that code (#11 §2)
        application, http_status = lockout.lookup_page(
            request,
            form,
            kind="aid",
            key=form.cleaned_data["code"],
            find=lambda: services.application_lookup(**form.cleaned_data),
            not_found=_("没有找到该申请，请核对查询码和手机号码"),
        )
    return render(
        request,
        "care/public/status.html",
        {"form": form, "application": application},
        status=http_status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    received = (
        Distribution.objects.filter(person__user=request.user, voided_at__isnull=True)
        .select_related("campaign", "item", "org")
        .order_by("-distributed_at")
    )
    applications = (
        AidApplication.objects.filter(user=request.user)
        .select_related("org")
        .order_by("-created_at")
    )
    bound = Person.objects.filter(user=request.user).exists()
    return render(
        request,
        "care/public/mine.html",
        {"received": received, "applications": applications, "bound": bound},
    )
