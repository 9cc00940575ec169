"""Uploaded spreadsheets, checked before parsing and read streaming (issue #11 §5).

Every import (care hand-out lists, stations) goes through here:

- `check_xlsx` refuses, with a Chinese message, before any parsing: a file over
  `IMPORT_MAX_BYTES`, anything that is not an .xlsx (zip) workbook — an old .xls, a CSV renamed,
  garbage — and a zip whose members unpack to more than `IMPORT_MAX_UNPACKED_BYTES` or pack more
  tightly than `IMPORT_MAX_PACKING_RATIO` (a 240 KB file of 50 MB repeated cells cost 11-25 s
  of CPU to parse). The sizes come from the zip's directory, and Python's zip reader never
  unpacks more than a member declares, so a lying directory cannot get past it.
- `read_sheet` reads the first sheet in openpyxl's read-only mode, values only, ignoring the
  sheet's declared dimensions (a file claiming A1:XFD1048576 is not padded to 16,384 columns; one
  claiming less than it holds is not silently cut short), each row cut to the header's width, and
  stops with an error past `max_rows` data rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# members smaller than this are never refused for their packing ratio (styles, themes)
_RATIO_FLOOR = 1024 * 1024
# unpacked XML allowed per data row when the caller bounds the rows: Excel writes ~0.5-1 KB for a
# row of a dozen cells, so a 5,000-row station list may unpack to ~20 MB, not 200
_BYTES_PER_ROW = 4096


def _size(source) -> int:
    if isinstance(source, bytes | bytearray):
        return len(source)
    size = getattr(source, "size", None)
    if size is not None:
        return size
    position = source.tell()
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def _file(source):
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def not_xlsx_message() -> str:
    return _(
        "无法读取文件：不是有效的 Excel（.xlsx）文件；旧版 .xls 文件请在 Excel 中“另存为” .xlsx 后再上传"
    )


def check_xlsx(source, *, max_rows: int | None = None) -> None:
    """Refuse an upload that is too large or is not an .xlsx workbook; raises ValidationError.

    `source` is bytes, an uploaded file or any seekable binary file; it is left at position 0.
    With `max_rows` the unpacked size is also bounded by what that many rows can need."""
    limit = settings.IMPORT_MAX_BYTES
    size = _size(source)
    if size > limit:
        raise ValidationError(
            _("文件不能超过 %(limit)s（本文件 %(size)s），请分成几个文件导入")
            % {"limit": _human(limit), "size": _human(size)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("文件是空的"), code="empty")
    fh = _file(source)
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ValidationError(not_xlsx_message(), code="not_xlsx")
            unpacked = sum(m.file_size for m in members)
            packed_too_tightly = any(
                m.file_size > _RATIO_FLOOR
                and m.file_size > settings.IMPORT_MAX_PACKING_RATIO * max(m.compress_size, 1)
                for m in members
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(not_xlsx_message(), code="not_xlsx") from exc
    finally:
        fh.seek(0)
    max_unpacked = settings.IMPORT_MAX_UNPACKED_BYTES
    if max_rows is not None:
        max_unpacked = min(max_unpacked, max_rows * _BYTES_PER_ROW + _RATIO_FLOOR)
    if unpacked > max_unpacked or packed_too_tightly:
        raise ValidationError(
            _("文件内容异常（解压后过大），无法导入；请在 Excel 中删除多余的行列后另存再上传"),
            code="unpacked_too_large",
        )


def _human(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def read_sheet(source, *, max_rows: int) -> tuple[list, Iterator[tuple[int, tuple]]]:
    """(header values, iterator of (Excel row number, values)) for the first sheet.

    Checks the file with `check_xlsx` first. Rows are cut (or padded) to the header's width;
    entirely empty rows are skipped; the iterator raises ValidationError past `max_rows` data rows.
    The workbook is closed when the iterator is exhausted or garbage-collected."""
    from openpyxl import load_workbook

    check_xlsx(source, max_rows=max_rows)
    try:
        workbook = load_workbook(_file(source), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the declared size: read what is there
        first = sheet.iter_rows(max_row=1, values_only=True)
        header = next(first, None)
        first.close()
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
        raise ValidationError(not_xlsx_message(), code="not_xlsx") from exc
    if header is None or not any(v not in (None, "") for v in header):
        workbook.close()
        raise ValidationError(_("文件是空的"), code="empty")
    header = list(header)
    while header and header[-1] in (None, ""):
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, tuple]]:
        count = 0
        try:
            values_rows = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
            for number, values in enumerate(values_rows, start=2):
                if not any(v not in (None, "") for v in values):
                    continue
                count += 1
                if count > max_rows:
                    raise ValidationError(
                        _("文件超过 %(n)s 行数据（第 %(row)s 行），请分成几个文件导入")
                        % {"n": max_rows, "row": number},
                        code="too_many_rows",
                    )
                yield number, tuple(values) + (None,) * (width - len(values))
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet part is a user error, not a 500
            raise ValidationError(not_xlsx_message(), code="not_xlsx") from exc
        finally:
            workbook.close()

    return header, rows()
