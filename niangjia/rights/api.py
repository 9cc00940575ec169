"""REST endpoints of the rights module; api/urls.py calls register()."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from niangjia.api.params import int_param
from niangjia.api.parsers import JSONParser
from niangjia.api.permissions import ScopedViewSetMixin
from niangjia.api.throttling import AnonThrottle, GuessesLocked
from niangjia.core import lockout
from niangjia.core.audit import log_access
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, get_for_user
from niangjia.orgs.models import Enterprise, Org
from niangjia.rights import documents, selectors, services
from niangjia.rights.calculator_api import CalculatorInputError
from niangjia.rights.calculator_api import urlpatterns as calculator_urls
from niangjia.rights.document_views import stream_document, stream_worker_copy
from niangjia.rights.models import Case
from niangjia.rights.serializers import (
    AgencyActSerializer,
    AgreementInputSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseDocumentSerializer,
    CaseListSerializer,
    ClaimComputeSerializer,
    DocumentRequestSerializer,
    LookupSerializer,
    NoteInputSerializer,
    RecoveryInputSerializer,
    RecoverySerializer,
    ShareSerializer,
    TimelineSerializer,
    TransitionSerializer,
    WorkerCaseSerializer,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("与已有记录冲突")
    default_code = "conflict"


class LookupThrottle(AnonThrottle):
    scope = "lookup"


def _inputs(data):
    workers = [services.WorkerInput(**w) for w in data["workers"]]
    claims = [services.ClaimInput(**c) for c in data.get("claims", [])]
    contractors = [(c["role"], c["name"]) for c in data.get("contractors", [])]
    return workers, claims, contractors


def _first_error(errors: dict) -> str:
    """A serializer's errors as one `detail`: the first message, after its field's name (a body
    that is not a JSON object has no field, only DRF's non-field message)."""
    name, messages = next(iter(errors.items()))
    return messages[0] if name == api_settings.NON_FIELD_ERRORS_KEY else f"{name}：{messages[0]}"


class CaseViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases in the caller's scope. Filters: stage, category, officer, overdue, org, q."""

    permission = Perm.CASE_VIEW
    write_permission = Perm.CASE_EDIT
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "list":
            return CaseListSerializer
        if self.action == "create":
            return CaseCreateSerializer
        return CaseDetailSerializer

    def get_queryset(self):
        params = self.request.query_params
        if self.action == "list":
            org = None
            if params.get("org"):
                org = get_for_user(self.request.user, Perm.ORG_VIEW, Org, pk=params["org"])
            return selectors.case_list(
                self.request.user,
                stage=params.get("stage", ""),
                category=params.get("category", ""),
                officer=int_param(params, "officer"),
                overdue=params.get("overdue") in {"1", "true"},
                org=org,
                search=params.get("q", ""),
                today=services.today(),
            )
        return selectors.case_detail_queryset(self.request.user)

    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="CaseView",
            serializers=[CaseDetailSerializer, WorkerCaseSerializer],
            resource_type_field_name=None,
        )
    )
    def retrieve(self, request, *args, **kwargs):
        """The case file; a worker reaching their own case gets the worker's view instead (see
        WorkerCaseSerializer): no internal notes, evidence, deadlines or partner details."""
        case = self.get_object()
        log_access(request, case)
        if services.is_worker_view(request.user, case):
            return Response(WorkerCaseSerializer(case, context={"request": request}).data)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=NoteInputSerializer, responses={201: TimelineSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """`{"text", "visibility": internal|partner|worker}` (default internal)."""
        case = self._case(Perm.CASE_VIEW)
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.note_add(case=case, actor=request.user, **serializer.validated_data)
        return Response(TimelineSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer,
            200: CaseDetailSerializer,
            409: inline_serializer("CaseConflict", {"detail": serializers.CharField()}),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="同一内容以同一键重复提交只登记一件（200 返回已登记的案件）",
            )
        ],
    )
    def create(self, request, *args, **kwargs):
        """Register a case: 201 new; 200 the same complaint already registered with this union
        (same phone and employer within minutes, or the same idempotency key and content); 409
        when that case is one the caller may not open."""
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org_id = data.pop("org")
        if (
            data["source"] == Case.Source.COURT_ENTRUSTED
            and services.entrustable_orgs(request.user).filter(pk=org_id).exists()
        ):
            org = Org.objects.get(pk=org_id)  # a court entrusting a mediation to its union
        else:
            org = get_for_user(request.user, Perm.CASE_EDIT, Org, pk=org_id)
        employer = None
        if data.get("employer"):
            employer = get_for_user(
                request.user, Perm.ENTERPRISE_VIEW, Enterprise, pk=data["employer"]
            )
        workers, claims, contractors = _inputs(data)
        key = request.headers.get("Idempotency-Key") or data.get("idempotency_key", "")
        case, created = services.case_create(
            idempotency_key=key,
            actor=request.user,
            org=org,
            source=data["source"],
            category=data["category"],
            employer=employer,
            employer_name=data.get("employer_name", ""),
            project_name=data.get("project_name", ""),
            facts=data["facts"],
            received_on=data.get("received_on"),
            infringed_on=data.get("infringed_on"),
            employment_ended_on=data.get("employment_ended_on"),
            injury_on=data.get("injury_on"),
            workers=workers,
            claims=claims,
            contractors=contractors,
        )
        visible = selectors.case_detail_queryset(request.user).filter(pk=case.pk).first()
        if visible is None:
            # the same complaint is already registered with this union, on a case the caller
            # may not open (a court entrusting what the union registered itself): say so, with
            # no number (it used to be a 500)
            raise Conflict(
                _("该投诉已由%(org)s登记（同一手机号和用人单位），请与该工会联系")
                % {"org": org.name}
            )
        body = CaseDetailSerializer(visible, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _not_for_worker(self, case: Case) -> None:
        """Partner details and the ledger split between co-workers are the union's and the
        agencies' (#11): a worker reads their own case at GET /cases/{id}/ (WorkerCaseSerializer),
        the totals and their steps, and is answered 404 here like for a case not theirs."""
        if services.is_worker_view(self.request.user, case):
            raise NotFound(_("未找到。"))

    def _case(self, perm: Perm) -> Case:
        return get_for_user(self.request.user, perm, Case, pk=self.kwargs["pk"])

    @extend_schema(request=TransitionSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """`{"action": accept|reject|mediate|arbitrate|litigate|enforce|close, …}`"""
        case = self._case(Perm.CASE_EDIT)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.case_transition(case=case, actor=request.user, **data)
        case = selectors.case_detail_queryset(request.user).get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=AgreementInputSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        case = self._case(Perm.CASE_EDIT)
        serializer = AgreementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.agreement_record(case=case, actor=request.user, **serializer.validated_data)
        case = selectors.case_detail_queryset(request.user).get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    # the lists below are not paginated: they are one case's rows
    @extend_schema(methods=["GET"], responses=ShareSerializer(many=True))
    @extend_schema(methods=["POST"], request=ShareSerializer, responses={201: ShareSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def shares(self, request, pk=None):
        if request.method == "GET":
            case = self._case(Perm.CASE_VIEW)
            self._not_for_worker(case)
            return Response(ShareSerializer(case.shares.select_related("agency"), many=True).data)
        case = self._case(Perm.CASE_EDIT)
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        share = services.case_share(
            case=case,
            agency=data["agency"],
            actor=request.user,
            access=data.get("access", "read"),
            kind=data.get("kind", "share"),
            note=data.get("note", ""),
        )
        return Response(ShareSerializer(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareSerializer)
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_id>\d+)/return")
    def share_return(self, request, pk=None, share_id=None):
        case = self._case(Perm.CASE_VIEW)
        share = case.shares.filter(pk=share_id).first()
        if share is None:
            raise NotFound(_("未找到。"))
        share = services.share_return(
            share=share, actor=request.user, note=request.data.get("note", "")
        )
        return Response(ShareSerializer(share).data)

    @extend_schema(request=AgencyActSerializer, responses=AgencyActSerializer)
    @action(detail=True, methods=["post"])
    def acts(self, request, pk=None):
        case = self._case(Perm.CASE_EDIT)
        serializer = AgencyActSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        act = services.agency_act_record(case=case, actor=request.user, **serializer.validated_data)
        return Response(AgencyActSerializer(act).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=RecoverySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=RecoveryInputSerializer, responses={201: RecoverySerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def recoveries(self, request, pk=None):
        if request.method == "GET":
            case = self._case(Perm.CASE_VIEW)
            self._not_for_worker(case)
            rows = case.recoveries.prefetch_related("shares__worker__person").order_by("on", "pk")
            return Response(RecoverySerializer(rows, many=True).data)
        case = self._case(Perm.CASE_EDIT)
        serializer = RecoveryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recovery = services.recovery_record(
            case=case, actor=request.user, **serializer.validated_data
        )
        return Response(RecoverySerializer(recovery).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TimelineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        case = self._case(Perm.CASE_VIEW)
        rows = services.timeline_for(request.user, case)
        return Response(TimelineSerializer(rows, many=True).data)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "description": {"type": "string", "maxLength": 200},
                },
                "required": ["file"],
            }
        },
        responses={
            201: inline_serializer(
                "EvidenceCreated",
                {
                    "id": serializers.IntegerField(),
                    "sha256": serializers.CharField(),
                    "size": serializers.IntegerField(),
                },
            )
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        case = self._case(Perm.CASE_VIEW)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("请选择要上传的文件")]})
        evidence = services.evidence_add(
            case=case,
            actor=request.user,
            upload=upload,
            description=request.data.get("description", ""),
        )
        return Response(
            {"id": evidence.pk, "sha256": evidence.sha256, "size": evidence.size},
            status=status.HTTP_201_CREATED,
        )

    # --- case documents (rights/documents.py) ---

    @extend_schema(methods=["GET"], responses=CaseDocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DocumentRequestSerializer, responses={201: CaseDocumentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        """GET: every version; POST `{"kind": mediation_agreement|arbitration_application|
        case_summary}` generates the next version (201)."""
        if request.method == "GET":
            case = self._case(Perm.CASE_VIEW)
            rows = documents.documents_for(case)
            context = {"request": request}
            if services.is_worker_view(request.user, case):
                rows = rows.filter(signed=True)  # a worker is given the signed versions
                context["worker_copy"] = True  # as a personal copy of the PDF
            return Response(CaseDocumentSerializer(rows, many=True, context=context).data)
        case = self._case(Perm.CASE_EDIT)
        serializer = DocumentRequestSerializer(data=request.data)
        if not serializer.is_valid():
            raise serializers.ValidationError({"detail": _first_error(serializer.errors)})
        try:
            document = documents.document_generate(
                case=case, actor=request.user, kind=serializer.validated_data["kind"]
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"detail": "；".join(exc.messages)}) from exc
        log_access(
            request,
            case,
            AccessLog.Action.EXPORT,
            detail=_("生成%(kind)s 第%(v)d版")
            % {"kind": document.get_kind_display(), "v": document.version},
        )
        body = CaseDocumentSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": {"type": "object"}}, responses=CaseDocumentSerializer
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"documents/(?P<doc_id>\d+)/sign",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def document_sign(self, request, pk=None, doc_id=None):
        """Mark a version signed (one way), with an optional `scan` file of the signed paper."""
        case = self._case(Perm.CASE_EDIT)
        document = case.documents.filter(pk=doc_id).first()
        if document is None:
            raise NotFound(_("未找到。"))
        try:
            document = documents.document_sign(
                document=document, actor=request.user, scan=request.FILES.get("scan")
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"detail": "；".join(exc.messages)}) from exc
        return Response(CaseDocumentSerializer(document, context={"request": request}).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<doc_id>\d+)/(?P<what>docx|pdf|scan)",
    )
    def document_download(self, request, pk=None, doc_id=None, what=None):
        case = self._case(Perm.CASE_VIEW)
        document = case.documents.filter(pk=doc_id).first()
        if document is None:
            raise NotFound(_("未找到。"))
        if services.is_worker_view(request.user, case):
            # the worker's personal copy: other parties' ID numbers and phones masked (#11)
            return stream_worker_copy(request, case, document, what)  # Http404: DRF's 404
        return stream_document(request, case, document, what)

    # --- claims computed with the statutory calculators ---

    @extend_schema(request=ClaimComputeSerializer, responses=None)
    @action(detail=True, methods=["post"], url_path="claims/compute")
    def claims_compute(self, request, pk=None):
        """`{"calculator": "work-injury", "inputs": {…}, "save": false, "worker": null}`: the
        result with its articles; with `"save": true` also a claim item keeping inputs and result
        (201)."""
        serializer = ClaimComputeSerializer(data=request.data)
        if not serializer.is_valid():
            raise serializers.ValidationError({"detail": _first_error(serializer.errors)})
        data = serializer.validated_data
        case = self._case(Perm.CASE_EDIT if data["save"] else Perm.CASE_VIEW)
        try:
            out = services.claim_compute(
                case=case,
                actor=request.user,
                calculator=data["calculator"],
                inputs=data["inputs"],
                save=data["save"],
                worker_id=data["worker"],
            )
        except CalculatorInputError as exc:
            raise serializers.ValidationError({"detail": exc.detail}) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"detail": "；".join(exc.messages)}) from exc
        return Response(out, status=status.HTTP_201_CREATED if out["claim"] else status.HTTP_200_OK)

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, description="组织编号：只统计该组织及其下级"),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        import datetime

        from niangjia.core.money import quantize

        params = request.query_params
        org = None
        if params.get("org"):
            org = get_for_user(request.user, Perm.ORG_VIEW, Org, pk=params["org"])
        try:
            start = datetime.date.fromisoformat(params.get("start") or "2000-01-01")
            end = datetime.date.fromisoformat(params.get("end") or services.today().isoformat())
        except ValueError as exc:
            raise serializers.ValidationError({"detail": _("日期格式应为 YYYY-MM-DD")}) from exc
        data = selectors.figures(request.user, org=org, start=start, end=end)
        data["amount_recovered"] = str(quantize(data["amount_recovered"]))
        return Response(data)


_PUBLIC_CASE = inline_serializer(
    "PublicCaseView",
    {
        "number": serializers.CharField(),
        "stage": serializers.CharField(),
        "stage_display": serializers.CharField(),
        "outcome": serializers.CharField(),
        "outcome_display": serializers.CharField(),
        "category_display": serializers.CharField(),
        "handling_union": serializers.CharField(),
        "received_on": serializers.DateField(),
        "closed_on": serializers.DateField(allow_null=True),
        "amount_recovered": serializers.CharField(help_text="已追回金额（元）"),
        "can_rate": serializers.BooleanField(),
        "timeline": inline_serializer(
            "PublicCaseEvent",
            {"at": serializers.DateTimeField(), "text": serializers.CharField()},
            many=True,
        ),
    },
)


class CaseLookupView(APIView):
    """A worker follows their case with its number and the phone on file, posted in the body:
    a phone never travels in a URL (browser history, proxy and server logs)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LookupThrottle]

    @extend_schema(request=LookupSerializer, responses={200: _PUBLIC_CASE})
    def post(self, request):
        serializer = LookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # wrong phones for one case number count toward a lockout of that number (#11 §2)
        key = lockout.guard_key("case", serializer.validated_data["number"])
        if lockout.guard_locked(request, key):
            raise GuessesLocked
        case = services.case_lookup(**serializer.validated_data)
        if case is None:
            lockout.guard_failed(request, key)
            # the same answer whether the number exists or not
            raise NotFound(_("未找到与该编号和手机号码相符的案件，请核对后重试"))
        lockout.guard_passed(key)
        return Response(public_case_view(case))


def public_case_view(case: Case) -> dict:
    from django.db.models import Sum

    from niangjia.core.money import quantize

    recovered = case.recoveries.aggregate(total=Sum("amount"))["total"]
    visible = {"created", "transition", "recovery", "rating"}
    return {
        "number": case.number,
        "stage": case.stage,
        "stage_display": case.get_stage_display(),
        "outcome": case.outcome,
        "outcome_display": case.get_outcome_display() if case.outcome else "",
        "category_display": case.get_category_display(),
        "handling_union": case.org.name,
        "received_on": case.received_on.isoformat(),
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "amount_recovered": str(quantize(recovered or 0)),
        "can_rate": case.stage == Case.Stage.CLOSED and not hasattr(case, "rating"),
        "timeline": [
            {"at": e.at.isoformat(), "text": e.text}
            for e in services.timeline_for(None, case).filter(kind__in=visible | {"note"})
        ],
    }


def register(router) -> list:
    """Add this module's viewsets to the router; return extra URL patterns (plain API views)."""
    router.register("cases", CaseViewSet, basename="case")
    return [
        *calculator_urls,
        path("cases/lookup/", CaseLookupView.as_view(), name="case-lookup"),
    ]
