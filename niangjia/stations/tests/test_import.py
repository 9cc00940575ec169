from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from niangjia.stations import coords, imports
from niangjia.stations.models import Station
from niangjia.stations.tests.conftest import CENTRE

HEADER = ["名称", "运营工会", "地址", "纬度", "经度", "开放时间", "坐标系", "服务设施", "联系电话"]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "stations.xlsx"
    return out


def row(i, **over):
    values = {
        "名称": f"导入驿站{i}",
        "运营工会": "甲区总工会",
        "地址": f"人民大街{i}号",
        "纬度": CENTRE[0] + i * 0.001,
        "经度": CENTRE[1],
        "开放时间": "周一至周五 08:00-18:00",
        "坐标系": "gcj02",
        "服务设施": "热水、座椅",
        "联系电话": "0431-88886666",
    } | over
    return [values[h] for h in HEADER]


def test_a_clean_file_imports_every_row(world):
    created = imports.stations_import(
        actor=world.users["station_manager"], file=xlsx([row(i) for i in range(1, 51)])
    )
    assert len(created) == 50
    s = Station.objects.get(name="导入驿站1")
    assert s.coord_system == "gcj02"
    assert (
        coords.haversine_m(*coords.wgs84_to_gcj02(s.lat, s.lng), CENTRE[0] + 0.001, CENTRE[1])
        < 0.01
    )
    assert set(s.amenities) == {"hot_water", "seating"}


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_saved(world):
    rows = [
        row(1),
        row(2, 纬度=48.85, 经度=2.35),
        row(3, 服务设施="热水、按摩椅"),
        row(4, 开放时间="早八晚六"),
        row(5, 运营工会="丙区总工会"),
        row(6, 名称="导入驿站1", 纬度=CENTRE[0] + 0.0012),  # 22 m from row 1, same name
        row(7, 坐标系="bd09"),
        row(8),
    ]
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(actor=world.users["station_manager"], file=xlsx(rows))
    errors = {e.row: e.message for e in exc.value.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "不在中国境内" in errors[3]
    assert "未知的服务设施：按摩椅" in errors[4]
    assert "开放时间格式不正确" in errors[5]
    assert "不存在或不在您的管理范围内" in errors[6]
    assert "与第 2 行同名且相距不到 50 米" in errors[7]
    assert "未知的坐标系" in errors[8]
    assert Station.objects.count() == 0


def test_duplicate_of_an_existing_station_is_a_row_error(world, station):
    rows = [row(1, 名称=station.name, 纬度=station.lat, 经度=station.lng, 坐标系="wgs84")]
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(actor=world.users["station_manager"], file=xlsx(rows))
    assert "50 米内已有同名驿站" in exc.value.errors[0].message
    assert Station.objects.count() == 1


def test_missing_columns_and_non_excel_files_are_explained(world):
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(
            actor=world.users["station_manager"], file=xlsx([["x"]], header=["名称"])
        )
    assert "表头缺少必填列" in exc.value.errors[0].message
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(
            actor=world.users["station_manager"], file=io.BytesIO(b"not a spreadsheet")
        )
    assert "无法读取文件" in exc.value.errors[0].message


def test_export_reimports_and_poi_csv_is_gcj02(world, station):
    data = imports.export_xlsx(Station.objects.select_related("org"))
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    values = dict(zip(header, [c.value for c in ws[2]], strict=False))
    glat, glng = coords.wgs84_to_gcj02(station.lat, station.lng)
    assert values["名称"] == station.name
    assert values["坐标系"] == "gcj02"
    assert values["纬度"] == pytest.approx(glat, abs=1e-6)
    text = imports.export_poi_csv([station])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == imports.POI_HEADER
    assert rows[1][0] == station.name
    assert (float(rows[1][3]), float(rows[1][2])) == (
        pytest.approx(glat, abs=1e-6),
        pytest.approx(glng, abs=1e-6),
    )
    assert rows[1][4] == "GCJ-02"
    assert rows[1][6] == "每天 24小时"


def test_import_links_host_enterprises_by_credit_code_and_reports_unknown_ones(world):
    header = [*HEADER, "承办企业信用代码"]

    def host_row(i, code):
        return [*row(i), code]

    with pytest.raises(imports.ImportFailed) as failed:
        imports.stations_import(
            actor=world.users["station_manager"],
            file=xlsx(
                [host_row(1, world.E1.credit_code), host_row(2, "91110000MA0000000X")], header
            ),
        )
    assert [e.row for e in failed.value.errors] == [3]
    assert "承办企业信用代码" in failed.value.errors[0].message
    assert not Station.objects.exists()
    created = imports.stations_import(
        actor=world.users["station_manager"],
        file=xlsx([host_row(1, world.E1.credit_code), host_row(2, "")], header),
    )
    first = Station.objects.get(pk=created[0].pk)
    assert first.host_enterprise == world.E1
    assert first.host_name == world.E1.name
    exported = load_workbook(io.BytesIO(imports.export_xlsx(Station.objects.order_by("pk"))))
    values = list(exported.active.values)
    column = values[0].index("承办企业信用代码")
    assert values[1][column] == world.E1.credit_code


def test_host_enterprises_are_looked_up_once_per_import(world, django_assert_max_num_queries):
    header = [*HEADER, "承办企业信用代码"]
    rows = [[*row(i), world.E1.credit_code] for i in range(1, 21)]
    parsed = imports.read_rows(xlsx(rows, header))
    # one duplicate probe per row (20) and three more; a lookup per host would add 20
    with django_assert_max_num_queries(25):
        stations, errors = imports.validate_rows(world.users["station_manager"], parsed)
    assert not errors
    assert {s.host_enterprise_id for s in stations} == {world.E1.pk}


def test_station_exports_escape_a_formula_typed_as_a_name(world, station):
    formula = '=HYPERLINK("http://x","y")'
    Station.objects.filter(pk=station.pk).update(name=formula, contact_phone="-1")
    ws = load_workbook(
        io.BytesIO(imports.export_xlsx(Station.objects.select_related("org")))
    ).active
    name = ws.cell(row=2, column=1)
    assert name.data_type == "s"  # text, not a formula
    assert name.value == "'" + formula
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    assert isinstance(ws.cell(row=2, column=4).value, float)  # coordinates stay numbers
    rows = list(
        csv.reader(io.StringIO(imports.export_poi_csv(Station.objects.all()).lstrip("\ufeff")))
    )
    assert rows[1][0] == "'" + formula
    assert rows[1][7] == "'-1"
