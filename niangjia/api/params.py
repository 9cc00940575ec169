"""Query parameters of API lists, read safely: a value that is not what the filter needs is a 400
naming the parameter, never a ValueError (a 500) deep in the ORM (`?officer=abc`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# an id beyond a bigint cannot match a row; PostgreSQL would refuse to compare with it
MAX_ID = 2**63 - 1


def int_param(params, name: str) -> int | None:
    """`params[name]` as a positive integer id, None when absent or empty; else a 400."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_ID or int(raw) == 0:
        raise ValidationError({name: [_("请输入有效的编号（正整数）。")]})
    return int(raw)
