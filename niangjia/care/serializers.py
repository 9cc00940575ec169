from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from niangjia.care.models import Beneficiary, Campaign, Distribution, ImportJob, ItemType


class ItemTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemType
        fields = ["id", "name", "kind", "unit_value"]


class CampaignSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    items = ItemTypeSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "org",
            "org_name",
            "starts_on",
            "ends_on",
            "status",
            "target_groups",
            "budget_amount",
            "approved_extra_amount",
            "spent_amount",
            "items",
        ]


class HardshipSummarySerializer(serializers.Serializer):
    level = serializers.CharField()
    status = serializers.CharField()
    next_review_on = serializers.DateField()
    is_overdue = serializers.BooleanField()


class BeneficiarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)
    phone_masked = serializers.CharField(source="person.phone_masked", read_only=True)
    bank_card_masked = serializers.CharField(read_only=True)
    hardship = serializers.SerializerMethodField()

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "person",
            "name",
            "id_number_masked",
            "phone_masked",
            "org",
            "category",
            "employer",
            "platform",
            "depot",
            "bank_card_masked",
            "hardship",
        ]

    def get_hardship(self, obj) -> dict | None:
        hardship = getattr(obj, "hardship", None)
        return HardshipSummarySerializer(hardship).data if hardship else None


class DistributionSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", label=_("活动"))
    beneficiary = serializers.IntegerField(source="beneficiary_id", label=_("帮扶对象"))
    item = serializers.IntegerField(source="item_id", label=_("慰问项目"))
    quantity = serializers.IntegerField(min_value=1, default=1)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    receipt_kind = serializers.ChoiceField(
        choices=[Distribution.ReceiptKind.SMS, Distribution.ReceiptKind.SIGNATURE],
        default=Distribution.ReceiptKind.SMS,
    )
    signature = serializers.FileField(required=False, write_only=True)
    payment_method = serializers.ChoiceField(
        choices=["", "bank", "in_person"], required=False, default=""
    )
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Distribution
        fields = [
            "id",
            "campaign",
            "beneficiary",
            "item",
            "quantity",
            "amount",
            "person_name",
            "org",
            "category",
            "distributed_at",
            "receipt_kind",
            "signature",
            "receipt_confirmed_at",
            "payment_method",
            "payment_status",
            "override_reason",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = [
            "org",
            "category",
            "distributed_at",
            "receipt_confirmed_at",
            "payment_status",
            "voided_at",
            "void_reason",
        ]


class VoidRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("作废原因"))


class ConfirmRequestSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$", label=_("短信验证码"), help_text=_("六位数字"))


class ImportJobSerializer(serializers.ModelSerializer):
    """An Excel hand-out import (issue #11 §5): poll it until `status` is final; a `failed` one
    (its process died, or the worker errored) can be re-run with `POST …/rerun/`."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    errors = serializers.ListField(child=serializers.DictField(), read_only=True)
    can_rerun = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "campaign",
            "filename",
            "status",
            "status_display",
            "total",
            "processed",
            "created_count",
            "errors",
            "attempts",
            "heartbeat_at",
            "can_rerun",
            "created_at",
        ]
        read_only_fields = fields


class ImportJobCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    file = serializers.FileField(
        help_text=_("Excel（.xlsx）文件；大小、行数上限见 IMPORT_MAX_BYTES / IMPORT_MAX_ROWS")
    )
