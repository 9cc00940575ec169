"""The station import had no size limit at all (issue #11 §5): it now refuses, before parsing, a
file too large, not an .xlsx, or packed to unpack to far more than its rows can need."""

from __future__ import annotations

import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.care.tests.test_import_limits import XLS, rewrite_sheet
from niangjia.stations import imports
from niangjia.stations.models import Station
from niangjia.stations.tests.test_import import row, xlsx


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["station_manager"])
    return client


def upload(data: bytes, name: str = "stations.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def station_bomb() -> bytes:
    """~200 KB whose sheet declares 4,001 rows and holds 400 cells in each (15 s to read)."""
    cell = '<c t="inlineStr"><is><t>x</t></is></c>'
    filler = "".join(f'<row r="{r}">{cell * 400}</row>' for r in range(3, 4003))
    return rewrite_sheet(
        xlsx([row(1)]).getvalue(),
        lambda xml: re.sub(
            r'<dimension ref="[^"]*"/>', '<dimension ref="A1:OJ4002"/>', xml
        ).replace("</sheetData>", filler + "</sheetData>"),
    )


def test_station_import_refuses_a_file_over_the_size_limit(manager, settings):
    settings.IMPORT_MAX_BYTES = 2048
    r = manager.post("/staff/stations/import/", {"file": upload(xlsx([row(1)]).getvalue())})
    assert r.status_code == 200
    assert "文件不能超过 2 KB" in r.text
    assert not Station.objects.exists()


def test_station_import_refuses_an_xls_or_garbage_file_on_the_form(manager):
    for data in (XLS, b"not a spreadsheet", b""):
        r = manager.post("/staff/stations/import/", {"file": upload(data)})
        assert r.status_code == 200
        assert "invalid-feedback" in r.text, data
        if data:
            assert "不是有效的 Excel（.xlsx）文件" in r.text
    assert not Station.objects.exists()


def test_station_import_refuses_a_packed_bomb_before_parsing(manager, world):
    data = station_bomb()
    assert len(data) < 300 * 1024
    with mock.patch("openpyxl.load_workbook") as load:
        r = manager.post("/staff/stations/import/", {"file": upload(data)})
    assert load.call_count == 0
    assert r.status_code == 200
    assert "文件内容异常" in r.text
    # and the service refuses it too, for any caller that skips the form
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(actor=world.users["station_manager"], file=io.BytesIO(data))
    assert "文件内容异常" in exc.value.errors[0].message
    assert not Station.objects.exists()


def test_station_import_row_limit_follows_the_setting(world, settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(imports.ImportFailed) as exc:
        imports.stations_import(
            actor=world.users["station_manager"], file=xlsx([row(i) for i in range(1, 5)])
        )
    assert "文件超过 3 行数据" in exc.value.errors[0].message
    assert not Station.objects.exists()


def test_station_import_reads_every_row_even_when_the_sheet_declares_fewer(world):
    data = rewrite_sheet(
        xlsx([row(i) for i in range(1, 8)]).getvalue(),
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:I2"/>', xml),
    )
    created = imports.stations_import(actor=world.users["station_manager"], file=io.BytesIO(data))
    assert len(created) == 7


# --- API -----------------------------------------------------------------------------------------


def test_station_import_api_refuses_bad_files_with_a_chinese_reason(manager, settings):
    for data in (XLS, b"garbage", station_bomb()):
        r = manager.post("/api/v1/stations/import/", {"file": upload(data)})
        assert r.status_code == 400, r.content
        message = r.json()["errors"][0]["message"]
        assert "不是有效的 Excel" in message or "文件内容异常" in message
    settings.IMPORT_MAX_BYTES = 2048
    r = manager.post("/api/v1/stations/import/", {"file": upload(xlsx([row(1)]).getvalue())})
    assert r.status_code == 400
    assert "文件不能超过 2 KB" in r.json()["errors"][0]["message"]
    assert not Station.objects.exists()


def test_station_import_api_reports_bad_rows_then_imports(manager):
    bad = xlsx([row(1), row(2, 服务设施="按摩椅")]).getvalue()
    r = manager.post("/api/v1/stations/import/", {"file": upload(bad)})
    assert r.status_code == 400
    assert r.json()["errors"][0]["row"] == 3
    assert not Station.objects.exists()
    r = manager.post("/api/v1/stations/import/", {"file": upload(xlsx([row(1)]).getvalue())})
    assert r.status_code == 201 and r.json() == {"created": 1}
    assert Station.objects.count() == 1


def test_station_import_api_needs_the_edit_permission(client, world):
    client.force_login(world.users["outsider"])
    r = client.post("/api/v1/stations/import/", {"file": upload(xlsx([row(1)]).getvalue())})
    assert r.status_code == 403
    assert not Station.objects.exists()
