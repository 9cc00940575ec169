"""Free text read without a Django form or serializer (request.POST in a few views, service
arguments), made safe to store: stripped, and refused with a field error when longer than its
column. PostgreSQL refuses a longer value with a DataError (a 500); SQLite silently keeps it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def bounded_text(value: object, model, field_name: str, *, key: str | None = None) -> str:
    """`value` stripped, if it fits `model.field_name`; else a ValidationError on `key` (default:
    the field name) saying how long it may be."""
    text = str(value or "").strip()
    limit = model._meta.get_field(field_name).max_length
    if limit is not None and len(text) > limit:
        raise ValidationError(
            {
                key or field_name: _("最多可填写 %(limit)d 个字，当前为 %(length)d 个字。")
                % {"limit": limit, "length": len(text)}
            }
        )
    return text
