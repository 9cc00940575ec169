"""Staff pages for stations: registry, import/export, map, reports, tallies, events, figures.
Thin views: parse, call a selector or service, render. Objects come through `get_for_user`."""

from __future__ import annotations

import datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core.audit import history_for
from niangjia.core.forms import apply_errors, run_posted
from niangjia.core.permissions import Perm, filter_for, get_for_user, has_perm
from niangjia.orgs.models import Org
from niangjia.stations import imports, selectors, services
from niangjia.stations.forms import (
    EventForm,
    ExceptionForm,
    ImportForm,
    ResolveForm,
    StationForm,
    TallyForm,
)
from niangjia.stations.links import navigation
from niangjia.stations.models import Report, Station

PAGE_SIZE = 25


def _require(user, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(_("您没有权限访问此页面"))


def _editable_orgs(user):
    return filter_for(user, Perm.STATION_EDIT, Org.objects.filter(kind=Org.Kind.UNION)).order_by(
        "path"
    )


def _data(form: StationForm) -> services.StationData:
    d = form.cleaned_data
    return services.StationData(
        name=d["name"],
        org=d["org"],
        address=d["address"],
        lat=d["lat"],
        lng=d["lng"],
        coord_system=d["coord_system"],
        type=d["type"],
        host_kind=d["host_kind"],
        host_name=d["host_name"],
        host_credit_code=d["host_credit_code"],
        amenities=list(d["amenities"]),
        hours=d["hours"],
        contact_name=d["contact_name"],
        contact_phone=d["contact_phone"],
        access=d["access"],
        status=d["status"],
        code=d["code"],
        note=d["note"],
    )


def public_url(request: HttpRequest, station: Station) -> str:
    return request.build_absolute_uri(reverse("stations_public:station", args=[station.code]))


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    flagged = request.GET.get("flagged") == "1"
    stations = selectors.station_list(request.user, search=q, status=status, flagged=flagged)
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/station_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "flagged": flagged,
            "statuses": Station.Status.choices,
            "can_edit": has_perm(request.user, Perm.STATION_EDIT),
        },
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_for_user(
        request.user, Perm.STATION_VIEW, selectors.station_list(request.user), pk=pk
    )
    today = services.today_local()
    figures = selectors.figures(
        request.user, start=today - datetime.timedelta(days=29), end=today, station=station
    )
    context = {
        "station": station,
        "navigation": navigation(station),
        "public_url": public_url(request, station),
        "exceptions": station.exceptions.order_by("-start_date")[:20],
        "reports": station.reports.select_related("resolved_by").order_by("-created_at")[:20],
        "tallies": station.tallies.order_by("-date")[:14],
        "events": station.events.order_by("-date")[:20],
        "figures": figures,
        "history": history_for(station)[:30],
        "can_edit": has_perm(request.user, Perm.STATION_EDIT, station),
        "exception_form": ExceptionForm(),
        "tally_form": TallyForm(initial={"date": today}),
        "event_form": EventForm(initial={"date": today}),
    }
    return render(request, "stations/station_detail.html", context)


@login_required
def station_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_EDIT)
    form = StationForm(request.POST or None, orgs=_editable_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(actor=request.user, data=_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记驿站：%(name)s") % {"name": station.name})
            return redirect("stations:station-detail", pk=station.pk)
    return render(request, "stations/station_form.html", {"form": form})


@login_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_for_user(request.user, Perm.STATION_EDIT, Station, pk=pk)
    form = StationForm(
        request.POST or None,
        initial=StationForm.initial_for(station),
        orgs=_editable_orgs(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.station_update(
                actor=request.user,
                station=station,
                data=_data(form),
                verified=form.cleaned_data["verified"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("stations:station-detail", pk=pk)
    return render(request, "stations/station_form.html", {"form": form, "station": station})


@require_POST
@login_required
def station_photo(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_for_user(request.user, Perm.STATION_EDIT, Station, pk=pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择照片"))
    else:
        try:
            services.station_photo_set(actor=request.user, station=station, upload=upload)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("照片已更新"))
    return redirect("stations:station-detail", pk=pk)


@login_required
def station_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The station's QR code (PNG or SVG): it opens the station's H5 page, whose URL holds the
    station's unique code."""
    if fmt not in ("png", "svg"):
        raise Http404
    station = get_for_user(request.user, Perm.STATION_VIEW, Station, pk=pk)
    qr = segno.make(public_url(request, station), error="m")
    from io import BytesIO

    out = BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=8, border=2, title=station.name)
        content_type = "image/svg+xml"
    else:
        qr.save(out, kind="png", scale=10, border=2)
        content_type = "image/png"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="station-{station.code}.{fmt}"'
    return response


def _post_form(request, pk, form_class, action, ok_message):
    station = get_for_user(request.user, Perm.STATION_EDIT, Station, pk=pk)
    run_posted(request, form_class(request.POST), lambda data: action(station, data), ok_message)
    return redirect("stations:station-detail", pk=station.pk)


@require_POST
@login_required
def exception_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        ExceptionForm,
        lambda s, d: services.exception_add(actor=request.user, station=s, **d),
        _("已添加开放时间例外"),
    )


@login_required
def exception_edit(request: HttpRequest, pk: int, exception_pk: int) -> HttpResponse:
    station = get_for_user(request.user, Perm.STATION_EDIT, Station, pk=pk)
    exception = get_object_or_404(station.exceptions, pk=exception_pk)
    if request.method == "POST":
        form = ExceptionForm(request.POST)
        if form.is_valid():
            try:
                services.exception_update(
                    actor=request.user, exception=exception, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已修改开放时间例外"))
                return redirect("stations:station-detail", pk=station.pk)
    else:
        form = ExceptionForm(initial=ExceptionForm.initial_for(exception))
    return render(
        request,
        "stations/exception_form.html",
        {"station": station, "exception": exception, "form": form},
    )


@require_POST
@login_required
def exception_delete(request: HttpRequest, pk: int, exception_pk: int) -> HttpResponse:
    station = get_for_user(request.user, Perm.STATION_EDIT, Station, pk=pk)
    exception = get_object_or_404(station.exceptions, pk=exception_pk)
    services.exception_delete(actor=request.user, exception=exception)
    messages.success(request, _("已删除开放时间例外"))
    return redirect("stations:station-detail", pk=station.pk)


@require_POST
@login_required
def tally_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        TallyForm,
        lambda s, d: services.tally_record(actor=request.user, station=s, **d),
        _("已登记接待人次"),
    )


@require_POST
@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form(
        request,
        pk,
        EventForm,
        lambda s, d: services.event_create(actor=request.user, station=s, **d),
        _("已登记活动"),
    )


@login_required
def station_import(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = imports.stations_import(actor=request.user, file=form.cleaned_data["file"])
        except imports.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, _("已导入 %(n)s 个驿站") % {"n": len(created)})
            return redirect(reverse("stations:station-map") + "?imported=" + str(len(created)))
    return render(request, "stations/station_import.html", {"form": form, "errors": errors})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_EDIT)
    response = HttpResponse(
        imports.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="stations-import-template.xlsx"'
    return response


@login_required
def station_export(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    stations = selectors.station_list(request.user)
    response = HttpResponse(
        imports.export_xlsx(stations),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = imports.export_filename("stations", "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def station_export_poi(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    stations = selectors.station_list(request.user).filter(status=Station.Status.OPEN)
    response = HttpResponse(
        imports.export_poi_csv(stations), content_type="text/csv; charset=utf-8"
    )
    name = imports.export_filename("stations-poi-gcj02", "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def map_points(stations) -> list[dict]:
    points = []
    for s in stations:
        glat, glng = s.gcj02
        points.append(
            {
                "id": s.pk,
                "name": s.name,
                "code": s.code,
                "lat": s.lat,
                "lng": s.lng,
                "glat": glat,
                "glng": glng,
                "status": s.status,
                "flagged": getattr(s, "flagged", False),
                "url": reverse("stations:station-detail", args=[s.pk]),
            }
        )
    return points


def tile_settings() -> dict:
    return {
        "tile_url": getattr(settings, "STATIONS_TILE_URL", ""),
        "tile_attribution": getattr(settings, "STATIONS_TILE_ATTRIBUTION", ""),
        # tiles from 高德/腾讯 are drawn in GCJ-02, OpenStreetMap-style tiles in WGS-84
        "tile_coord": getattr(settings, "STATIONS_TILE_COORD", "wgs84"),
    }


@login_required
def station_map(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    stations = (
        selectors.station_list(request.user)
        .select_related(None)
        .select_related("org")
        .only("id", "name", "code", "lat", "lng", "status", "org__path", "org__name")
    )
    points = map_points(stations)
    return render(
        request,
        "stations/station_map.html",
        {"points": points, "imported": request.GET.get("imported", ""), **tile_settings()},
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values and status != "all":
        status = Report.Status.OPEN
    reports = selectors.report_list(request.user, status="" if status == "all" else status)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/report_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Report.Status.choices,
            "can_edit": has_perm(request.user, Perm.STATION_EDIT),
            "resolve_form": ResolveForm(),
        },
    )


@require_POST
@login_required
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, Perm.STATION_EDIT, Report, pk=pk)
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"resolution": _("请填写处理结果")})
        services.report_resolve(
            actor=request.user, report=report, resolution=form.cleaned_data["resolution"]
        )
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for msg in msgs:
                messages.error(request, msg)
    else:
        messages.success(request, _("已处理：%(station)s") % {"station": report.station.name})
    target = request.POST.get("next", "")
    if target == "station":
        return redirect("stations:station-detail", pk=report.station_id)
    return redirect("stations:report-list")


def _date(value: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@login_required
def station_figures(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATION_VIEW)
    today = services.today_local()
    end = _date(request.GET.get("end", ""), today)
    start = _date(request.GET.get("start", ""), end - datetime.timedelta(days=29))
    if start > end:
        start, end = end, start
    if (end - start).days > 366:
        start = end - datetime.timedelta(days=366)
        messages.info(request, _("统计区间最长一年，已自动调整"))
    figures = selectors.figures(request.user, start=start, end=end)
    chart = {
        "days": [d["date"].isoformat() for d in figures.per_day],
        "totals": [d["total"] for d in figures.per_day],
    }
    return render(request, "stations/station_figures.html", {"figures": figures, "chart": chart})
