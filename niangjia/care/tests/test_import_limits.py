"""Spreadsheet uploads are checked before parsing and read streaming (issue #11 §5): too large,
not an .xlsx, a packed "bomb" or too many rows is a Chinese error, never a 500 or minutes of CPU."""

from __future__ import annotations

import io
import re
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.care import imports
from niangjia.care.models import Distribution, ImportJob
from niangjia.care.tests.test_imports import ids, run, xlsx
from niangjia.core import spreadsheets
from niangjia.orgs.models import Person

# an old Excel 97-2003 (.xls) file starts with the OLE2 compound-document signature
XLS = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 2000


def good_rows(n: int, seed: int = 11) -> list[list]:
    return [
        [f"工人{i}", id_, "", "一线职工", "", "", "", "慰问品礼包", 1, None]
        for i, id_ in enumerate(ids(n, seed=seed))
    ]


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with the first sheet's XML passed through `change(text) -> text`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            zout.writestr(item, content)
    return out.getvalue()


def bomb(rows: int = 3000, cells: int = 60) -> bytes:
    """~230 KB that unpacks to megabytes of identical cells (a 242 KB one cost 25 s of CPU)."""
    cell = '<c t="inlineStr"><is><t>x</t></is></c>'
    filler = "".join(f'<row r="{r}">{cell * cells}</row>' for r in range(3, rows + 3))
    return rewrite_sheet(
        xlsx(good_rows(1)),
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', "", xml).replace(
            "</sheetData>", filler + "</sheetData>"
        ),
    )


def post(client, care, name: str, data: bytes):
    client.force_login(care.officer)
    return client.post(
        f"/staff/care/{care.campaign.pk}/import/", {"file": SimpleUploadedFile(name, data)}
    )


def test_care_import_refuses_a_file_over_the_size_limit_on_the_form(client, care, settings):
    settings.IMPORT_MAX_BYTES = 4096
    data = xlsx(good_rows(300))
    assert len(data) > 4096
    response = post(client, care, "list.xlsx", data)
    assert response.status_code == 200
    assert "文件不能超过 4 KB（本文件" in response.text
    assert not ImportJob.objects.exists()
    assert not Distribution.objects.exists()


def test_care_import_refuses_an_xls_file_on_the_form(client, care):
    response = post(client, care, "list.xlsx", XLS)
    assert response.status_code == 200
    assert "不是有效的 Excel（.xlsx）文件" in response.text and ".xls" in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04garbage", b"\x00" * 100, "姓名,身份证号码\n".encode()],
    ids=["empty", "broken-zip", "zeros", "csv"],
)
def test_care_import_refuses_garbage_uploads_on_the_form(client, care, data):
    response = post(client, care, "list.xlsx", data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError, match="不是有效的 Excel"):
        spreadsheets.check_xlsx(out.getvalue())


def test_care_import_refuses_a_packed_bomb_before_parsing(client, care):
    data = bomb()
    assert len(data) < 300 * 1024
    with mock.patch("openpyxl.load_workbook") as load:
        response = post(client, care, "list.xlsx", data)
    assert load.call_count == 0
    assert response.status_code == 200
    assert "文件内容异常" in response.text
    assert not ImportJob.objects.exists()
    # the reader itself refuses it too (a job's stored file is read again on a re-run)
    with pytest.raises(ValidationError, match="文件内容异常"):
        imports.read_workbook(data)


def test_care_import_refuses_more_rows_than_the_limit_and_saves_nothing(client, care, settings):
    settings.IMPORT_MAX_ROWS = 5
    people = Person.objects.count()
    job = run(client, care, xlsx(good_rows(6)))
    assert job.status == ImportJob.Status.INVALID
    assert "文件超过 5 行数据" in job.errors[0]["message"]
    assert not Distribution.objects.exists()
    assert Person.objects.count() == people


def test_care_import_reads_every_row_even_when_the_sheet_declares_fewer():
    # openpyxl's read-only mode trusted <dimension>: a file claiming A1:J2 lost every row after
    # the first, silently
    data = rewrite_sheet(
        xlsx(good_rows(30)),
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:J2"/>', xml),
    )
    assert len(imports.read_workbook(data)) == 30


def test_care_import_is_not_padded_to_a_declared_sheet_of_16384_columns():
    data = rewrite_sheet(
        xlsx(good_rows(30)),
        lambda xml: re.sub(
            r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml
        ).replace("</row>", '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1),
    )
    records = imports.read_workbook(data)
    assert len(records) == 30
    assert records[0][0] == 2 and records[-1][0] == 31


def test_a_normal_list_still_imports_under_the_limits(client, care, settings):
    settings.IMPORT_MAX_ROWS = 30
    job = run(client, care, xlsx(good_rows(30)))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created_count == 30
