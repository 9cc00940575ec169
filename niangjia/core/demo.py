"""Helpers for fictional demo data: valid-looking ID numbers, credit codes and phones."""

from __future__ import annotations

import datetime
import random

from niangjia.core.validators import credit_code_checksum_char, resident_id_checksum_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅海燕玉兰志强春花文斌晓东鹏飞建华"
)
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def fake_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(SURNAMES) + given


def fake_resident_id(
    rng: random.Random, region: str, *, min_age: int = 18, max_age: int = 60
) -> str:
    today = datetime.date(2025, 1, 1)
    birth = today - datetime.timedelta(days=rng.randint(min_age * 365, max_age * 365))
    body = f"{region}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + resident_id_checksum_char(body)


def fake_credit_code(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return body + credit_code_checksum_char(body)


def fake_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
