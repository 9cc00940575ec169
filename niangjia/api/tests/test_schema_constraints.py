"""#11 §5: the OpenAPI schema states the constraints the server applies, so that a request the
schema calls valid is not refused (schemathesis found 40 operations where it was)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from niangjia.api.schema import decimal_pattern


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_a_decimal_pattern_no_longer_calls_an_empty_string_valid():
    field = serializers.DecimalField(max_digits=14, decimal_places=2)
    pattern = decimal_pattern(field)
    assert not re.match(pattern, "") and not re.match(pattern, "-")
    assert all(re.match(pattern, v) for v in ("5", "5.", ".5", "-12.25", "123456789012.00"))
    assert not re.match(pattern, "1234567890123")


def test_a_decimal_with_a_minimum_of_zero_has_no_minus_sign_in_its_pattern():
    field = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    assert not re.match(decimal_pattern(field), "-1")


def test_case_lists_of_one_case_are_documented_as_plain_lists(schema):
    for action in ("shares", "recoveries", "timeline", "documents"):
        get = schema["paths"][f"/api/v1/cases/{{id}}/{action}/"]["get"]
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", action
        assert not any(p["name"] == "page" for p in get.get("parameters", [])), action


def test_void_and_confirm_document_their_bodies(schema):
    components = schema["components"]["schemas"]
    void = schema["paths"]["/api/v1/distributions/{id}/void/"]["post"]["requestBody"]
    ref = void["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert components[ref]["required"] == ["reason"]
    assert components[ref]["properties"]["reason"]["maxLength"] == 200


def test_transition_actions_and_phone_numbers_are_documented(schema):
    components = schema["components"]["schemas"]
    action = components["TransitionRequest"]["properties"]["action"]
    assert "$ref" in action or "enum" in action
    phone = components["PersonRequest"]["properties"]["phone"]
    assert "1[3-9]" in str(phone)
