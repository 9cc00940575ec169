from __future__ import annotations

from django.contrib import admin

from niangjia.intake.models import IntakeAnalysis, IntakeCorrection


@admin.register(IntakeAnalysis)
class IntakeAnalysisAdmin(admin.ModelAdmin):
    # the complaint text is personal data: not listed, not searchable, not editable here
    list_display = ["pk", "created_at", "user", "org", "analyser_version", "reviewed_at"]
    list_filter = ["analyser_version"]
    exclude = ["text"]
    readonly_fields = ["org", "user", "suggestions", "analyser_version", "reviewed_at", "confirmed"]


@admin.register(IntakeCorrection)
class IntakeCorrectionAdmin(admin.ModelAdmin):
    list_display = ["analysis", "field", "accepted", "suggested", "corrected", "by", "at"]
    list_filter = ["field", "accepted"]
    readonly_fields = ["analysis", "field", "suggested", "corrected", "accepted", "by", "at"]
