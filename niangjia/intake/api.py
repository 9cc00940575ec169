"""REST endpoints of the intake assistant under /api/v1/intake/; api/urls.py calls register().

    POST /api/v1/intake/analyse/                 {"text": "…"} → suggestions + explanations
    POST /api/v1/intake/analyses/{id}/review/    {"fields": {"category": {"accepted": false,
                                                  "value": "wages"}, …}} → the stored review
Staff who register cases only (401 anonymous, 403 others); throttled per user like other staff
endpoints; a 400 always carries a Chinese `detail`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.api.throttling import UserThrottle
from niangjia.intake import selectors, services


class IntakePermission(permissions.BasePermission):
    message = _("只有维权工作人员可以使用接诉助手。")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and services.may_use(request.user))


def _bad_request(exc: ValidationError) -> Response:
    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        field = next(iter(errors))
        return Response(
            {"detail": errors[field][0], "field": field, "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response({"detail": exc.messages[0]}, status=status.HTTP_400_BAD_REQUEST)


EXPLAINED = inline_serializer(
    "IntakeAnalysisResult",
    {
        "category": serializers.CharField(),
        "amounts": serializers.ListField(child=serializers.CharField()),
        "workers_count": serializers.IntegerField(allow_null=True),
        "employer": serializers.CharField(allow_null=True),
        "dates": serializers.ListField(child=serializers.CharField()),
        "urgency": serializers.ChoiceField(choices=["high", "normal"]),
        "signals": serializers.ListField(child=serializers.CharField()),
        "explanations": serializers.DictField(),
        "analysis_id": serializers.IntegerField(),
    },
)


class AnalyseView(APIView):
    permission_classes = [IntakePermission]
    throttle_classes = [UserThrottle]

    @extend_schema(
        request=inline_serializer("IntakeAnalyseRequest", {"text": serializers.CharField()}),
        responses={200: EXPLAINED},
        examples=[
            OpenApiExample(
                "群体欠薪",
                value={
                    "text": "我们班组二十多人，老板欠了三个月工资共十四万元，春节前再不给就去堵门"
                },
                request_only=True,
            )
        ],
        description="分析投诉原文，给出类别、金额、人数、用人单位、日期、紧急程度和信号，"
        "每项附依据（哪几个字、哪条规则）。",
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        try:
            analysis = services.analysis_create(actor=request.user, text=data.get("text"))
        except ValidationError as exc:
            return _bad_request(exc)
        return Response({**analysis.suggestions, "analysis_id": analysis.pk})


class ReviewView(APIView):
    permission_classes = [IntakePermission]
    throttle_classes = [UserThrottle]

    @extend_schema(
        request=inline_serializer(
            "IntakeReviewRequest", {"fields": serializers.DictField(allow_empty=False)}
        ),
        responses={
            200: inline_serializer(
                "IntakeReviewResult",
                {
                    "analysis_id": serializers.IntegerField(),
                    "confirmed": serializers.DictField(),
                    "corrections": serializers.ListField(child=serializers.DictField()),
                    "case_form_url": serializers.CharField(),
                },
            )
        },
        examples=[
            OpenApiExample(
                "更正类别",
                value={"fields": {"category": {"accepted": False, "value": "wages"}}},
                request_only=True,
            )
        ],
        description="逐项采纳或更正建议；更正会被保存用于改进规则。再次提交会更新同一字段的记录。",
    )
    def post(self, request, pk: int):
        analysis = selectors.analysis_for(request.user, pk)
        data = request.data if isinstance(request.data, dict) else {}
        try:
            analysis = services.analysis_review(
                analysis=analysis, actor=request.user, fields=data.get("fields")
            )
        except ValidationError as exc:
            return _bad_request(exc)
        corrections = [
            {
                "field": c.field,
                "suggested": c.suggested,
                "corrected": c.corrected,
                "accepted": c.accepted,
            }
            for c in analysis.corrections.order_by("pk")
        ]
        return Response(
            {
                "analysis_id": analysis.pk,
                "confirmed": services.confirmed_values(analysis),
                "corrections": corrections,
                "case_form_url": services.case_form_url(analysis),
            }
        )


def register(router) -> list:
    """No viewsets; two plain views."""
    return [
        path("intake/analyse/", AnalyseView.as_view(), name="intake-analyse"),
        path("intake/analyses/<int:pk>/review/", ReviewView.as_view(), name="intake-review"),
    ]
