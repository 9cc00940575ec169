"""Admin for configuration and support only; staff work in the care pages."""

from __future__ import annotations

from django.contrib import admin

from niangjia.care import models


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "org",
        "status",
        "starts_on",
        "ends_on",
        "budget_amount",
        "spent_amount",
    ]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["spent_amount", "approved_extra_amount"]
    raw_id_fields = ["org", "enterprises", "created_by"]


@admin.register(models.ItemType)
class ItemTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "kind", "unit_value"]
    raw_id_fields = ["campaign"]
