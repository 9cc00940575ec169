"""Every branch of the numeral parser, with the forms complaints use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niangjia.intake.numerals import normalize, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3000", "3000"),  # plain Arabic
        ("14,000", "14000"),  # thousands separators
        ("1,260,000", "1260000"),
        ("1.4", "1.4"),  # decimals
        ("１４０００", "14000"),  # full-width digits
        ("十", "10"),  # a bare ten
        ("十五", "15"),  # ten and a digit: the digit is ones
        ("二十", "20"),
        ("一百二十", "120"),
        ("三千零五十", "3050"),  # 零 inside: the next digit is what it says
        ("十四万", "140000"),  # small units below 万
        ("一百二十六万", "1260000"),
        ("1.4万", "14000"),  # Arabic decimal with 万
        ("3万5", "35000"),  # trailing lone digit: one unit below 万
        ("两千五", "2500"),  # trailing lone digit after 千: hundreds
        ("一万二", "12000"),
        ("一百二", "120"),  # after 百: tens
        ("一万零五", "10005"),  # after 零 the trailing digit is ones
        ("一万零五百", "10500"),
        ("3万50", "30050"),  # a two-digit trailing number is taken as written
        ("1万2000", "12000"),
        ("1万2千", "12000"),
        ("壹万贰仟", "12000"),  # financial (大写) numerals
        ("两万", "20000"),
        ("俩", "2"),
        ("1.2亿", "120000000"),  # 亿 above 万
        ("一亿二千万", "120000000"),
        ("二〇二四", "2024"),  # digit by digit with 〇: a year
        ("二零二五", "2025"),
    ],
)
def test_values(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "七八", "五六千", "3 5", "元", "abc", "万元"])
def test_not_a_number(text):
    # "七八个"/"五六千" are ranges, not one number; units alone are no number
    assert parse_number(text) is None


def test_normalize_keeps_positions():
    text = "欠款１４，０００元"
    assert normalize(text) == "欠款14,000元" and len(normalize(text)) == len(text)
