"""Tests for niangjia.core.validators (pure functions, no Django settings needed)."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError

from niangjia.core.validators import (
    PROVINCE_CODES,
    credit_code_checksum_char,
    credit_code_error,
    mask_bank_card,
    mask_mobile,
    mask_name,
    mask_resident_id,
    mobile_error,
    normalize_credit_code,
    normalize_mobile,
    normalize_resident_id,
    region_code_error,
    resident_id_birth_date,
    resident_id_checksum_char,
    resident_id_error,
    resident_id_gender,
    validate_credit_code,
    validate_mobile,
    validate_region_code,
    validate_resident_id,
)

# Well-known published sample (GB 11643 textbook example): valid, check char X.
SAMPLE_ID = "11010519491231002X"


def make_id(first17: str) -> str:
    return first17 + resident_id_checksum_char(first17)


def make_credit_code(first17: str) -> str:
    return first17 + credit_code_checksum_char(first17)


# ---------------------------------------------------------------------------
# Resident ID: checksum helper
# ---------------------------------------------------------------------------


def test_resident_checksum_matches_known_sample():
    assert resident_id_checksum_char(SAMPLE_ID[:17]) == "X"


def test_resident_checksum_computed_by_hand():
    # Given 11010119900307123: weighted sum = 174, 174 % 11 = 9 -> "10X98765432"[9] == "3"
    first17 = "11010119900307123"
    total = sum(
        int(d) * w
        for d, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    assert total == 174
    assert resident_id_checksum_char(first17) == "3"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1234567890123456",
        "123456789012345678",
        "1101051949123100X",
        "１１０１０５１９４９１２３１００２",
    ],
)
def test_resident_checksum_rejects_non_17_ascii_digits(bad):
    with pytest.raises(ValueError):
        resident_id_checksum_char(bad)


# ---------------------------------------------------------------------------
# Resident ID: valid inputs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        SAMPLE_ID,
        make_id("11010119900307123"),  # Beijing Dongcheng
        make_id("44030519851102456"),  # Shenzhen Nanshan
        make_id("65010219000101001"),  # earliest allowed birth date
        make_id("81000020000229002"),  # HK residence permit, leap day
        make_id("83000019991231003"),  # Taiwan residents' permit prefix
    ],
)
def test_valid_resident_id_has_no_error(value):
    assert resident_id_error(value) is None
    validate_resident_id(value)  # does not raise


def test_lowercase_x_is_accepted_after_normalization():
    # Given a valid ID typed with a lowercase x
    raw = SAMPLE_ID.lower()
    # Then the strict validator rejects the raw form ...
    assert resident_id_error(raw) is not None
    # ... but normalization makes it valid
    assert normalize_resident_id(raw) == SAMPLE_ID
    assert resident_id_error(normalize_resident_id(raw)) is None


def test_fullwidth_digits_and_spaces_are_accepted_after_normalization():
    raw = " １１０１０５ １９４９１２３１ ００２ｘ　"
    assert resident_id_error(raw) is not None  # full-width digits are not ASCII digits
    assert normalize_resident_id(raw) == SAMPLE_ID
    assert resident_id_error(normalize_resident_id(raw)) is None


def test_normalize_resident_id_leaves_canonical_value_unchanged():
    assert normalize_resident_id(SAMPLE_ID) == SAMPLE_ID


# ---------------------------------------------------------------------------
# Resident ID: every invalid branch
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["", "11010519491231002", "11010519491231002X0", "110105194912310"]
)
def test_resident_id_with_wrong_length_is_rejected(value):
    assert resident_id_error(value) == "身份证号码应为18位"


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002Y",  # bad last char
        "1101051949123100XX",  # X only allowed last
        "11010519491231-02X",  # punctuation
        "１１０１０５１９４９１２３１００２X",  # full-width digits are not ASCII digits
    ],
)
def test_resident_id_with_bad_characters_is_rejected(value):
    assert len(value) == 18
    assert resident_id_error(value) == "身份证号码前17位应为数字，最后一位应为数字或X"


@pytest.mark.parametrize(
    "prefix",
    [
        "00",
        "10",
        "16",
        "20",
        "24",
        "30",
        "38",
        "40",
        "47",
        "55",
        "60",
        "66",
        "70",
        "72",
        "80",
        "84",
        "99",
    ],
)
def test_resident_id_with_invalid_province_is_rejected(prefix):
    value = make_id(prefix + "010519491231002")
    message = resident_id_error(value)
    assert message is not None
    assert f"“{prefix}”" in message
    assert "省级行政区划代码" in message


def test_resident_id_with_impossible_date_is_rejected():
    # February 30th does not exist; checksum is otherwise correct
    value = make_id("11010119900230123")
    message = resident_id_error(value)
    assert message is not None and "19900230" in message and "不是有效日期" in message


@pytest.mark.parametrize("body", ["11010119901301123", "11010119900000123", "11010119000229123"])
def test_resident_id_with_invalid_month_day_or_non_leap_feb29_is_rejected(body):
    # 1900 is not a leap year (divisible by 100, not by 400)
    assert "不是有效日期" in (resident_id_error(make_id(body)) or "")


def test_resident_id_born_before_1900_is_rejected():
    assert (
        resident_id_error(make_id("11010118991231123"))
        == "身份证号码中的出生日期不能早于1900年1月1日"
    )


def test_resident_id_with_future_birth_date_is_rejected():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    value = make_id(f"110101{tomorrow:%Y%m%d}123")
    assert resident_id_error(value) == "身份证号码中的出生日期不能晚于今天"


@time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False)
def test_resident_id_born_today_is_valid_but_tomorrow_is_not():
    assert resident_id_error(make_id("11010120240615123")) is None
    assert resident_id_error(make_id("11010120240616123")) == "身份证号码中的出生日期不能晚于今天"


def test_resident_id_with_wrong_check_digit_is_rejected_without_revealing_expected():
    value = SAMPLE_ID[:17] + "1"
    message = resident_id_error(value)
    assert message == "身份证号码校验位不正确，请核对"
    assert "X" not in message


@pytest.mark.parametrize("value", [None, 110105194912310020, b"11010519491231002X"])
def test_resident_id_non_string_is_rejected(value):
    assert resident_id_error(value) is not None


def test_validate_resident_id_raises_with_code_and_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("123")
    assert excinfo.value.code == "invalid_resident_id"
    assert excinfo.value.messages == ["身份证号码应为18位"]


# ---------------------------------------------------------------------------
# Resident ID: derived data
# ---------------------------------------------------------------------------


def test_birth_date_and_gender_of_sample():
    # 17th digit 2 is even -> female
    assert resident_id_birth_date(SAMPLE_ID) == datetime.date(1949, 12, 31)
    assert resident_id_gender(SAMPLE_ID) == "F"


def test_gender_odd_17th_digit_is_male():
    value = make_id("44030519851102451")
    assert resident_id_gender(value) == "M"
    assert resident_id_birth_date(value) == datetime.date(1985, 11, 2)


@pytest.mark.parametrize("func", [resident_id_birth_date, resident_id_gender])
def test_derived_data_requires_a_valid_id(func):
    with pytest.raises(ValueError, match="校验位"):
        func(SAMPLE_ID[:17] + "0")


# ---------------------------------------------------------------------------
# Resident ID: property-style check
# ---------------------------------------------------------------------------


def test_random_bodies_with_checksum_pass_and_every_other_last_char_fails():
    rng = random.Random(20240615)  # fixed seed: reproducible failures
    provinces = sorted(PROVINCE_CODES)
    start = datetime.date(1900, 1, 1)
    span = (datetime.date.today() - start).days
    for _ in range(200):
        # Given a random body with a valid province and a real, past birth date
        birth = start + datetime.timedelta(days=rng.randint(0, span))
        region = f"{rng.choice(provinces)}{rng.randint(0, 9999):04d}"
        body = f"{region}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        check = resident_id_checksum_char(body)
        # Then body + checksum is valid and round-trips the birth date
        assert resident_id_error(body + check) is None, body + check
        assert resident_id_birth_date(body + check) == birth
        # And every other possible last character fails on the checksum
        for other in "0123456789X".replace(check, ""):
            assert resident_id_error(body + other) == "身份证号码校验位不正确，请核对", body + other


# ---------------------------------------------------------------------------
# Unified social credit code
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y43",  # commonly cited example, verified by the algorithm
        "91110000100010433L",  # central SOE registered in Beijing
        "11100000000013127D",  # government body, central-level region code 100000
        "91110000100000000R",  # 91110000100000000X is NOT valid; R is the real check char
        make_credit_code("Y1440300MA5D00000"),
        make_credit_code("A1110000MA0000001"),
        make_credit_code("N2510100MA6C0000Q"),
    ],
)
def test_valid_credit_code_has_no_error(value):
    assert credit_code_error(value) is None
    validate_credit_code(value)


def test_credit_checksum_wraps_31_to_zero():
    # Given a body whose weighted sum is a multiple of 31 (all zeros -> sum 0)
    # Then 31 - 0 = 31 maps to "0", not out of range
    assert credit_code_checksum_char("0" * 17) == "0"


def test_credit_checksum_of_known_example():
    assert credit_code_checksum_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("bad", ["", "9135010OM000100Y4", "91350100M000100Y", "91350100M000100Y43"])
def test_credit_checksum_rejects_bad_body(bad):
    with pytest.raises(ValueError):
        credit_code_checksum_char(bad)


def test_example_commonly_mistaken_as_valid_is_rejected():
    assert credit_code_error("91110000100000000X") == "统一社会信用代码校验位不正确，请核对"


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y431"])
def test_credit_code_with_wrong_length_is_rejected(value):
    assert credit_code_error(value) == "统一社会信用代码应为18位"


@pytest.mark.parametrize("char", ["I", "O", "Z", "S", "V"])
def test_credit_code_with_excluded_letter_is_rejected(char):
    value = "91350100M000100" + char + "43"
    assert credit_code_error(value) == f"统一社会信用代码含有非法字符：{char}"


def test_credit_code_lists_each_illegal_character_once_in_order():
    assert credit_code_error("9135010OM0I0100O43") == "统一社会信用代码含有非法字符：O、I"


def test_credit_code_lowercase_is_accepted_after_normalization():
    raw = " 91350100m000100y43\u3000"
    assert credit_code_error(raw) is not None
    assert normalize_credit_code(raw) == "91350100M000100Y43"
    assert credit_code_error(normalize_credit_code(raw)) is None


def test_credit_code_fullwidth_is_accepted_after_normalization():
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize("first", ["0", "B", "C", "M", "X"])
def test_credit_code_with_invalid_registration_authority_is_rejected(first):
    value = make_credit_code(first + "1350100M000100Y4")
    assert credit_code_error(value) == f"统一社会信用代码第1位登记管理部门代码“{first}”无效"


def test_credit_code_with_non_numeric_region_is_rejected():
    value = make_credit_code("913501A0M000100Y4")
    assert credit_code_error(value) == "统一社会信用代码第3至8位应为6位数字的行政区划代码"


def test_credit_code_with_wrong_check_char_is_rejected():
    assert credit_code_error("91350100M000100Y44") == "统一社会信用代码校验位不正确，请核对"


def test_every_wrong_credit_check_char_is_rejected():
    body = "91350100M000100Y4"
    for char in "0123456789ABCDEFGHJKLMNPQRTUWXY".replace("3", ""):
        assert credit_code_error(body + char) == "统一社会信用代码校验位不正确，请核对"


def test_validate_credit_code_raises_with_code():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y44")
    assert excinfo.value.code == "invalid_credit_code"


def test_credit_code_non_string_is_rejected():
    assert credit_code_error(None) is not None


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+861381234567", "+861381234567"),  # prefix kept unless exactly 11 digits follow
        ("86138123456789", "86138123456789"),
    ],
)
def test_normalize_mobile(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "value", ["13812345678", "19912345678", "14700000000", "16600000000", "17012345678"]
)
def test_valid_mobile_has_no_error(value):
    assert mobile_error(value) is None
    validate_mobile(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1381234567",
        "138123456789",
        "23812345678",
        "1381234567a",
        "+8613812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_with_bad_shape_is_rejected(value):
    assert mobile_error(value) == "手机号码应为以1开头的11位数字"


@pytest.mark.parametrize("value", ["12812345678", "10812345678", "11812345678"])
def test_mobile_with_invalid_second_digit_is_rejected(value):
    assert mobile_error(value) == "手机号码第2位应为3至9之间的数字"


def test_plus86_mobile_is_accepted_after_normalization():
    assert mobile_error(normalize_mobile("+86 138-1234-5678")) is None


def test_validate_mobile_raises_with_code():
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile("12812345678")
    assert excinfo.value.code == "invalid_mobile"


# ---------------------------------------------------------------------------
# Region codes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["110000", "110101", "440305", "650102", "710000", "810000", "820000"]
)
def test_valid_region_code_has_no_error(value):
    assert region_code_error(value) is None
    validate_region_code(value)


@pytest.mark.parametrize(
    "value", ["", "11010", "1101011", "11010a", "11 010", "１１０１０１", None, 110101]
)
def test_region_code_with_bad_shape_is_rejected(value):
    assert region_code_error(value) == "行政区划代码应为6位数字"


@pytest.mark.parametrize("value", ["000000", "100000", "990000", "160101"])
def test_region_code_with_invalid_province_is_rejected(value):
    message = region_code_error(value)
    assert message is not None and f"“{value[:2]}”" in message


def test_validate_region_code_raises_with_code():
    with pytest.raises(ValidationError) as excinfo:
        validate_region_code("000000")
    assert excinfo.value.code == "invalid_region_code"


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "raw", "expected"),
    [
        (mask_resident_id, "110101199003071234", "110101********1234"),
        (mask_resident_id, "11010519491231002x", "110105********002X"),
        (mask_resident_id, "1234567890", "**********"),  # too short: reveal nothing
        (mask_mobile, "13812345678", "138****5678"),
        (mask_mobile, "+86 138-1234-5678", "138****5678"),
        (mask_mobile, "1234567", "*******"),
        (mask_bank_card, "6222021234561234", "**** **** **** 1234"),
        (mask_bank_card, "6222 0212 3456 7890 123", "**** **** **** 0123"),
        (mask_bank_card, "1234", "****"),
        (mask_name, "张三丰", "张**"),
        (mask_name, "李四", "李*"),
        (mask_name, "欧阳修", "欧**"),
        (mask_name, " 王五 ", "王*"),
    ],
)
def test_masks(func, raw, expected):
    assert func(raw) == expected


@pytest.mark.parametrize("func", [mask_resident_id, mask_mobile, mask_bank_card, mask_name])
@pytest.mark.parametrize("empty", ["", None])
def test_masks_return_empty_string_for_empty_input(func, empty):
    assert func(empty) == ""
