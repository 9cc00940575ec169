"""Excel import and export of a city's stations, and the POI CSV for 高德/百度.

An import validates every row first and reports each bad row with its number and reason; only a
file without errors is saved, all at once (all-or-nothing)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from niangjia.core import exports, spreadsheets
from niangjia.core.permissions import Perm, filter_for
from niangjia.core.validators import normalize_credit_code
from niangjia.orgs.models import Org
from niangjia.stations import coords, services
from niangjia.stations.models import Amenity, Station

MAX_ROWS = 5000
# header -> StationData field; the first six are required
COLUMNS = [
    ("名称", "name"),
    ("运营工会", "org"),
    ("地址", "address"),
    ("纬度", "lat"),
    ("经度", "lng"),
    ("开放时间", "hours"),
    ("坐标系", "coord_system"),
    ("类型", "type"),
    ("服务设施", "amenities"),
    ("承办单位类型", "host_kind"),
    ("承办单位", "host_name"),
    ("承办企业信用代码", "host_credit_code"),
    ("联系人", "contact_name"),
    ("联系电话", "contact_phone"),
    ("开放对象", "access"),
    ("编码", "code"),
]
REQUIRED = {"名称", "运营工会", "地址", "纬度", "经度", "开放时间"}
DEFAULTS = {
    "coord_system": coords.GCJ02,
    "type": str(Station.Type.UNION.label),
    "host_kind": str(Station.HostKind.OTHER.label),
    "access": str(Station.Access.PUBLIC.label),
}
FIELD_LABELS = {field: header for header, field in COLUMNS} | {"status": "状态"}


@dataclass
class RowError:
    row: int
    message: str


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) > 1000:
        return str(int(value))  # a phone number Excel stored as a number
    return exports.uncell(str(value).strip())  # an exported formula-like text reads back as typed


def max_rows() -> int:
    return min(MAX_ROWS, settings.IMPORT_MAX_ROWS)


def read_rows(file) -> list[tuple[int, dict]]:
    """(Excel row number, {field: text}) for every non-empty row, or ImportFailed.

    Size, format and row count are checked before and while reading (core.spreadsheets)."""
    try:
        header, rows = spreadsheets.read_sheet(file, max_rows=max_rows())
    except ValidationError as exc:
        raise ImportFailed([RowError(0, m) for m in exc.messages]) from exc
    names = [_cell(h) for h in header]
    missing = [h for h in REQUIRED if h not in names]
    if missing:
        rows.close()
        raise ImportFailed(
            [RowError(1, _("表头缺少必填列：%(cols)s") % {"cols": "、".join(sorted(missing))})]
        )
    index = {field: names.index(h) for h, field in COLUMNS if h in names}
    out: list[tuple[int, dict]] = []
    try:
        for number, values in rows:
            data = {field: _cell(values[i]) for field, i in index.items()}
            if any(data.values()):
                out.append((number, data))
    except ValidationError as exc:
        raise ImportFailed([RowError(0, m) for m in exc.messages]) from exc
    if not out:
        raise ImportFailed([RowError(2, _("文件中没有驿站数据"))])
    return out


def _message(exc: ValidationError) -> str:
    parts = []
    for field, msgs in exc.message_dict.items():
        label = FIELD_LABELS.get(field, "")
        parts.extend(f"{label}：{m}" if label else m for m in msgs)
    return "；".join(parts)


def validate_rows(actor, rows: list[tuple[int, dict]]) -> tuple[list[Station], list[RowError]]:
    """Every row checked (all errors collected), and the stations to create if none failed."""
    orgs = filter_for(actor, Perm.STATION_EDIT, Org.objects.filter(kind=Org.Kind.UNION))
    by_name: dict[str, list[Org]] = {}
    for org in orgs:
        by_name.setdefault(org.name, []).append(org)
    hosts = services.visible_hosts(
        actor, {normalize_credit_code(d.get("host_credit_code", "")) for _n, d in rows} - {""}
    )
    today = services.today_local()
    errors: list[RowError] = []
    built: list[tuple[int, Station]] = []
    codes: dict[str, int] = {}
    for number, data in rows:
        org_name = data.pop("org", "")
        candidates = by_name.get(org_name, [])
        if not org_name:
            errors.append(RowError(number, _("运营工会：请填写运营工会")))
            continue
        if len(candidates) != 1:
            errors.append(
                RowError(
                    number,
                    _("运营工会：“%(name)s”不存在或不在您的管理范围内") % {"name": org_name}
                    if not candidates
                    else _("运营工会：有多个名为“%(name)s”的组织，请联系管理员")
                    % {"name": org_name},
                )
            )
            continue
        values = {k: v for k, v in data.items() if v != ""}
        fields = DEFAULTS | values
        try:
            cleaned = services.clean_station(
                services.StationData(org=candidates[0], **fields), actor=actor, hosts=hosts
            )
        except ValidationError as exc:
            errors.append(RowError(number, _message(exc)))
            continue
        station = services.build_station(cleaned, verified_on=today)
        clash = next(
            (
                (n, other)
                for n, other in built
                if other.name == station.name
                and coords.haversine_m(station.lat, station.lng, other.lat, other.lng)
                <= services.DUPLICATE_RADIUS_M
            ),
            None,
        )
        if clash:
            errors.append(
                RowError(
                    number,
                    _("重复的驿站：与第 %(n)s 行同名且相距不到 50 米") % {"n": clash[0]},
                )
            )
            continue
        if station.code in codes:
            errors.append(
                RowError(number, _("编码：与第 %(n)s 行的编码重复") % {"n": codes[station.code]})
            )
            continue
        codes[station.code] = number
        built.append((number, station))
    return [s for _n, s in built], errors


@transaction.atomic
def stations_import(*, actor, file) -> list[Station]:
    """Import stations from an Excel file: all rows or none. ImportFailed lists every bad row."""
    rows = read_rows(file)
    stations, errors = validate_rows(actor, rows)
    if errors:
        raise ImportFailed(errors)
    return Station.objects.bulk_create(stations, batch_size=500)


def _hours(station: Station) -> str:
    return station.hours_text


def export_xlsx(stations) -> bytes:
    """The stations in the import layout (coordinates in GCJ-02), so an export re-imports."""
    wb = Workbook()
    ws = wb.active
    ws.title = "驿站"
    exports.append(ws, [h for h, _f in COLUMNS] + ["状态", "开放时间核实日期", "设施核实日期"])
    for s in stations:
        lat, lng = s.gcj02
        exports.append(
            ws,
            [
                s.name,
                s.org.name,
                s.address,
                round(lat, 6),
                round(lng, 6),
                _hours(s),
                coords.GCJ02,
                s.get_type_display(),
                "、".join(str(x) for x in s.amenity_labels),
                s.get_host_kind_display(),
                s.host_name,
                s.host_enterprise.credit_code if s.host_enterprise_id else "",
                s.contact_name,
                s.contact_phone,
                s.get_access_display(),
                s.code,
                s.get_status_display(),
                s.hours_verified_on.isoformat() if s.hours_verified_on else "",
                "；".join(f"{Amenity(c).label} {d}" for c, d in s.amenities.items()),
            ],
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "驿站"
    exports.append(ws, [h for h, _f in COLUMNS])
    exports.append(
        ws,
        [
            "人民广场工会驿站",
            "南关区总工会",
            "长春市南关区人民大街 1 号",
            43.889214,
            125.331020,
            "周一至周五 08:00-18:00；周六、周日 09:00-17:00",
            "gcj02",
            "工会驿站",
            "热水、座椅、充电",
            "企业",
            "示例承办单位",
            "张三",
            "0431-88886666",
            "面向所有户外劳动者和公众开放",
            "",
        ],
    )
    notes = wb.create_sheet("填写说明")
    for line in [
        "必填列：名称、运营工会、地址、纬度、经度、开放时间；其他列可留空。",
        "坐标系：gcj02（高德/腾讯地图拾取的坐标，默认）或 wgs84（GPS）。坐标须在中国境内。",
        "开放时间：如“周一至周五 08:00-18:00；周六 09:00-12:00”、“每天 07:00-19:00”、"
        "“24小时”，或简写“1-5 08:00-18:00; 6-7 09:00-12:00”（1=周一，7=周日）。",
        "服务设施用顿号分隔，可选：" + "、".join(str(x) for x in Amenity.labels),
        "类型可选：" + "、".join(str(x) for x in Station.Type.labels),
        "同名且相距 50 米以内的驿站视为重复。",
        "文件中任何一行有错误时整个文件都不会导入，请按提示改正后重新上传。",
    ]:
        exports.append(notes, [line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


POI_HEADER = ["名称", "地址", "经度", "纬度", "坐标系", "分类", "营业时间", "电话", "编码"]


def export_poi_csv(stations) -> str:
    """The POI list map platforms take for publishing (GCJ-02), UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    exports.writerow(writer, POI_HEADER)
    for s in stations:
        lat, lng = s.gcj02
        exports.writerow(
            writer,
            [
                s.name,
                s.address,
                f"{lng:.6f}",
                f"{lat:.6f}",
                "GCJ-02",
                f"生活服务;公共服务;{s.get_type_display()}",
                s.hours_text,
                s.contact_phone,
                s.code,
            ],
        )
    return out.getvalue()


def export_filename(prefix: str, ext: str) -> str:
    return f"{prefix}-{datetime.date.today():%Y%m%d}.{ext}"  # noqa: DTZ011 - a file name
