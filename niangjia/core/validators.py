"""Validators, normalizers and masking helpers for Chinese identifiers.

Covers the resident identity card number (GB 11643-1999), the unified social
credit code (GB 32100-2015), mainland mobile numbers and administrative
region codes (GB/T 2260).

Design notes:

* Everything here is pure Python and needs no Django settings; only
  ``ValidationError`` is imported from Django, which works without settings.
* ``*_error`` functions are strict: they check the *canonical* form and do not
  normalize. Call ``normalize_*`` first (e.g. in a form's ``clean_<field>``)
  so that what is validated is exactly what gets stored; otherwise "...002x"
  and "...002X" could both be stored and defeat uniqueness constraints.
* Only ASCII digits count as digits: ``str.isdigit()`` also accepts
  full-width and other Unicode digits, which must not reach the database.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

__all__ = [
    "PROVINCE_CODES",
    "credit_code_checksum_char",
    "credit_code_error",
    "mask_bank_card",
    "mask_mobile",
    "mask_name",
    "mask_resident_id",
    "mobile_error",
    "normalize_credit_code",
    "normalize_mobile",
    "normalize_resident_id",
    "region_code_error",
    "resident_id_birth_date",
    "resident_id_checksum_char",
    "resident_id_error",
    "resident_id_gender",
    "validate_credit_code",
    "validate_mobile",
    "validate_region_code",
    "validate_resident_id",
]

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

# Province-level codes (first two digits of GB/T 2260 codes). 71 = Taiwan,
# 81/82 = Hong Kong/Macao, 83 = Taiwan residents' residence permits.
PROVINCE_CODES: frozenset[str] = frozenset(
    f"{n:02d}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    )
)

# Full-width ASCII variants (U+FF01..U+FF5E) map to ASCII by a fixed offset;
# U+3000 is the ideographic space. Input typed with a Chinese IME often
# contains these. We avoid NFKC because it would also turn e.g. "①" into "1".
_FULLWIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20

_WHITESPACE_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"[0-9]+")  # ASCII only, see module docstring


def _to_halfwidth(value: str) -> str:
    return value.translate(_FULLWIDTH_TABLE)


def _strip_whitespace(value: str) -> str:
    # Removes inner whitespace too: IDs are often written in groups.
    return _WHITESPACE_RE.sub("", value)


def _is_ascii_digits(value: str) -> bool:
    return _DIGITS_RE.fullmatch(value) is not None


# ---------------------------------------------------------------------------
# Resident identity card number (居民身份证号码, GB 11643-1999)
# ---------------------------------------------------------------------------

_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_ID_MIN_BIRTH_DATE = datetime.date(1900, 1, 1)
_ID_RE = re.compile(r"[0-9]{17}[0-9X]")


def normalize_resident_id(value: str) -> str:
    """Return the canonical form: no whitespace, half-width, upper-case X."""
    return _strip_whitespace(_to_halfwidth(value)).replace("x", "X")


def resident_id_checksum_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 body digits.

    Public so demo-data generators can build valid fictional IDs.
    """
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _parse_birth_date(yyyymmdd: str) -> datetime.date | None:
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def resident_id_error(value: object) -> str | None:
    """Return a Chinese error message, or None if ``value`` is a valid ID.

    Expects the normalized form (see ``normalize_resident_id``).
    """
    if not isinstance(value, str):
        return "身份证号码应为文本"
    if len(value) != 18:
        return "身份证号码应为18位"
    if _ID_RE.fullmatch(value) is None:
        return "身份证号码前17位应为数字，最后一位应为数字或X"
    prefix = value[:2]
    if prefix not in PROVINCE_CODES:
        return f"身份证号码前两位“{prefix}”不是有效的省级行政区划代码"
    birth = _parse_birth_date(value[6:14])
    if birth is None:
        return f"身份证号码中的出生日期“{value[6:14]}”不是有效日期"
    if birth < _ID_MIN_BIRTH_DATE:
        return "身份证号码中的出生日期不能早于1900年1月1日"
    # Evaluated per call (not at import) so long-running processes stay correct.
    # "today" is China's calendar day, whatever the server's clock zone
    if birth > datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date():
        return "身份证号码中的出生日期不能晚于今天"
    # Deliberately do not reveal the expected character: it would let anyone
    # "fix" a mistyped or made-up number without checking the real document.
    if resident_id_checksum_char(value[:17]) != value[17]:
        return "身份证号码校验位不正确，请核对"
    return None


def validate_resident_id(value: object) -> None:
    """Django validator; raises ``ValidationError`` (code ``invalid_resident_id``)."""
    message = resident_id_error(value)
    if message is not None:
        raise ValidationError(message, code="invalid_resident_id")


def _require_valid_resident_id(value: str) -> None:
    message = resident_id_error(value)
    if message is not None:
        raise ValueError(message)


def resident_id_birth_date(value: str) -> datetime.date:
    """Birth date encoded in a valid ID; raises ``ValueError`` otherwise."""
    _require_valid_resident_id(value)
    birth = _parse_birth_date(value[6:14])
    assert birth is not None  # guaranteed by validation above
    return birth


def resident_id_gender(value: str) -> str:
    """Gender "M" or "F" from the 17th digit (odd = male); ``ValueError`` if invalid."""
    _require_valid_resident_id(value)
    return "M" if int(value[16]) % 2 == 1 else "F"


# ---------------------------------------------------------------------------
# Unified social credit code (统一社会信用代码, GB 32100-2015)
# ---------------------------------------------------------------------------

# I, O, Z, S, V are excluded by the standard to avoid confusion with 1/0/2/5/U.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES: dict[str, int] = {c: i for i, c in enumerate(_CREDIT_ALPHABET)}
# 3**i mod 31, as specified by the standard.
_CREDIT_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authority codes: 1-9 plus A (military), N (agriculture), Y (other).
_CREDIT_AUTHORITIES = frozenset("123456789ANY")


def normalize_credit_code(value: str) -> str:
    """Return the canonical form: no whitespace, half-width, upper-case."""
    return _strip_whitespace(_to_halfwidth(value)).upper()


def credit_code_checksum_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters.

    Public so demo-data generators can build valid fictional codes.
    """
    if len(first17) != 17 or any(c not in _CREDIT_VALUES for c in first17):
        raise ValueError("first17 must be 17 characters from the credit-code alphabet")
    total = sum(_CREDIT_VALUES[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    check = 31 - total % 31
    return _CREDIT_ALPHABET[0 if check == 31 else check]


def credit_code_error(value: object) -> str | None:
    """Return a Chinese error message, or None if ``value`` is a valid code.

    Expects the normalized form (see ``normalize_credit_code``).
    """
    if not isinstance(value, str):
        return "统一社会信用代码应为文本"
    if len(value) != 18:
        return "统一社会信用代码应为18位"
    # Report every distinct offending character, in order, so users can fix
    # them in one go (typically O/I typed for 0/1).
    illegal = list(dict.fromkeys(c for c in value if c not in _CREDIT_VALUES))
    if illegal:
        return f"统一社会信用代码含有非法字符：{'、'.join(illegal)}"
    if value[0] not in _CREDIT_AUTHORITIES:
        return f"统一社会信用代码第1位登记管理部门代码“{value[0]}”无效"
    # Only the shape is checked for the region part: central-level bodies use
    # codes such as 100000 that are not province-level codes. Position 2
    # (institution type) is covered by the alphabet and the check character.
    if not _is_ascii_digits(value[2:8]):
        return "统一社会信用代码第3至8位应为6位数字的行政区划代码"
    if credit_code_checksum_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None


def validate_credit_code(value: object) -> None:
    """Django validator; raises ``ValidationError`` (code ``invalid_credit_code``)."""
    message = credit_code_error(value)
    if message is not None:
        raise ValidationError(message, code="invalid_credit_code")


# ---------------------------------------------------------------------------
# Mainland mobile numbers
# ---------------------------------------------------------------------------

_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-]+")
_MOBILE_PREFIX_RE = re.compile(r"\+?86([0-9]{11})")


def normalize_mobile(value: str) -> str:
    """Strip spaces/dashes and a leading +86/86 country code."""
    compact = _MOBILE_SEPARATORS_RE.sub("", _to_halfwidth(value))
    # Only drop "86" when exactly 11 digits follow, so a mistyped number is
    # left as-is and rejected by validation rather than silently altered.
    match = _MOBILE_PREFIX_RE.fullmatch(compact)
    return match.group(1) if match else compact


def mobile_error(value: object) -> str | None:
    """Return a Chinese error message, or None if ``value`` is a valid mobile.

    Expects the normalized form (see ``normalize_mobile``).
    """
    if not isinstance(value, str):
        return "手机号码应为文本"
    if len(value) != 11 or not _is_ascii_digits(value) or value[0] != "1":
        return "手机号码应为以1开头的11位数字"
    if value[1] not in "3456789":
        return "手机号码第2位应为3至9之间的数字"
    return None


def validate_mobile(value: object) -> None:
    """Django validator; raises ``ValidationError`` (code ``invalid_mobile``)."""
    message = mobile_error(value)
    if message is not None:
        raise ValidationError(message, code="invalid_mobile")


# ---------------------------------------------------------------------------
# Administrative region codes (行政区划代码, GB/T 2260)
# ---------------------------------------------------------------------------


def region_code_error(value: object) -> str | None:
    """Return a Chinese error message, or None if ``value`` is a valid code.

    Checks the shape and the province prefix only; whether the city/county
    part currently exists is a data question, not a format one.
    """
    if not isinstance(value, str) or len(value) != 6 or not _is_ascii_digits(value):
        return "行政区划代码应为6位数字"
    prefix = value[:2]
    if prefix not in PROVINCE_CODES:  # also rejects "000000"
        return f"行政区划代码前两位“{prefix}”不是有效的省级行政区划代码"
    return None


def validate_region_code(value: object) -> None:
    """Django validator; raises ``ValidationError`` (code ``invalid_region_code``)."""
    message = region_code_error(value)
    if message is not None:
        raise ValidationError(message, code="invalid_region_code")


# ---------------------------------------------------------------------------
# Masking for display (logs, lists, exports)
# ---------------------------------------------------------------------------
# Inputs too short to keep the usual visible parts are masked entirely: a
# masking helper must never reveal more than it would for a well-formed value.


def mask_resident_id(value: str | None) -> str:
    """Keep the first 6 and last 4: "110101199003071234" -> "110101********1234"."""
    if not value:
        return ""
    value = normalize_resident_id(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """Keep the first 3 and last 4: "13812345678" -> "138****5678"."""
    if not value:
        return ""
    value = normalize_mobile(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_card(value: str | None) -> str:
    """Keep the last 4 only: "6222 0212 3456 1234" -> "**** **** **** 1234".

    The masked prefix has a fixed shape so the card length is not revealed.
    """
    if not value:
        return ""
    digits = _MOBILE_SEPARATORS_RE.sub("", _to_halfwidth(value))
    if len(digits) <= 4:
        return "*" * len(digits)
    return "**** **** **** " + digits[-4:]


def mask_name(value: str | None) -> str:
    """Keep the first character, one * per other: "张三丰" -> "张**", "李四" -> "李*"."""
    if not value:
        return ""
    value = value.strip()
    return value[:1] + "*" * (len(value) - 1)
