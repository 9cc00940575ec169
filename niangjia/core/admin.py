"""Admin for the statutory calendar (configuration only; staff enter years at /staff/calendar/)."""

from __future__ import annotations

from django.contrib import admin

from niangjia.core import calendar
from niangjia.core.models import OfficialDay, OfficialYear


class OfficialDayInline(admin.TabularInline):
    model = OfficialDay
    extra = 0
    fields = ["date", "name", "kind", "entered_by", "created_at"]
    readonly_fields = ["entered_by", "created_at"]


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "source", "entered_by", "updated_at"]
    readonly_fields = ["entered_by", "created_at", "updated_at"]
    inlines = [OfficialDayInline]

    # edits here bypass calendar.official_year_save, so drop the cached year explicitly
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar.invalidate(form.instance.year)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.invalidate(obj.year)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar.invalidate()


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind", "official_year", "entered_by"]
    list_filter = ["kind", "official_year"]
    readonly_fields = ["entered_by", "created_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar.invalidate()
