"""Writes for the stations module. Views, the API, the import and load_demo all call these: each
authorizes, validates (Chinese messages) and saves in one transaction, so nothing is half-saved."""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core import validators
from niangjia.core.permissions import Perm, filter_for, has_perm
from niangjia.core.validators import credit_code_error, normalize_credit_code
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Enterprise, Org
from niangjia.stations import coords
from niangjia.stations.hours import HoursError, parse_hours
from niangjia.stations.models import (
    Amenity,
    Checkin,
    Rating,
    Report,
    Station,
    StationEvent,
    StationException,
    Tally,
)

DUPLICATE_RADIUS_M = 50.0
_LANDLINE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^\d{5}$")
_AMENITY_BY_LABEL = {str(label): code for code, label in Amenity.choices}
_AMENITY_ALIASES = {
    "空调": "heating",
    "暖气": "heating",
    "wifi": "wifi",
    "WiFi": "wifi",
    "WIFI": "wifi",
    "饮用水": "hot_water",
    "开水": "hot_water",
    "厕所": "toilet",
    "医药箱": "first_aid",
    "休息座椅": "seating",
    "手机充电": "charging",
}


def _authorize(actor, perm: Perm, obj=None) -> None:
    if actor is not None and not has_perm(actor, perm, obj):
        raise NotAllowed(_("您没有权限执行此操作"))


def today_local() -> datetime.date:
    return timezone.localdate()


# --- validation shared by the form, the API and the Excel import --------------------------------


def amenity_code(token: str) -> str | None:
    """An amenity code from its code, its Chinese label or a common alias; None if unknown."""
    token = token.strip()
    if token in Amenity.values:
        return token
    return _AMENITY_BY_LABEL.get(token) or _AMENITY_ALIASES.get(token)


def parse_amenities(value) -> list[str]:
    """A list of codes from a list or from text like "热水、座椅，充电"; unknown ones are errors."""
    tokens = value if isinstance(value, list | tuple) else re.split(r"[、,，;；/\s]+", value or "")
    codes, unknown = [], []
    for token in tokens:
        if not str(token).strip():
            continue
        code = amenity_code(str(token))
        if code is None:
            unknown.append(str(token).strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            {
                "amenities": _("未知的服务设施：%(names)s（可选：%(known)s）")
                % {"names": "、".join(unknown), "known": "、".join(str(x) for x in Amenity.labels)}
            }
        )
    return codes


def check_coordinates(lat, lng, system: str = coords.WGS84) -> tuple[float, float]:
    """(lat, lng) in WGS-84 from input in `system`, or a ValidationError in Chinese."""
    if system not in coords.SYSTEMS:
        raise ValidationError(
            {"coord_system": _("未知的坐标系“%(s)s”，可选 wgs84 或 gcj02") % {"s": system}}
        )
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lat": _("经纬度必须是数字")}) from exc
    if lat != lat or lng != lng:  # NaN
        raise ValidationError({"lat": _("经纬度必须是数字")})
    if not (-90 <= lat <= 90 and coords.in_china(lat, lng)) and coords.in_china(lng, lat):
        raise ValidationError(
            {
                "lat": _("坐标不在中国境内：纬度和经度可能填反了（纬度 %(lat)s，经度 %(lng)s）")
                % {"lat": lat, "lng": lng}
            }
        )
    if not -90 <= lat <= 90:
        raise ValidationError({"lat": _("纬度应在 -90 到 90 之间")})
    if not -180 <= lng <= 180:
        raise ValidationError({"lng": _("经度应在 -180 到 180 之间")})
    if not coords.in_china(lat, lng):
        raise ValidationError(
            {
                "lat": _("坐标（纬度 %(lat)s，经度 %(lng)s）不在中国境内，请检查是否填反或填错")
                % {"lat": lat, "lng": lng}
            }
        )
    return coords.to_wgs84(lat, lng, system)


def check_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    mobile = validators.normalize_mobile(value)
    if validators.mobile_error(mobile) is None:
        return mobile
    if _LANDLINE.match(value):
        return value
    raise ValidationError({"contact_phone": _("联系电话格式不正确：%(v)s") % {"v": value}})


def _choice(value, choices, field: str, label: str) -> str:
    value = (value or "").strip()
    for code, text in choices:
        if value in (code, str(text)):
            return code
    raise ValidationError(
        {
            field: _("未知的%(label)s“%(v)s”（可选：%(known)s）")
            % {"label": label, "v": value, "known": "、".join(str(t) for _c, t in choices)}
        }
    )


def find_duplicate(name: str, lat: float, lng: float, exclude_pk=None) -> Station | None:
    """A station with the same name within 50 m (WGS-84 input), if any."""
    box = coords.bounding_box(lat, lng, DUPLICATE_RADIUS_M)
    qs = Station.objects.filter(name=name.strip(), lat__range=box[:2], lng__range=box[2:]).exclude(
        pk=exclude_pk
    )
    for other in qs:
        if coords.haversine_m(lat, lng, other.lat, other.lng) <= DUPLICATE_RADIUS_M:
            return other
    return None


@dataclass
class StationData:
    """What a person types for a station, before validation (form, API row or Excel row)."""

    name: str
    org: Org
    address: str
    lat: float | str
    lng: float | str
    coord_system: str = coords.GCJ02
    type: str = Station.Type.UNION
    host_kind: str = Station.HostKind.OTHER
    host_name: str = ""
    # the host's 统一社会信用代码 when it is an enterprise registered on the platform
    host_credit_code: str = ""
    amenities: list[str] | str = ""
    hours: list[dict] | str = ""
    contact_name: str = ""
    contact_phone: str = ""
    access: str = Station.Access.PUBLIC
    status: str = Station.Status.OPEN
    code: str = ""
    note: str = ""


def visible_hosts(actor, credit_codes) -> dict[str, Enterprise]:
    """{credit code: enterprise} among those the actor may see (one query for a whole import)."""
    enterprises = Enterprise.objects.filter(credit_code__in=list(credit_codes))
    if actor is not None:
        enterprises = filter_for(actor, Perm.ENTERPRISE_VIEW, enterprises)
    return {e.credit_code: e for e in enterprises}


def find_host_enterprise(
    actor, credit_code: str, hosts: dict[str, Enterprise] | None = None
) -> Enterprise:
    """The enterprise hosting a station, by credit code, among those the actor may see
    (`hosts`: the visible_hosts of an import, looked up instead of querying)."""
    code = normalize_credit_code(credit_code)
    problem = credit_code_error(code)
    if problem:
        raise ValidationError({"host_credit_code": [problem]})
    enterprise = (hosts if hosts is not None else visible_hosts(actor, [code])).get(code)
    if enterprise is None:
        raise ValidationError(
            {
                "host_credit_code": [
                    _(
                        "未找到统一社会信用代码为 %(c)s 的企业（或不在您的管理范围内），请先在企业名录中登记"
                    )
                    % {"c": code}
                ]
            }
        )
    return enterprise


def clean_station(
    data: StationData,
    *,
    instance: Station | None = None,
    actor=None,
    hosts: dict[str, Enterprise] | None = None,
) -> dict:
    """Validate every field, collecting all errors; the model field values on success."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def attempt(fn):
        try:
            return fn()
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                errors.setdefault(field, []).extend(msgs)
        except HoursError as exc:
            errors.setdefault("hours", []).append(str(exc))
        return None

    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("请填写驿站名称")]
    out["name"] = name
    address = (data.address or "").strip()
    if not address:
        errors["address"] = [_("请填写地址")]
    out["address"] = address
    if data.org is None:
        errors["org"] = [_("请选择运营工会")]
    elif data.org.is_agency:
        errors["org"] = [_("协作单位不能运营驿站，请选择工会组织")]
    out["org"] = data.org
    system = (data.coord_system or coords.GCJ02).strip().lower().replace("-", "")
    system = {"gps": coords.WGS84, "高德": coords.GCJ02, "腾讯": coords.GCJ02}.get(system, system)
    wgs = attempt(lambda: check_coordinates(data.lat, data.lng, system))
    if wgs:
        out["lat"], out["lng"] = wgs
        out["input_lat"], out["input_lng"] = float(data.lat), float(data.lng)
        out["coord_system"] = system
    for field, choices, label in (
        ("type", Station.Type.choices, _("驿站类型")),
        ("host_kind", Station.HostKind.choices, _("承办单位类型")),
        ("access", Station.Access.choices, _("开放对象")),
        ("status", Station.Status.choices, _("状态")),
    ):
        value = attempt(lambda f=field, c=choices, lb=label: _choice(getattr(data, f), c, f, lb))
        if value:
            out[field] = value
    codes = attempt(lambda: parse_amenities(data.amenities))
    if codes is not None:
        out["amenity_codes"] = codes
    if isinstance(data.hours, list):
        out["hours"] = data.hours
    else:
        rules = attempt(lambda: parse_hours(data.hours))
        if rules is not None:
            out["hours"] = rules
    phone = attempt(lambda: check_phone(data.contact_phone))
    if phone is not None:
        out["contact_phone"] = phone
    out["contact_name"] = (data.contact_name or "").strip()
    out["host_name"] = (data.host_name or "").strip()
    out["host_enterprise"] = None
    if (data.host_credit_code or "").strip():
        host = attempt(lambda: find_host_enterprise(actor, data.host_credit_code, hosts))
        if host is not None:
            out["host_enterprise"] = host
            out["host_kind"] = Station.HostKind.ENTERPRISE
            out["host_name"] = out["host_name"] or host.name
    out["note"] = (data.note or "").strip()
    code = (data.code or "").strip().upper()
    if code:
        if not re.fullmatch(r"[A-Z0-9-]{3,32}", code):
            errors.setdefault("code", []).append(_("驿站编码只能包含字母、数字和连字符（3-32 位）"))
        elif Station.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
            errors.setdefault("code", []).append(_("驿站编码 %(c)s 已被使用") % {"c": code})
        out["code"] = code
    if name and wgs and not errors:
        other = find_duplicate(name, *wgs, exclude_pk=getattr(instance, "pk", None))
        if other is not None:
            errors["name"] = [
                _("重复的驿站：50 米内已有同名驿站“%(name)s”（编码 %(code)s）")
                % {"name": other.name, "code": other.code}
            ]
    if errors:
        raise ValidationError(errors)
    return out


def new_code(org: Org) -> str:
    return f"{org.region_code}-{secrets.token_hex(3).upper()}"


def _amenity_dates(codes: list[str], previous: dict, today: str, verified: bool) -> dict:
    return {c: (today if verified or c not in previous else previous[c]) for c in codes}


def build_station(values: dict, *, verified_on: datetime.date) -> Station:
    values = dict(values)
    codes = values.pop("amenity_codes", [])
    day = verified_on.isoformat()
    station = Station(**values)
    station.amenities = {c: day for c in codes}
    station.hours_verified_on = verified_on
    if not station.code:
        station.code = new_code(station.org)
    return station


@transaction.atomic
def station_create(*, actor, data: StationData) -> Station:
    """Register a station; the operating org must be in the actor's STATION_EDIT scope."""
    if data.org is not None:
        _authorize(actor, Perm.STATION_EDIT, data.org)
    values = clean_station(data, actor=actor)
    station = build_station(values, verified_on=today_local())
    station.full_clean(exclude=["photo"])
    station.save()
    return station


@transaction.atomic
def station_update(
    *, actor, station: Station, data: StationData, verified: bool = False
) -> Station:
    """Change a station. Amenities and hours keep their last-verified date unless they change
    or the actor confirms them (`verified`)."""
    _authorize(actor, Perm.STATION_EDIT, station)
    if data.org is not None and data.org.pk != station.org_id:
        _authorize(actor, Perm.STATION_EDIT, data.org)
    station = Station.objects.select_for_update().get(pk=station.pk)
    values = clean_station(data, instance=station, actor=actor)
    today = today_local()
    codes = values.pop("amenity_codes", [])
    station.amenities = _amenity_dates(codes, station.amenities, today.isoformat(), verified)
    if verified or values.get("hours") != station.hours:
        station.hours_verified_on = today
    for field, value in values.items():
        setattr(station, field, value)
    station.full_clean(exclude=["photo"])
    station.save()
    return station


PHOTO_MAX_BYTES = 5 * 1024 * 1024
# checked by content, not by the name a phone gives the file
PHOTO_SIGNATURES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"RIFF": ".webp"}


@transaction.atomic
def station_photo_set(*, actor, station: Station, upload) -> Station:
    """Replace the station's photo (JPEG, PNG or WebP up to 5 MB), shown on its public page."""
    _authorize(actor, Perm.STATION_EDIT, station)
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("照片不能超过 5 MB")})
    head = upload.read(12)
    upload.seek(0)
    ext = next((e for sig, e in PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    if ext is None or (ext == ".webp" and head[8:12] != b"WEBP"):
        raise ValidationError({"photo": _("请上传 JPG、PNG 或 WebP 格式的照片")})
    station = Station.objects.select_for_update().get(pk=station.pk)
    old = station.photo.name if station.photo else ""
    station.photo.save(f"{station.code}{ext}", upload, save=False)
    station.save(update_fields=["photo", "updated_at"])
    if old and old != station.photo.name:
        transaction.on_commit(lambda: station.photo.storage.delete(old))
    return station


def _exception_values(
    kind: str, start_date: datetime.date, end_date: datetime.date, hours_text: str, reason: str
) -> dict:
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("结束日期不能早于开始日期")]
    if kind not in StationException.Kind.values:
        errors["kind"] = [_("未知的类别")]
    rules: list[dict] = []
    if hours_text.strip():
        try:
            rules = parse_hours(hours_text)
        except HoursError as exc:
            errors["hours_text"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "hours": rules,
        "reason": reason.strip(),
    }


@transaction.atomic
def exception_add(
    *,
    actor,
    station: Station,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours_text: str = "",
    reason: str = "",
) -> StationException:
    """A holiday, temporary closure or special hours; empty hours_text means closed."""
    _authorize(actor, Perm.STATION_EDIT, station)
    values = _exception_values(kind, start_date, end_date, hours_text, reason)
    return StationException.objects.create(station=station, **values)


@transaction.atomic
def exception_update(
    *,
    actor,
    exception: StationException,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours_text: str = "",
    reason: str = "",
) -> StationException:
    """Correct an exception (dates, hours, reason); the change is in the station's history."""
    _authorize(actor, Perm.STATION_EDIT, exception.station)
    values = _exception_values(kind, start_date, end_date, hours_text, reason)
    for field, value in values.items():
        setattr(exception, field, value)
    exception.save()
    return exception


@transaction.atomic
def exception_delete(*, actor, exception: StationException) -> None:
    """Withdraw an exception (a closure that was called off); the deletion is audited."""
    _authorize(actor, Perm.STATION_EDIT, exception.station)
    exception.delete()


# --- visitors: no login, identified by a device cookie --------------------------------------------


def _device(device_id: str) -> str:
    device_id = (device_id or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", device_id):
        raise ValidationError({"device_id": _("无法识别您的设备，请允许浏览器保存 Cookie 后重试")})
    return device_id


def checkin_record(*, station: Station, device_id: str, at=None) -> tuple[Checkin, bool]:
    """Check a visitor in; (checkin, False) if this device already checked in this hour."""
    if station.status != Station.Status.OPEN:
        raise ValidationError({"station": _("该驿站目前不在服务中，无法签到")})
    device_id = _device(device_id)
    at = at or timezone.now()
    hour = at.replace(minute=0, second=0, microsecond=0)
    existing = Checkin.objects.filter(station=station, device_id=device_id, hour=hour).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return (
                Checkin.objects.create(station=station, device_id=device_id, hour=hour, at=at),
                True,
            )
    except IntegrityError:  # a double tap raced us; the other row counts
        return Checkin.objects.get(station=station, device_id=device_id, hour=hour), False


@transaction.atomic
def rating_submit(*, station: Station, device_id: str, score, comment: str = "") -> Rating:
    device_id = _device(device_id)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("请选择 1 到 5 星")})
    rating, _created = Rating.objects.update_or_create(
        station=station,
        device_id=device_id,
        defaults={"score": score, "comment": (comment or "").strip()[:300]},
    )
    return rating


@transaction.atomic
def report_submit(*, station: Station, kind: str, note: str = "", device_id: str = "") -> Report:
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("请选择问题类型")})
    note = (note or "").strip()
    if kind == Report.Kind.OTHER and not note:
        raise ValidationError({"note": _("请简单说明遇到的问题")})
    return Report.objects.create(
        station=station, kind=kind, note=note[:300], device_id=(device_id or "")[:64]
    )


@transaction.atomic
def report_resolve(*, actor, report: Report, resolution: str) -> Report:
    _authorize(actor, Perm.STATION_EDIT, report)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.RESOLVED:
        raise ValidationError({"detail": _("该问题已处理")})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理结果")})
    report.status = Report.Status.RESOLVED
    report.resolution = resolution[:300]
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    return report


@transaction.atomic
def tally_record(*, actor, station: Station, date: datetime.date, visits) -> Tally:
    """Staff's count of visits for one day; recording the day again replaces the figure."""
    _authorize(actor, Perm.STATION_EDIT, station)
    try:
        visits = int(visits)
    except (TypeError, ValueError):
        visits = -1
    if visits < 0 or visits > 100_000:
        raise ValidationError({"visits": _("接待人次应为 0 到 100000 之间的整数")})
    if date > today_local():
        raise ValidationError({"date": _("不能登记未来日期的接待人次")})
    tally, _created = Tally.objects.update_or_create(
        station=station, date=date, defaults={"visits": visits, "recorded_by": actor}
    )
    return tally


@transaction.atomic
def event_create(
    *, actor, station: Station, date: datetime.date, title: str, served, note: str = ""
) -> StationEvent:
    _authorize(actor, Perm.STATION_EDIT, station)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写活动内容")
    try:
        served = int(served)
    except (TypeError, ValueError):
        served = -1
    if served < 0:
        errors["served"] = _("服务人数应为不小于 0 的整数")
    if errors:
        raise ValidationError(errors)
    return StationEvent.objects.create(
        station=station, date=date, title=title, served=served, note=(note or "").strip()
    )
