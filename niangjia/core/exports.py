"""Spreadsheet and CSV exports: every string cell goes through `cell` before it is written.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken for a formula by
Excel, WPS and LibreOffice (CSV/formula injection): a worker who types `=HYPERLINK("http://x","y")`
as their name would put a live link, or worse, into the report an officer opens. Such strings are
written with a leading apostrophe, which spreadsheet programs read as "this is text". Numbers are
never touched, so a negative amount stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value to write: strings that a spreadsheet would evaluate get a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append` or `csv.writer.writerow`, every cell through `cell`."""
    return [cell(value) for value in values]


def uncell(value: Any) -> Any:
    """The inverse for imports: a re-imported export reads the text that was escaped."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def append(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)` for openpyxl worksheets (normal or write-only), escaped."""
    sheet.append(row(values))


def writerow(writer, values: Iterable[Any]) -> None:
    """`writer.writerow(values)` for csv writers, escaped."""
    writer.writerow(row(values))
