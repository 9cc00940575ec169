"""#11 §4: spreadsheet and CSV cells that a spreadsheet program would evaluate are escaped."""

from __future__ import annotations

import pytest

from niangjia.core import exports

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_export_cells_starting_with_a_formula_character_are_escaped(value):
    assert exports.cell(value) == "'" + value
    assert exports.uncell(exports.cell(value)) == value


def test_export_cells_keep_numbers_and_plain_text_as_they_are():
    assert exports.row([-5, -1.5, 0, "张三", "", None, "0431-88886666", "'quoted"]) == [
        -5, -1.5, 0, "张三", "", None, "0431-88886666", "'quoted"
    ]  # fmt: skip
    assert exports.uncell("'quoted") == "'quoted"
