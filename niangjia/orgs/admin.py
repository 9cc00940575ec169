"""Admin is for configuration (the tree, roles); staff work in the back office pages."""

from __future__ import annotations

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from niangjia.orgs.models import Enterprise, Org, StaffRole


@admin.register(Org)
class OrgAdmin(TreeAdmin):
    form = movenodeform_factory(Org)
    list_display = ["name", "kind", "level", "region_code"]
    search_fields = ["name", "region_code"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "industry", "org"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["org", "union"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user", "org", "enterprise"]
