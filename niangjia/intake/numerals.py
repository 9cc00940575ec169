"""Numbers as people write them in complaints: Arabic, Chinese and mixed, with 万/千/百/十 units.

    parse_number("十四万")  -> Decimal("140000")
    parse_number("1.4万")   -> Decimal("14000")
    parse_number("3万5")    -> Decimal("35000")   a bare digit after a unit means the next unit down
    parse_number("两千五")  -> Decimal("2500")
    parse_number("一万二")  -> Decimal("12000")
    parse_number("14,000")  -> Decimal("14000")
    parse_number("一万零五") -> Decimal("10005")  after 零 a digit is just a digit
    parse_number("二〇二四") -> Decimal("2024")   digit by digit (years)

No Django here: the analyser and the benchmark import it without settings.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "仨": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# An Arabic number: 14,000 / 1.4 / 3000 (full-width digits are normalised first). Atomic: inside
# NUMBER's repetition a plain `\d+` could split a run of n digits 2^(n-1) ways when what follows
# fails to match (an 18-digit ID number took half a second, 24 digits half a minute).
ARABIC = r"(?>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
# A number expression: Arabic or Chinese digits and units, mixed ("3万5", "1万2千", "十四万"), of
# at most MAX_TOKENS tokens ("一千二百三十四万五千六百七十八" has 15): unbounded, every rule
# backtracked through a long run of numerals from every start, 8 s for 5,000 × "一".
MAX_TOKENS = 24
_MORE = f"{{0,{MAX_TOKENS - 1}}}"
NUMBER = rf"(?:(?:{ARABIC}|[{CN_DIGIT_CHARS}])(?:{ARABIC}|[{CN_DIGIT_CHARS}{CN_UNIT_CHARS}]){_MORE}|[十拾](?:[{CN_DIGIT_CHARS}{CN_UNIT_CHARS}]|{ARABIC}){_MORE})"  # noqa: E501

_TOKEN = re.compile(rf"{ARABIC}|[{CN_DIGIT_CHARS}{CN_UNIT_CHARS}]")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")


def normalize(text: str) -> str:
    """Full-width digits and separators to ASCII; the analyser works on this form throughout
    (same length, so match positions still point into the original text)."""
    return text.translate(_FULL_WIDTH)


def parse_number(expr: str) -> Decimal | None:
    """The value of one number expression, or None when it is not a number."""
    expr = normalize(expr).strip()
    if not expr:
        return None
    tokens = _TOKEN.findall(expr)
    if "".join(tokens) != expr:
        return None
    # digit by digit, no units: 二〇二四 (a year); two digits side by side are a range ("七八个")
    if all(t in DIGITS for t in tokens) and (len(tokens) > 2 or {"零", "〇", "○"} & set(tokens)):
        return Decimal("".join(str(DIGITS[t]) for t in tokens))
    try:
        return _with_units(tokens)
    except InvalidOperation:
        return None


def _value(token: str) -> Decimal:
    if token in DIGITS:
        return Decimal(DIGITS[token])
    return Decimal(token.replace(",", ""))


def _with_units(tokens: list[str]) -> Decimal | None:
    total = Decimal(0)  # finished 亿 parts
    wan = Decimal(0)  # finished 万 parts below the last 亿
    section = Decimal(0)  # the part below 万 being read
    pending: Decimal | None = None  # a digit (or Arabic number) not yet given a unit
    pending_single = False  # pending was one Chinese or one Arabic digit
    last_unit: int | None = None
    after_zero = False
    for token in tokens:
        if token in SMALL_UNITS:
            unit = SMALL_UNITS[token]
            section += (pending if pending is not None else Decimal(1)) * unit
            pending, last_unit, after_zero = None, unit, False
        elif token in BIG_UNITS:
            unit = BIG_UNITS[token]
            part = section + (pending or 0)
            if unit == 10_000:
                wan += part * unit
            else:
                total += (wan + part) * unit
                wan = Decimal(0)
            section, pending, last_unit, after_zero = Decimal(0), None, unit, False
        elif token in DIGITS and DIGITS[token] == 0:
            after_zero = True
            pending = None
        else:
            if pending is not None:  # two numbers side by side ("3 5"): not one expression
                return None
            pending = _value(token)
            pending_single = len(token) == 1
    if pending is not None:
        # 三万五 = 35,000 and 两千五 = 2,500: a lone trailing digit counts in the unit below
        if last_unit and last_unit >= 100 and pending_single and not after_zero:
            pending *= Decimal(last_unit) / 10
        section += pending
    return total + wan + section
