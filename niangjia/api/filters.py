"""Query filters shared by the API lists."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object id in a query (`?within=12`): an integer, documented as one. django-filter's
    NumberFilter takes any number up to 1e50 and the schema said "number", so `?within=2.5e150`
    was a schema-valid request refused with a 400."""

    field_class = forms.IntegerField
