"""REST endpoints of the stations module; api/urls.py calls register().

`GET /api/v1/stations/nearby/` is public (no login) and throttled; `/api/v1/stations/` is the
staff's scoped registry (read; create through the same service as the pages)."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.api.fast import CounterThrottle, json_response, throttled
from niangjia.api.permissions import ScopedViewSetMixin
from niangjia.core import spreadsheets
from niangjia.core.permissions import Perm, has_perm
from niangjia.stations import coords, imports, selectors
from niangjia.stations.links import amap_url, baidu_url, tencent_url
from niangjia.stations.models import Amenity, Station
from niangjia.stations.services import amenity_code, check_coordinates


def parse_nearby(params) -> dict:
    """The nearby query's parameters, validated, or a ValidationError with a Chinese message."""
    errors: dict[str, str] = {}
    system = (params.get("coord") or coords.WGS84).strip().lower()
    if system not in coords.SYSTEMS:
        raise ValidationError(
            {"coord": _("未知的坐标系“%(s)s”，可选 wgs84 或 gcj02") % {"s": system}}
        )
    if params.get("lat") in (None, "") or params.get("lng") in (None, ""):
        raise ValidationError({"detail": _("请提供纬度 lat 和经度 lng")})
    try:
        lat, lng = float(params["lat"]), float(params["lng"])
        if not (math.isfinite(lat) and math.isfinite(lng)):
            raise ValueError
    except ValueError as exc:
        raise ValidationError({"detail": _("纬度和经度必须是数字")}) from exc
    wgs = check_coordinates(lat, lng, system)
    try:
        limit = int(params.get("limit") or 10)
    except ValueError:
        errors["limit"] = _("limit 必须是整数")
        limit = 10
    if not 1 <= limit <= selectors.MAX_LIMIT:
        errors["limit"] = _("limit 应在 1 到 %(cap)s 之间") % {"cap": selectors.MAX_LIMIT}
    radius_m = None
    if params.get("radius_km") not in (None, ""):
        try:
            radius_km = float(params["radius_km"])
            if not math.isfinite(radius_km):
                raise ValueError
        except ValueError:
            errors["radius_km"] = _("radius_km 必须是数字")
        else:
            if not 0 < radius_km <= selectors.MAX_RADIUS_KM:
                errors["radius_km"] = _("radius_km 应大于 0 且不超过 %(cap)s 公里") % {
                    "cap": selectors.MAX_RADIUS_KM
                }
            radius_m = radius_km * 1000
    amenities = []
    raw = (
        ",".join(params.getlist("amenity"))
        if hasattr(params, "getlist")
        else params.get("amenity", "")
    )
    for token in [t for t in raw.replace("，", ",").split(",") if t.strip()]:
        code = amenity_code(token)
        if code is None:
            errors["amenity"] = _("未知的服务设施“%(a)s”（可选：%(known)s）") % {
                "a": token.strip(),
                "known": "、".join(f"{c}（{label}）" for c, label in Amenity.choices),
            }
        else:
            amenities.append(code)
    open_now = (params.get("open_now") or "").lower()
    if open_now not in ("", "true", "false", "1", "0"):
        errors["open_now"] = _("open_now 只能是 true 或 false")
    access = params.get("access") or None
    if access is not None and access not in Station.Access.values:
        errors["access"] = _("access 只能是 public 或 members")
    if errors:
        raise ValidationError(errors)
    return {
        "lat": wgs[0],
        "lng": wgs[1],
        "system": system,
        "limit": limit,
        "radius_m": radius_m,
        "amenities": amenities,
        "open_now": open_now in ("true", "1"),
        "access": access,
    }


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """(amenity code -> label, type code -> label) in the active language, cached per language
    so that a nearby answer does not run gettext for every row."""
    language = get_language() or ""
    cached = _LABELS.get(language)
    if cached is None:
        cached = _LABELS[language] = (
            {code: str(label) for code, label in Amenity.choices},
            {code: str(label) for code, label in Station.Type.choices},
        )
    return cached


_LABELS: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def nearby_payload(hit: selectors.Nearby, system: str) -> dict:
    s = hit.station
    amenity_labels, type_labels = _labels()
    glat, glng = coords.wgs84_to_gcj02(s.lat, s.lng)
    lat, lng = (glat, glng) if system == coords.GCJ02 else (s.lat, s.lng)
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "type": type_labels.get(s.type, s.type),
        "address": s.address,
        "lat": round(lat, 6),
        "lng": round(lng, 6),
        "distance_m": round(hit.distance_m),
        "open_now": hit.open_now,
        "amenities": [label for code, label in amenity_labels.items() if code in s.amenities],
        "navigation": {
            "amap": amap_url(glat, glng, s.name),
            "baidu": baidu_url(glat, glng, s.name, s.address),
            "tencent": tencent_url(glat, glng, s.name),
        },
    }


class NearbyThrottle(CounterThrottle):
    """The nearby search's throttle (the `anon` rate), kept as its own class so tests and settings
    can tune it apart from the other public endpoints."""


def nearby_response(request) -> JsonResponse:
    """The nearby answer as a plain Django response: no DRF request wrapping, negotiation or
    authentication (the endpoint is public), one throttle counter, one SQL statement."""
    too_many = throttled(request, NearbyThrottle)
    if too_many is not None:
        return too_many
    try:
        q = parse_nearby(request.GET)
    except ValidationError as exc:
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages[0]}
        return json_response(body, status=400)
    hits = selectors.nearby(
        q["lat"],
        q["lng"],
        limit=q["limit"],
        radius_m=q["radius_m"],
        amenities=q["amenities"],
        open_now=q["open_now"],
        access=q["access"],
    )
    return json_response({"results": [nearby_payload(h, q["system"]) for h in hits]})


class NearbyView(APIView):
    """Nearest open stations by great-circle distance (exact), public.

    GET and HEAD are answered by `nearby_response` directly (see there); the class stays a DRF
    view so that the OpenAPI schema documents the endpoint and other methods get DRF's 405."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public: no session, so no CSRF and no user lookup
    throttle_classes = [NearbyThrottle]

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return nearby_response(request)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True, description="纬度"),
            OpenApiParameter("lng", OpenApiTypes.DOUBLE, required=True, description="经度"),
            OpenApiParameter("coord", str, enum=["wgs84", "gcj02"], description="坐标系"),
            OpenApiParameter("limit", int, description="返回数量，1-50，默认 10"),
            OpenApiParameter("radius_km", OpenApiTypes.DOUBLE, description="搜索半径（公里）"),
            OpenApiParameter(
                "amenity", str, description="服务设施（代码或中文，可多个，逗号分隔）"
            ),
            OpenApiParameter("open_now", bool, description="只看正在开放的"),
            OpenApiParameter("access", str, enum=["public", "members"], description="开放对象"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):  # for the schema; dispatch() answers GET
        return nearby_response(request._request)


class StationSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    flagged = serializers.BooleanField(read_only=True)
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    host_credit_code = serializers.CharField(
        source="host_enterprise.credit_code", read_only=True, default=""
    )

    class Meta:
        model = Station
        fields = [
            "id",
            "code",
            "name",
            "type",
            "type_display",
            "org",
            "org_name",
            "host_kind",
            "host_name",
            "host_enterprise",
            "host_credit_code",
            "address",
            "lat",
            "lng",
            "coord_system",
            "input_lat",
            "input_lng",
            "amenities",
            "hours",
            "hours_verified_on",
            "contact_name",
            "contact_phone",
            "status",
            "access",
            "flagged",
        ]
        read_only_fields = fields


class StationImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel（.xlsx）文件，列同“下载导入模板”")


class StationImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 行号；0 表示整个文件")
    message = serializers.CharField()


class StationImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class StationImportFailedSerializer(serializers.Serializer):
    errors = StationImportErrorSerializer(many=True)


class StationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The staff's stations, within their scope (read-only here; edits go through the pages)."""

    permission = Perm.STATION_VIEW
    write_permission = Perm.STATION_EDIT
    serializer_class = StationSerializer

    def get_queryset(self):
        return selectors.station_list(self.request.user)

    @extend_schema(
        request={"multipart/form-data": StationImportSerializer},
        responses={201: StationImportResultSerializer, 400: StationImportFailedSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Import stations from an Excel file, all rows or none (as the import page). A file too
        large, not an .xlsx or unpacking to too much, and every bad row, is a 400 listing each
        `{row, message}`."""
        if not has_perm(request.user, Perm.STATION_EDIT):
            raise exceptions.PermissionDenied(_("您没有权限执行此操作"))
        data = StationImportSerializer(data=request.data)
        if not data.is_valid():
            messages = [str(m) for m in data.errors.get("file", [])] or [_("请上传文件")]
            return Response({"errors": [{"row": 0, "message": m} for m in messages]}, status=400)
        upload = data.validated_data["file"]
        try:
            spreadsheets.check_xlsx(upload, max_rows=imports.max_rows())
            created = imports.stations_import(actor=request.user, file=upload)
        except ValidationError as exc:
            errors = [{"row": 0, "message": m} for m in exc.messages]
            return Response({"errors": errors}, status=400)
        except imports.ImportFailed as exc:
            errors = [{"row": e.row, "message": e.message} for e in exc.errors]
            return Response({"errors": errors}, status=400)
        return Response({"created": len(created)}, status=201)


def register(router) -> list:
    """Add this module's viewsets to the router; return extra URL patterns (plain API views)."""
    router.register("stations", StationViewSet, basename="station")
    return [path("stations/nearby/", NearbyView.as_view(), name="stations-nearby")]
