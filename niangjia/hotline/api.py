"""REST endpoints of the hotline desk under /api/v1/hotline/; api/urls.py calls register()."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.core.permissions import Perm, filter_for, get_for_user
from niangjia.core.validators import mask_mobile
from niangjia.hotline import selectors, services
from niangjia.hotline.models import Callback, Consultation
from niangjia.hotline.serializers import (
    CallbackCompleteSerializer,
    CallbackCreateSerializer,
    CallbackSerializer,
    ConsultationCreateSerializer,
    ConsultationDetailSerializer,
    ConsultationSerializer,
    ConvertSerializer,
)
from niangjia.orgs.models import Org
from niangjia.rights import services as rights


class PhoneSearchSerializer(serializers.Serializer):
    phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True, label=gettext_lazy("来电号码")
    )


class DeskPermission(permissions.BasePermission):
    """The desk's API needs what the desk page needs: case intake rights over a union subtree."""

    message = gettext_lazy("您没有使用12351热线接听台的权限")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and services.may_use_desk(request.user))


def _dates(params) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(
            params.get("start") or (today - datetime.timedelta(days=89)).isoformat()
        )
        end = datetime.date.fromisoformat(params.get("end") or today.isoformat())
    except ValueError as exc:
        raise serializers.ValidationError({"detail": _("日期格式应为 YYYY-MM-DD")}) from exc
    if message := selectors.day_error(start) or selectors.day_error(end):
        raise serializers.ValidationError({"detail": message})
    if end < start:
        raise serializers.ValidationError({"detail": _("结束日期不能早于开始日期")})
    return start, end


class ConsultationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Consultations in the caller's scope, newest first. Filters: `category`, `outcome`,
    `start`, `end` (dates), `org`; by phone with `POST search/` (a phone never travels in a URL).
    The phone is never returned in full (`caller_phone_masked`)."""

    permission_classes = [DeskPermission]
    queryset = Consultation.objects.none()  # for the schema; requests read get_queryset()

    def get_serializer_class(self):
        if self.action == "create":
            return ConsultationCreateSerializer
        if self.action == "retrieve":
            return ConsultationDetailSerializer
        if self.action == "convert":
            return ConvertSerializer
        return ConsultationSerializer

    def get_queryset(self):
        params = self.request.query_params
        if self.action == "search":
            body = PhoneSearchSerializer(data=self.request.data)
            body.is_valid(raise_exception=True)
            params = {**params.dict(), "phone": body.validated_data["phone"]}
        if self.action in ("list", "search"):
            org = None
            if params.get("org"):
                org = get_for_user(self.request.user, Perm.ORG_VIEW, Org, pk=params["org"])
            start = end = None
            if params.get("start") or params.get("end"):
                start, end = _dates(params)
            phone = params.get("phone", "") if self.action == "search" else ""
            return selectors.consultation_list(
                self.request.user,
                category=params.get("category", ""),
                outcome=params.get("outcome", ""),
                start=start,
                end=end,
                org=org,
                phone=phone,
            )
        return filter_for(
            self.request.user,
            Perm.CASE_VIEW,
            Consultation.objects.select_related("org", "operator", "case").prefetch_related(
                Prefetch(
                    "callbacks",
                    # the prefetch sets each callback's consultation to its parent: no join
                    Callback.objects.select_related("assigned_to").order_by("due_at"),
                )
            ),
        )

    @extend_schema(
        request=PhoneSearchSerializer,
        responses=ConsultationSerializer(many=True),
        parameters=[
            OpenApiParameter("category", str),
            OpenApiParameter("outcome", str),
            OpenApiParameter("start", str),
            OpenApiParameter("end", str),
            OpenApiParameter("org", int),
        ],
    )
    @action(detail=False, methods=["post"])
    def search(self, request, *args, **kwargs):
        """The consultations from one number (in the body), with the list's other filters."""
        return self.list(request, *args, **kwargs)

    @extend_schema(request=ConsultationCreateSerializer, responses=ConsultationDetailSerializer)
    def create(self, request, *args, **kwargs):
        serializer = ConsultationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org_id = data.pop("org", None)
        if org_id is not None:
            org = get_for_user(request.user, Perm.CASE_EDIT, Org, pk=org_id)
        else:
            org = services.desk_org_for(request.user)
        consultation = services.consultation_record(actor=request.user, org=org, **data)
        consultation = self.get_queryset().get(pk=consultation.pk)
        return Response(
            ConsultationDetailSerializer(consultation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ConvertSerializer, responses={201: dict, 200: dict})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Turn the consultation into a rights case with everything typed carried over; the body
        may add what the case still needs (`caller_name`, `employer_name`, `claim_amount`, …)."""
        consultation = get_for_user(request.user, Perm.CASE_EDIT, Consultation, pk=pk)
        serializer = ConvertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {}
        defaults = services.case_defaults(consultation)
        name = data.pop("caller_name", None)
        if name is not None:
            fields["workers"] = [rights.WorkerInput(name=name, phone=consultation.caller_phone)]
        elif not consultation.caller_name:
            fields["workers"] = []  # the case service asks for the worker by name
        amount = data.pop("claim_amount", None)
        kind = data.pop("claim_kind", None)
        if amount is not None:
            kind = kind or services.claim_kind_for(data.get("category", defaults["category"]))
            fields["claims"] = [rights.ClaimInput(kind=kind, amount=amount)]
        fields.update(data)
        try:
            case, created = services.consultation_convert(
                consultation=consultation, actor=request.user, **fields
            )
        except DjangoValidationError as exc:
            body = {"detail": _("转为案件还缺少信息，请补充后重试")}
            if hasattr(exc, "error_dict"):
                body.update(exc.message_dict)
            raise serializers.ValidationError(body) from exc
        return Response(
            {
                "case": case.pk,
                "number": case.number,
                "stage": case.stage,
                "url": reverse("rights:case-detail", args=[case.pk]),
                "consultation": consultation.pk,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CallbackViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My callbacks (`?status=open|done|all`, default open, soonest first); create one for a
    consultation (`due_at` in the future; naive times are Asia/Shanghai); complete with a result."""

    permission_classes = [DeskPermission]
    serializer_class = CallbackSerializer
    queryset = Callback.objects.none()  # for the schema; requests read get_queryset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Callback.objects.none()
        status_ = self.request.query_params.get("status", "open")
        if status_ not in {"open", "done", "all"}:
            raise serializers.ValidationError({"detail": _("status 应为 open、done 或 all")})
        return selectors.my_callbacks(self.request.user, status=status_).select_related(
            "assigned_to"
        )

    @extend_schema(request=CallbackCreateSerializer, responses=CallbackSerializer)
    def create(self, request):
        serializer = CallbackCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = get_for_user(
            request.user, Perm.CASE_EDIT, Consultation, pk=data["consultation"]
        )
        assigned = None
        if data.get("assigned_to"):
            assigned = get_user_model().objects.filter(pk=data["assigned_to"]).first()
            if assigned is None:
                raise serializers.ValidationError({"assigned_to": [_("回访人不存在")]})
        callback = services.callback_schedule(
            consultation=consultation,
            actor=request.user,
            due_at=data["due_at"],
            note=data["note"],
            assigned_to=assigned,
        )
        return Response(CallbackSerializer(callback).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CallbackCompleteSerializer, responses=CallbackSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        callback = get_for_user(
            request.user,
            Perm.CASE_EDIT,
            Callback.objects.select_related("consultation", "assigned_to"),
            pk=pk,
        )
        serializer = CallbackCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        callback = services.callback_complete(
            callback=callback, actor=request.user, **serializer.validated_data
        )
        return Response(CallbackSerializer(callback).data)


class CallerView(APIView):
    """Earlier calls and rights cases of a number, within the caller's scope. The number is
    posted: a phone never travels in a URL (browser history, proxy and server logs)."""

    permission_classes = [DeskPermission]

    @extend_schema(request=PhoneSearchSerializer, responses=dict)
    def post(self, request):
        body = PhoneSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone = body.validated_data["phone"]
        history = selectors.caller_history(request.user, phone)
        if not history["valid"]:
            message = history["error"] or _("请填写来电号码")
            raise serializers.ValidationError({"detail": message, "phone": [message]})
        return Response(
            {
                "phone_masked": mask_mobile(history["phone"]),
                "calls_total": history["calls_total"],
                "calls": ConsultationSerializer(history["calls"], many=True).data,
                "cases": [
                    {
                        "id": case.pk,
                        "number": case.number,
                        "stage": case.stage,
                        "stage_display": case.get_stage_display(),
                        "category": case.category,
                        "category_display": case.get_category_display(),
                        "employer_name": case.employer_name,
                        "received_on": case.received_on.isoformat(),
                        "org_name": case.org.name,
                    }
                    for case in history["cases"]
                ],
            }
        )


class FiguresView(APIView):
    """The desk's figures for an org node (`org`, default all in scope) and a period (`start`,
    `end`, default the last 90 days)."""

    permission_classes = [DeskPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int),
            OpenApiParameter("start", OpenApiTypes.DATE, description="1950年至2100年之间"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="1950年至2100年之间"),
        ],
        responses=dict,
    )
    def get(self, request):
        params = request.query_params
        org = None
        if params.get("org"):
            org = get_for_user(request.user, Perm.CASE_VIEW, Org, pk=params["org"])
        start, end = _dates(params)
        data = selectors.figures(request.user, org=org, start=start, end=end)
        return Response({"org": org.pk if org else None, "start": start, "end": end, **data})


def register(router) -> list:
    router.register("hotline/consultations", ConsultationViewSet, basename="hotline-consultation")
    router.register("hotline/callbacks", CallbackViewSet, basename="hotline-callback")
    return [
        path("hotline/caller/", CallerView.as_view(), name="hotline-caller"),
        path("hotline/figures/", FiguresView.as_view(), name="hotline-figures"),
    ]
