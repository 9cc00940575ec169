from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niangjia.rights.models import (
    AgencyAct,
    Case,
    CaseDocument,
    CaseShare,
    CaseWorker,
    ClaimItem,
    ContractorLink,
    Deadline,
    Evidence,
    Recovery,
    TimelineEntry,
)
from niangjia.rights.services import ACTION_LABELS, CALCULATOR_CLAIMS, route_for


class CaseListSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    workers_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "org", "org_name", "source", "category", "category_display", "stage",
            "stage_display", "outcome", "employer_name", "received_on", "closed_on", "officer",
            "workers_count",
        ]  # fmt: skip


class CaseWorkerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    id_number_masked = serializers.CharField(source="person.id_number_masked")
    phone_masked = serializers.CharField(source="display_phone_masked")
    route = serializers.SerializerMethodField()

    class Meta:
        model = CaseWorker
        fields = [
            "id", "name", "id_number_masked", "phone_masked", "employment_form", "job",
            "is_representative", "route",
        ]  # fmt: skip

    def get_route(self, obj) -> str:
        return str(route_for(obj, obj.case.category))


class ClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimItem
        fields = [
            "id", "worker", "kind", "amount", "period_start", "period_end", "calculation",
            "calculator", "calculator_inputs", "calculator_result",
        ]  # fmt: skip
        read_only_fields = ["calculator", "calculator_inputs", "calculator_result"]


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = [
            "id", "rule", "name", "legal_basis", "start", "due", "moved_for_holiday",
            "calendar_complete", "status", "note",
        ]  # fmt: skip


class RecoverySerializer(serializers.ModelSerializer):
    shares = serializers.SerializerMethodField()

    class Meta:
        model = Recovery
        fields = ["id", "amount", "on", "payer", "kind", "over_claim_reason", "shares"]

    def get_shares(self, obj) -> list[dict]:
        return [
            {"worker": s.worker_id, "name": s.worker.display_name, "amount": str(s.amount)}
            for s in obj.shares.all()
        ]


class ShareSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = CaseShare
        fields = [
            "id", "agency", "agency_name", "kind", "access", "note", "created_at", "returned_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "returned_at"]


class AgencyActSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = AgencyAct
        fields = ["id", "agency", "agency_name", "kind", "on", "document_number", "note"]
        read_only_fields = ["agency"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "description", "size", "sha256", "uploaded_at"]


class TimelineSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    actor_org = serializers.CharField(source="actor_org.name", default=None)

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "kind", "visibility", "actor", "actor_org", "text"]


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, label=_("备注"))
    visibility = serializers.ChoiceField(
        choices=TimelineEntry.Visibility.choices,
        default=TimelineEntry.Visibility.INTERNAL,
        label=_("可见范围"),
    )


class WorkerTimelineSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimelineEntry
        fields = ["at", "kind", "text"]


class WorkerCaseSerializer(serializers.ModelSerializer):
    """A worker's own case: status, dates, amounts, the steps and the notes shown to the worker,
    the signed documents. Never internal notes, evidence, deadlines or partner details."""

    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    handling_union = serializers.CharField(source="org.name", read_only=True)
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    claims = serializers.SerializerMethodField()
    recoveries = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "stage", "stage_display", "outcome", "category", "category_display",
            "handling_union", "employer_name", "received_on", "closed_on", "agreement_amount",
            "agreement_signed_on", "payment_due_on", "amount_claimed", "amount_recovered",
            "claims", "recoveries", "documents", "timeline",
        ]  # fmt: skip

    def get_claims(self, obj) -> list[dict]:
        return [
            {"kind": c.kind, "kind_display": c.get_kind_display(), "amount": str(c.amount)}
            for c in obj.claims.all()
        ]

    def get_recoveries(self, obj) -> list[dict]:
        return [
            {"on": r.on.isoformat(), "kind": r.kind, "amount": str(r.amount)}
            for r in obj.recoveries.order_by("on", "pk")
        ]

    def get_documents(self, obj) -> list[dict]:
        rows = obj.documents.filter(signed=True).order_by("kind", "-version")
        context = {**self.context, "worker_copy": True}
        return CaseDocumentSerializer(rows, many=True, context=context).data

    def get_timeline(self, obj) -> list[dict]:
        from niangjia.rights.services import timeline_for

        request = self.context.get("request")
        rows = timeline_for(getattr(request, "user", None), obj)
        return WorkerTimelineSerializer(rows, many=True).data


class RelatedCaseSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "org_name", "employer_name", "stage", "stage_display"]


class RelatedElsewhereSerializer(serializers.Serializer):
    org_name = serializers.CharField(help_text="承办工会")
    count = serializers.IntegerField(help_text="无权查看的关联案件数")
    contact = serializers.CharField(help_text="该工会联系人、电话、地址")
    request_text = serializers.CharField(help_text="可发给该工会的共享请求")


class RelatedSerializer(serializers.Serializer):
    """Related cases the caller may open; for the rest only a count per handling union."""

    cases = RelatedCaseSerializer(many=True)
    elsewhere = RelatedElsewhereSerializer(many=True)


class CaseDetailSerializer(CaseListSerializer):
    workers = CaseWorkerSerializer(many=True, read_only=True)
    claims = ClaimSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    recoveries = RecoverySerializer(many=True, read_only=True)
    shares = ShareSerializer(many=True, read_only=True)
    agency_acts = AgencyActSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    contractors = serializers.SerializerMethodField()
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    related = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "facts", "project_name", "infringed_on", "employment_ended_on", "injury_on",
            "not_accepted_reason", "agreement_terms", "agreement_amount", "agreement_signed_on",
            "payment_due_on", "outcome_note", "workers", "claims", "contractors", "deadlines",
            "recoveries", "shares", "agency_acts", "evidence", "amount_claimed",
            "amount_recovered", "related",
        ]  # fmt: skip

    @extend_schema_field(RelatedSerializer)
    def get_related(self, obj) -> dict:
        from niangjia.rights.selectors import related_cases

        request = self.context.get("request")
        if request is None:
            return {"cases": [], "elsewhere": []}
        return RelatedSerializer(related_cases(request.user, obj)).data

    def get_contractors(self, obj) -> list[dict]:
        return [
            {"role": c.role, "role_display": c.get_role_display(), "name": c.name}
            for c in obj.contractors.all()
        ]


class WorkerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("姓名"))
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    employment_form = serializers.ChoiceField(
        choices=CaseWorker.EmploymentForm.choices, default=CaseWorker.EmploymentForm.STANDARD
    )
    job = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    is_representative = serializers.BooleanField(default=False)


class ClaimInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClaimItem.Kind.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    worker_index = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    calculation = serializers.DictField(required=False)


class ContractorInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ContractorLink.Role.choices)
    name = serializers.CharField(max_length=120)


class CaseCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(label=_("承办工会"))
    source = serializers.ChoiceField(choices=Case.Source.choices)
    category = serializers.ChoiceField(choices=Case.Category.choices)
    employer = serializers.IntegerField(required=False, allow_null=True)
    employer_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    project_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    facts = serializers.CharField()
    received_on = serializers.DateField(required=False, allow_null=True)
    infringed_on = serializers.DateField(required=False, allow_null=True)
    employment_ended_on = serializers.DateField(required=False, allow_null=True)
    injury_on = serializers.DateField(required=False, allow_null=True)
    workers = WorkerInputSerializer(many=True, allow_empty=False)
    claims = ClaimInputSerializer(many=True, required=False, default=list)
    contractors = ContractorInputSerializer(many=True, required=False, default=list)
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text=_("幂等键（也可用 Idempotency-Key 请求头）：同一内容以同一键重复提交只登记一件"),
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(ACTION_LABELS.items()),
        error_messages={"invalid_choice": _("未知的操作：{input}")},
    )
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=Case.Outcome.choices, required=False, allow_blank=True, default=""
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class RecoveryInputSerializer(serializers.Serializer):
    amount = serializers.CharField()
    on = serializers.DateField()
    payer = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Recovery.Kind.choices)
    shares = serializers.DictField(child=serializers.CharField(), required=False)
    over_claim_reason = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementInputSerializer(serializers.Serializer):
    terms = serializers.CharField()
    amount = serializers.CharField()
    signed_on = serializers.DateField()
    payment_due_on = serializers.DateField(required=False, allow_null=True)


class LookupSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=20)


class CaseDocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    urls = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id", "kind", "kind_display", "version", "docx_sha256", "pdf_sha256", "created_at",
            "created_by", "signed", "signed_at", "signed_by", "signed_scan_sha256", "urls",
        ]  # fmt: skip

    def get_urls(self, obj) -> dict:
        request = self.context.get("request")
        base = f"/api/v1/cases/{obj.case_id}/documents/{obj.pk}/"
        urls = {"docx": base + "docx/", "pdf": base + "pdf/"}
        if self.context.get("worker_copy"):
            # a worker is given a personal copy of the PDF only (#11, document_views)
            urls = {"pdf": base + "pdf/"}
        elif obj.signed_scan:
            urls["scan"] = base + "scan/"
        if request is not None:
            urls = {k: request.build_absolute_uri(v) for k, v in urls.items()}
        return urls


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CaseDocument.Kind.choices,
        error_messages={
            "invalid_choice": _("文书类别不正确，可选：调解协议书、仲裁申请书、案件摘要")
        },
    )


class ClaimComputeSerializer(serializers.Serializer):
    calculator = serializers.ChoiceField(
        choices=list(CALCULATOR_CLAIMS),
        error_messages={"invalid_choice": _("未知的计算器“{input}”，请从列出的计算器中选择。")},
    )
    inputs = serializers.DictField(help_text="该计算器公开接口的请求字段")
    save = serializers.BooleanField(required=False, default=False)
    worker = serializers.IntegerField(required=False, allow_null=True, default=None)
