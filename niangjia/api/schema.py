"""The OpenAPI schema says what the API really accepts (#11 §5: schemathesis found requests the
schema called valid that the server refused). drf-spectacular's generic mapping is corrected
here, for every serializer at once, instead of per endpoint."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from niangjia.core.validators import PROVINCE_CODES

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
REGION_CODE_PATTERN = rf"^(?:{'|'.join(sorted(PROVINCE_CODES))})\d{{4}}$"
# Text fields every serializer validates the same way (core.validators), by name: their rule in
# the schema, so that clients validate before sending and a fuzzer sends what the server takes.
FIELD_PATTERNS = {
    "phone": MOBILE_PATTERN,
    "caller_phone": MOBILE_PATTERN,
    "region_code": REGION_CODE_PATTERN,
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        if getattr(field, "allow_empty", True) is False and not field.read_only:
            if isinstance(field, serializers.DictField):
                schema["minProperties"] = max(schema.get("minProperties", 0), 1)
            elif isinstance(field, serializers.ListField | serializers.ListSerializer):
                schema["minItems"] = max(schema.get("minItems", 0), 1)
        pattern = FIELD_PATTERNS.get(getattr(field, "field_name", None) or "")
        if (
            pattern
            and isinstance(field, serializers.CharField)
            and not field.read_only
            and "pattern" not in schema
        ):
            schema["pattern"] = f"^(?:{pattern[1:-1]})?$" if field.allow_blank else pattern
        return schema


def decimal_pattern(field: serializers.DecimalField) -> str:
    """A decimal string as DRF parses it: at least one digit (spectacular's `^-?\\d{0,12}…$`
    also matches "" and "-"), and no minus sign when the field has a minimum of zero or more."""
    whole, places = field.max_whole_digits, field.decimal_places
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
    if not whole:
        return rf"^{sign}0?\.\d{{1,{places}}}$" if places else rf"^{sign}0$"
    if places:
        return rf"^{sign}(?:\d{{1,{whole}}}{fraction}|\.\d{{1,{places}}})$"
    return rf"^{sign}\d{{1,{whole}}}$"
