from __future__ import annotations

from django.urls import path  # noqa: F401 - filled in as the module grows

app_name = "stations_public"

urlpatterns: list = []
