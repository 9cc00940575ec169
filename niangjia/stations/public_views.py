"""Public H5 pages: the station map with nearby list, a station's page (opened by its QR code),
check-in, rating and problem reports. No login: a device cookie de-duplicates check-ins."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core.ratelimit import TOO_MANY_REQUESTS, over_limit
from niangjia.stations import selectors, services
from niangjia.stations.forms import ReportForm
from niangjia.stations.links import navigation
from niangjia.stations.models import Amenity, Station
from niangjia.stations.views import tile_settings

DEVICE_COOKIE = "nj_device"
DEVICE_MAX_AGE = 3 * 365 * 24 * 3600


def device_id(request: HttpRequest) -> tuple[str, bool]:
    """(this browser's device id, whether it is new and must be set as a cookie)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if value and 8 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(16), True


def _with_device(response: HttpResponse, device: str, new: bool) -> HttpResponse:
    if new:
        response.set_cookie(
            DEVICE_COOKIE, device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax"
        )
    return response


def station_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stations/public_map.html",
        {"amenities": Amenity.choices, **tile_settings()},
    )


def _station(code: str) -> Station:
    # closed stations keep their page (a printed QR code outlives them) but say so
    station = Station.objects.select_related("org").filter(code=code.upper()).first()
    if station is None:
        raise Http404
    return station


def station_page(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(code)
    device, new = device_id(request)
    return _with_device(_render_station(request, station), device, new)


def _render_station(
    request: HttpRequest, station: Station, *, report_form=None, typed=None, status: int = 200
) -> HttpResponse:
    """The station's page; after a refused post, with what was typed (`report_form`, `typed`
    holds the rating's score and comment) and that status."""
    open_now = selectors.open_now_map([station])[station.pk]
    local_today = timezone.localdate()
    exceptions = station.exceptions.filter(end_date__gte=local_today).order_by("start_date")[:5]
    rating = station.ratings.aggregate(avg=Avg("score"), n=Count("pk"))
    amenities = [
        {"label": label, "verified": station.amenities[c]}
        for c, label in Amenity.choices
        if c in station.amenities
    ]
    context = {
        "station": station,
        "open_now": open_now,
        "navigation": navigation(station),
        "amenities": amenities,
        "exceptions": exceptions,
        "rating": rating,
        "report_form": report_form or ReportForm(),
        "typed": typed or {},
        "checked_in": request.GET.get("checked") == "1",
    }
    return render(request, "stations/public_station.html", context, status=status)


def _throttled(request: HttpRequest, station: Station, scope: str, **kept) -> HttpResponse | None:
    """Over `scope`'s rate: the station's page, 429, with a Chinese message and what was typed."""
    if not over_limit(request, scope):
        return None
    messages.error(request, _("提交过于频繁，请稍后再试。"))
    return _render_station(request, station, status=TOO_MANY_REQUESTS, **kept)


def _errors(request, exc: ValidationError) -> None:
    for msgs in exc.message_dict.values():
        for msg in msgs:
            messages.error(request, msg)


@require_POST
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(code)
    device, new = device_id(request)
    refused = _throttled(request, station, "checkin")
    if refused:
        return _with_device(refused, device, new)
    try:
        _row, created = services.checkin_record(station=station, device_id=device)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if created:
            messages.success(request, _("签到成功，欢迎来到%(name)s！") % {"name": station.name})
        else:
            messages.info(request, _("您在这个小时内已经签到过了，谢谢！"))
    return _with_device(redirect("stations_public:station", code=station.code), device, new)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(code)
    device, new = device_id(request)
    typed = {"score": request.POST.get("score", ""), "comment": request.POST.get("comment", "")}
    refused = _throttled(request, station, "station_feedback", typed=typed)
    if refused:
        return _with_device(refused, device, new)
    try:
        services.rating_submit(
            station=station,
            device_id=device,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("感谢您的评价！"))
    return _with_device(redirect("stations_public:station", code=station.code), device, new)


@require_POST
def report(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(code)
    device, new = device_id(request)
    refused = _throttled(request, station, "station_feedback", report_form=ReportForm(request.POST))
    if refused:
        return _with_device(refused, device, new)
    try:
        services.report_submit(
            station=station,
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
            device_id=device,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已收到您的反馈，工作人员会尽快核实处理。"))
    return _with_device(redirect("stations_public:station", code=station.code), device, new)
