"""REST endpoints of the care module; api/urls.py calls register(). All scoped; writes go through
the services; a duplicate hand-out (or a budget / cross-campaign conflict) answers 409."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from niangjia.api.errors import Conflict
from niangjia.api.permissions import ScopedViewSetMixin
from niangjia.api.throttling import GuessesLocked
from niangjia.care import selectors, services
from niangjia.care.exceptions import CareConflict
from niangjia.care.models import Beneficiary, Campaign, Distribution, ImportJob, ItemType
from niangjia.care.serializers import (
    BeneficiarySerializer,
    CampaignSerializer,
    ConfirmRequestSerializer,
    DistributionSerializer,
    ImportJobCreateSerializer,
    ImportJobSerializer,
    VoidRequestSerializer,
)
from niangjia.core import lockout
from niangjia.core.permissions import Perm, get_for_user
from niangjia.core.redact import api_search_term
from niangjia.orgs.models import Org
from niangjia.orgs.serializers import SearchSerializer


class CampaignViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Campaigns with their item types. `?status=` filters; `figures/` gives coverage
    (`?org=` narrows to an org node of the campaign's subtree)."""

    permission = Perm.CARE_VIEW
    write_permission = Perm.CARE_EDIT
    serializer_class = CampaignSerializer
    filterset_fields = ["status", "org"]

    def get_queryset(self):
        return self.scoped(
            Campaign.objects.select_related("org").prefetch_related(
                Prefetch("items", queryset=ItemType.objects.order_by("pk"))
            )
        ).order_by("-starts_on", "-pk")

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        # not get_object(): the list filter `?org=` must not apply to the campaign here
        campaign = get_for_user(request.user, Perm.CARE_VIEW, self.get_queryset(), pk=pk)
        node = None
        if request.query_params.get("org"):
            node = get_for_user(
                request.user,
                Perm.CARE_VIEW,
                Org.objects.filter(path__startswith=campaign.org.path),
                pk=request.query_params["org"],
            )
        return Response(selectors.figures_json(selectors.campaign_figures(campaign, node)))


class BeneficiaryViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Care register; `?q=` finds by name, `POST search/` with `{"q": …}` by exact ID number
    (blind index) or name: an ID number never travels in a URL (400 if it does). IDs masked."""

    permission = Perm.CARE_VIEW
    write_permission = Perm.CARE_EDIT
    serializer_class = BeneficiarySerializer
    filterset_fields = ["category", "org", "employer"]

    def get_queryset(self):
        return self.scoped(
            selectors.beneficiary_list(self.request.user, search=api_search_term(self.request))
        )

    @extend_schema(request=SearchSerializer, responses=BeneficiarySerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request, *args, **kwargs):
        """The care register by exact ID number or name (`q` in the body)."""
        return self.list(request, *args, **kwargs)


class DistributionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission = Perm.CARE_VIEW
    write_permission = Perm.CARE_EDIT
    serializer_class = DistributionSerializer
    filterset_fields = ["campaign", "item", "beneficiary"]

    def get_queryset(self):
        return self.scoped(selectors.distribution_list(self.request.user))

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        campaign = get_for_user(user, Perm.CARE_EDIT, Campaign, pk=data["campaign_id"])
        beneficiary = get_for_user(user, Perm.CARE_VIEW, Beneficiary, pk=data["beneficiary_id"])
        item = ItemType.objects.filter(campaign=campaign, pk=data["item_id"]).first()
        if item is None:
            raise serializers.ValidationError({"item": ["该项目不属于本活动"]})
        try:
            serializer.instance = services.distribution_create(
                actor=user,
                campaign=campaign,
                beneficiary=beneficiary,
                item=item,
                quantity=data.get("quantity", 1),
                amount=data.get("amount"),
                receipt_kind=data.get("receipt_kind", Distribution.ReceiptKind.SMS),
                signature=data.get("signature"),
                payment_method=data.get("payment_method", ""),
                override_reason=data.get("override_reason", ""),
            )
        except CareConflict as exc:
            raise Conflict(exc.messages[0]) from exc

    @extend_schema(request=VoidRequestSerializer, responses={200: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        distribution = get_for_user(request.user, Perm.CARE_EDIT, Distribution, pk=pk)
        body = VoidRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        distribution = services.distribution_void(
            actor=request.user, distribution=distribution, reason=body.validated_data["reason"]
        )
        return Response(DistributionSerializer(distribution).data, status=status.HTTP_200_OK)

    @extend_schema(request=ConfirmRequestSerializer, responses={200: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        distribution = get_for_user(request.user, Perm.CARE_EDIT, Distribution, pk=pk)
        # wrong codes for one phone count toward a lockout of that phone's codes (#11 §2)
        key = lockout.guard_key("sms", distribution.person.phone_hash)
        if lockout.guard_locked(request, key):
            raise GuessesLocked
        body = ConfirmRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        distribution = lockout.guarded(
            request,
            key,
            lambda: services.distribution_confirm_code(
                actor=request.user,
                distribution=distribution,
                code=body.validated_data["code"],
            ),
        )
        return Response(DistributionSerializer(distribution).data)


class ImportJobViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Excel hand-out imports. `POST` (multipart: `campaign`, `file`) stores the list and starts
    the job — a file too large, not an .xlsx or unpacking to too much is a 400 with the reason;
    `GET …/{id}/` polls it (a job whose process died is reported `failed`); `POST …/{id}/rerun/`
    runs a failed job again from its stored file, all rows or none."""

    permission = Perm.CARE_VIEW
    write_permission = Perm.CARE_EDIT
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["campaign", "status"]

    def get_queryset(self):
        return self.scoped(ImportJob.objects.select_related("campaign")).order_by("-pk")

    def retrieve(self, request, *args, **kwargs):
        job = services.import_job_refresh(self.get_object())
        return Response(ImportJobSerializer(job).data)

    @extend_schema(
        request={"multipart/form-data": ImportJobCreateSerializer},
        responses={201: ImportJobSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = ImportJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = get_for_user(
            request.user, Perm.CARE_EDIT, Campaign, pk=data.validated_data["campaign"]
        )
        try:
            job = services.import_job_create(
                actor=request.user, campaign=campaign, upload=data.validated_data["file"]
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        job = get_for_user(
            request.user, Perm.CARE_EDIT, ImportJob.objects.select_related("campaign"), pk=pk
        )
        job = services.import_job_rerun(actor=request.user, job=job)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> list:
    """Add this module's viewsets to the router; return extra URL patterns (plain API views)."""
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
    router.register("distributions", DistributionViewSet, basename="distribution")
    router.register("care/imports", ImportJobViewSet, basename="care-import")
    return []
