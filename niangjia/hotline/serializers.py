from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from niangjia.core import validators
from niangjia.hotline.models import CATEGORY_CHOICES, Callback, Consultation
from niangjia.hotline.services import MAX_DURATION
from niangjia.rights.models import Case, ClaimItem


class PhoneField(serializers.CharField):
    """A mainland mobile number, normalised (+86, spaces, full-width digits) and validated."""

    def to_internal_value(self, data):
        value = validators.normalize_mobile(super().to_internal_value(data))
        if value and (msg := validators.mobile_error(value)):
            raise serializers.ValidationError(msg)
        return value


class CallbackSerializer(serializers.ModelSerializer):
    assigned_to_name = serializers.SerializerMethodField()
    caller_phone_masked = serializers.CharField(
        source="consultation.caller_phone_masked", read_only=True
    )
    overdue = serializers.SerializerMethodField()
    done_on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = Callback
        fields = [
            "id", "consultation", "caller_phone_masked", "due_at", "assigned_to",
            "assigned_to_name", "note", "done_at", "result_note", "done_on_time", "overdue",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_assigned_to_name(self, obj) -> str:
        return obj.assigned_to.get_full_name() or obj.assigned_to.get_username()

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.done_at is None and obj.due_at < timezone.now()


class ConsultationSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    operator_name = serializers.SerializerMethodField()
    caller_phone_masked = serializers.CharField(read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    case_number = serializers.CharField(
        source="case.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Consultation
        fields = [
            "id", "org", "org_name", "operator", "operator_name", "caller_phone_masked",
            "caller_name", "employer_name", "started_at", "duration_seconds", "channel",
            "channel_display", "category", "category_display", "question", "answer", "outcome",
            "outcome_display", "case", "case_number", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_operator_name(self, obj) -> str:
        if obj.operator is None:
            return ""
        return obj.operator.get_full_name() or obj.operator.get_username()


class ConsultationDetailSerializer(ConsultationSerializer):
    callbacks = CallbackSerializer(many=True, read_only=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "callbacks"]
        read_only_fields = fields


class ConsultationCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False, help_text=_("受理工会；缺省为本人所在工会"))
    caller_phone = PhoneField(max_length=20, required=False, allow_blank=True, default="")
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    employer_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES)
    question = serializers.CharField()
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=[c for c in Consultation.Outcome.choices if c[0] != Consultation.Outcome.CONVERTED],
        default=Consultation.Outcome.ANSWERED,
    )
    channel = serializers.ChoiceField(
        choices=Consultation.Channel.choices, default=Consultation.Channel.HOTLINE
    )
    duration_seconds = serializers.IntegerField(min_value=0, max_value=MAX_DURATION, default=0)
    started_at = serializers.DateTimeField(required=False)
    callback_due_at = serializers.DateTimeField(required=False)
    callback_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class ConvertSerializer(serializers.Serializer):
    """What the intake adds to or corrects in what the consultation carries over (all optional)."""

    caller_name = serializers.CharField(max_length=50, required=False)
    employer_name = serializers.CharField(max_length=120, required=False)
    project_name = serializers.CharField(max_length=120, required=False)
    category = serializers.ChoiceField(choices=Case.Category.choices, required=False)
    source = serializers.ChoiceField(choices=Case.Source.choices, required=False)
    facts = serializers.CharField(required=False)
    claim_kind = serializers.ChoiceField(choices=ClaimItem.Kind.choices, required=False)
    claim_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )
    infringed_on = serializers.DateField(required=False)
    employment_ended_on = serializers.DateField(required=False)
    injury_on = serializers.DateField(required=False)


class CallbackCreateSerializer(serializers.Serializer):
    consultation = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    assigned_to = serializers.IntegerField(required=False)


class CallbackCompleteSerializer(serializers.Serializer):
    result_note = serializers.CharField(max_length=2000)
