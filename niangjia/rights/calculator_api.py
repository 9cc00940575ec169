"""Public calculator endpoints (statutory deadlines, compensation): /api/v1/calculators/…"""

from __future__ import annotations

import datetime
import re

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from niangjia.rights import deadlines

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 1950, 2100  # the range the calculator accepts for `start`

_FIELD_LABELS = {"rule": "rule（期间规则）", "start": "start（起算日期）"}


def _char_field(**kw) -> serializers.CharField:
    return serializers.CharField(
        error_messages={
            "required": "缺少此字段。",
            "blank": "不能为空。",
            "null": "不能为空。",
            "invalid": "应为字符串。",
        },
        **kw,
    )


class DeadlineRequestSerializer(serializers.Serializer):
    rule = _char_field(help_text="期间规则 id，GET 本接口可得全部规则")
    start = _char_field(help_text="起算事件发生日（当日不计入），YYYY-MM-DD")

    def validate_rule(self, value: str) -> str:
        if value not in deadlines.RULES:
            raise serializers.ValidationError(
                _("未知的期间规则“%(rule)s”，请先 GET 本接口查看可用规则。") % {"rule": value}
            )
        return value

    def validate_start(self, value: str) -> datetime.date:
        try:
            if not _DATE.match(value):
                raise ValueError
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise serializers.ValidationError(
                _("日期“%(value)s”无效，格式应为 YYYY-MM-DD。") % {"value": value}
            ) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("日期应在%(a)d年至%(b)d年之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}
            )
        return day


_RESULT = inline_serializer(
    "DeadlineResult",
    {
        "rule": serializers.CharField(),
        "start": serializers.DateField(),
        "due": serializers.DateField(help_text="期间届满日（已顺延节假日）"),
        "days": serializers.IntegerField(required=False, help_text="按日计算的期间"),
        "months": serializers.IntegerField(required=False, help_text="按月/年计算的期间"),
        "workdays": serializers.IntegerField(required=False, help_text="按工作日计算的期间"),
        "moved_for_holiday": serializers.BooleanField(),
        "calendar_complete": serializers.BooleanField(
            help_text="false：所涉年份尚无官方放假安排，仅按周末计算休息日"
        ),
        "legal_basis": serializers.CharField(),
    },
)
_RULES = inline_serializer(
    "DeadlineRule",
    {
        "id": serializers.CharField(),
        "name": serializers.CharField(),
        "days": serializers.IntegerField(required=False),
        "months": serializers.IntegerField(required=False),
        "workdays": serializers.IntegerField(required=False),
        "legal_basis": serializers.CharField(),
    },
    many=True,
)
_ERROR = inline_serializer("CalculatorError", {"detail": serializers.CharField()})


def rule_as_dict(rule: deadlines.Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        rule.unit: rule.length,
        "legal_basis": rule.legal_basis,
    }


class DeadlineCalculatorView(APIView):
    """Statutory deadline calculator: counting as the law counts, with the official holidays."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public and stateless: no session, so no CSRF either
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="法定期间规则列表",
        responses={200: _RULES},
        tags=["calculators"],
    )
    def get(self, request):
        return Response([rule_as_dict(rule) for rule in deadlines.RULES.values()])

    @extend_schema(
        summary="计算法定期间届满日",
        request=DeadlineRequestSerializer,
        responses={200: _RESULT, 400: _ERROR},
        examples=[
            OpenApiExample(
                "非终局裁决起诉期限",
                request_only=True,
                value={"rule": "suit_after_award", "start": "2025-09-20"},
            ),
            OpenApiExample(
                "结果",
                response_only=True,
                value={
                    "rule": "suit_after_award",
                    "start": "2025-09-20",
                    "due": "2025-10-09",
                    "days": 15,
                    "moved_for_holiday": True,
                    "calendar_complete": True,
                    "legal_basis": "劳动争议调解仲裁法第五十条",
                },
            ),
        ],
        tags=["calculators"],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return _bad(_("请求体应为 JSON 对象，包含 rule 和 start 两个字段。"))
        serializer = DeadlineRequestSerializer(data=request.data)
        if not serializer.is_valid():
            for name in ("rule", "start"):  # report the first bad field, in a fixed order
                if name in serializer.errors:
                    return _bad(f"{_FIELD_LABELS[name]}：{serializer.errors[name][0]}")
        data = serializer.validated_data
        result = deadlines.compute_due(data["rule"], data["start"])
        return Response(result.as_dict())


def _bad(detail: str) -> Response:
    return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)


urlpatterns: list = [
    path("calculators/deadline/", DeadlineCalculatorView.as_view(), name="calculator-deadline"),
]
