"""Public calculator endpoints (statutory deadlines, compensation): /api/v1/calculators/…

The compensation endpoints are thin: a serializer parses the request (amounts as strings, ISO
dates), niangjia.rights.calculators does the law, and any bad input is a 400 whose Chinese `detail`
names the field ("monthly_wage（月工资）：不能为负数。")."""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from niangjia.api.fast import BadBody, CounterThrottle, is_json, json_body, json_response, throttled
from niangjia.rights import calculators, deadlines

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


class CalculatorThrottle(CounterThrottle):
    """The calculators' throttle (the `anon` rate): one counter per address and window."""


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
    throttle_classes = [CalculatorThrottle]

    @extend_schema(
        summary="法定期间规则列表",
        responses={200: _RULES},
        tags=["calculators"],
    )
    def get(self, request):
        return Response([rule_as_dict(rule) for rule in deadlines.RULES.values()])

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and is_json(request):  # the fast path, as for the others
            return fast_answer(request, deadline_answer)
        return super().dispatch(request, *args, **kwargs)

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
        code, answer = deadline_answer(request.data)
        return Response(answer, status=code)


def deadline_answer(data) -> tuple[int, dict]:
    """(HTTP status, body) for a deadline request."""
    if not isinstance(data, dict):
        return 400, {"detail": _("请求体应为 JSON 对象，包含 rule 和 start 两个字段。")}
    serializer = DeadlineRequestSerializer(data=data)
    if not serializer.is_valid():
        for name in ("rule", "start"):  # report the first bad field, in a fixed order
            if name in serializer.errors:
                return 400, {"detail": f"{_FIELD_LABELS[name]}：{serializer.errors[name][0]}"}
    validated = serializer.validated_data
    return 200, deadlines.compute_due(validated["rule"], validated["start"]).as_dict()


def fast_answer(request, answer) -> JsonResponse:
    """A calculator's JSON POST in plain Django (niangjia.api.fast): throttle, parse, answer.
    `answer(data) -> (status, body)` is the same function DRF's `post` calls."""
    too_many = throttled(request, CalculatorThrottle)
    if too_many is not None:
        return too_many
    try:
        data = json_body(request)
    except BadBody as exc:
        return json_response({"detail": str(exc)}, status=400)
    code, body = answer(data)
    return json_response(body, status=code)


# -- the statutory compensation calculators (niangjia/rights/calculators.py) --------------------

_MONEY_ERRORS = {
    "required": _lazy("缺少此字段。"),
    "null": _lazy("不能为空。"),
    "invalid": _lazy("应为金额数字，如“6000.00”。"),
    "max_digits": _lazy("数值过大。"),
    "max_whole_digits": _lazy("数值过大。"),
    "max_decimal_places": _lazy("最多保留两位小数。"),
    "max_string_length": _lazy("数值过长。"),
}


def _decimal(max_digits: int = 14, **kw) -> serializers.DecimalField:
    errors = dict(_MONEY_ERRORS)
    if max_digits != 14:
        errors["invalid"] = _lazy("应为数字，如“8”或“7.5”。")
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=2, error_messages=errors, **kw
    )


def _optional_decimal(**kw) -> serializers.DecimalField:
    return _decimal(required=False, allow_null=True, default=None, **kw)


def _integer(**kw) -> serializers.IntegerField:
    return serializers.IntegerField(
        error_messages={
            "required": _lazy("缺少此字段。"),
            "null": _lazy("不能为空。"),
            "invalid": _lazy("应为整数。"),
            "max_string_length": _lazy("数值过长。"),
        },
        **kw,
    )


def _flag(**kw) -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        default=False,
        error_messages={"invalid": _lazy("应为 true 或 false。")},
        **kw,
    )


class IsoDateField(serializers.DateField):
    """YYYY-MM-DD only, within the years the calculators accept, with a Chinese message."""

    default_error_messages = {
        "required": _lazy("缺少此字段。"),
        "null": _lazy("不能为空。"),
    }

    def to_internal_value(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            day = value
        else:
            try:
                if not isinstance(value, str) or not _DATE.match(value):
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


def _date(**kw) -> IsoDateField:
    return IsoDateField(**kw)


class EconomicCompensationSerializer(serializers.Serializer):
    monthly_wage = _decimal(help_text="解除/终止前12个月平均工资（应得工资），元")
    start_date = _date(help_text="入职（用工）日期")
    end_date = _date(help_text="劳动合同解除或终止日（最后工作日）")
    local_average_monthly_wage = _optional_decimal(
        help_text="当地上年度职工月平均工资（三倍封顶用，选填）"
    )
    local_minimum_monthly_wage = _optional_decimal(
        help_text="当地月最低工资标准（实施条例第二十七条保底用，选填）"
    )
    unlawful_termination = _flag(help_text="违法解除/终止：按第八十七条支付二倍赔偿金")


class EconomicCompensationResult(serializers.Serializer):
    compensation_months = serializers.CharField(help_text="支付月数 N（已按十二年封顶）")
    wage_base = serializers.CharField(help_text="计算基数（已保底/封顶）")
    capped = serializers.BooleanField(help_text="是否按当地月平均工资三倍封顶")
    multiplier = serializers.IntegerField(help_text="违法解除为 2")
    amount = serializers.CharField()
    legal_basis = serializers.ListField(child=serializers.CharField())
    counted_from = serializers.DateField(
        help_text="年限起算日（2008年前入职的经济补偿自2008-01-01）"
    )
    service_years = serializers.IntegerField()
    service_months = serializers.IntegerField()
    service_days = serializers.IntegerField()
    months_before_limit = serializers.CharField(help_text="十二年封顶前的月数")
    floored = serializers.BooleanField(help_text="是否按最低工资标准保底")
    pre_2008_service = serializers.BooleanField(help_text="有2008年以前的工作年限（按当时规定）")
    notes = serializers.ListField(child=serializers.CharField())


class DoubleWageSerializer(serializers.Serializer):
    monthly_wage = _decimal(help_text="月工资，元")
    start_date = _date(help_text="用工之日")
    contract_signed_date = _date(
        required=False, allow_null=True, default=None, help_text="补签书面合同日期"
    )
    end_date = _date(
        required=False, allow_null=True, default=None, help_text="离职日期（一直未签合同时）"
    )


class DoubleWageResult(serializers.Serializer):
    months = serializers.CharField(help_text="应付二倍工资的月数（最多11个月）")
    amount = serializers.CharField(help_text="二倍工资差额（另一倍工资）")
    deemed_open_ended = serializers.BooleanField(help_text="满一年视为订立无固定期限劳动合同")
    legal_basis = serializers.ListField(child=serializers.CharField())
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    whole_months = serializers.IntegerField()
    extra_days = serializers.IntegerField()
    open_ended_from = serializers.DateField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())


class WorkInjurySerializer(serializers.Serializer):
    disability_grade = _integer(
        required=False, allow_null=True, default=None, help_text="伤残等级 1–10（因工死亡时可省略）"
    )
    monthly_wage = _decimal(help_text="本人工资：受伤前12个月平均月缴费工资")
    regional_average_monthly_wage = _decimal(help_text="统筹地区上年度职工月平均工资")
    death = _flag(help_text="因工死亡")
    previous_year_national_urban_disposable_income = _optional_decimal(
        help_text="上一年度全国城镇居民人均可支配收入（因工死亡时必填）"
    )
    local_minimum_monthly_wage = _optional_decimal(
        help_text="当地月最低工资标准（伤残津贴补足差额用，选填）"
    )


class WorkInjuryResult(serializers.Serializer):
    wage_base = serializers.CharField(help_text="本人工资（已按60%–300%调整）")
    wage_adjusted = serializers.CharField(allow_null=True, help_text="floor / cap / null")
    disability_grade = serializers.IntegerField(allow_null=True)
    one_time_subsidy_months = serializers.IntegerField(allow_null=True)
    one_time_disability_subsidy = serializers.CharField(allow_null=True)
    monthly_disability_allowance = serializers.CharField(
        allow_null=True, help_text="一至六级伤残津贴，其余为 null"
    )
    allowance_percent = serializers.IntegerField(allow_null=True)
    allowance_payer = serializers.CharField(allow_null=True, help_text="fund / employer")
    allowance_topped_up = serializers.BooleanField()
    funeral_subsidy = serializers.CharField(allow_null=True)
    death_benefit = serializers.CharField(allow_null=True)
    legal_basis = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class OvertimeSerializer(serializers.Serializer):
    monthly_wage = _decimal(help_text="月工资，元")
    workday_hours = _decimal(max_digits=8, required=False, default=Decimal(0))
    rest_day_hours = _decimal(max_digits=8, required=False, default=Decimal(0))
    holiday_hours = _decimal(max_digits=8, required=False, default=Decimal(0))


class OvertimeResult(serializers.Serializer):
    daily_wage = serializers.CharField()
    hourly_wage = serializers.CharField(help_text="月工资 ÷ 21.75 ÷ 8")
    workday_amount = serializers.CharField()
    rest_day_amount = serializers.CharField()
    holiday_amount = serializers.CharField()
    amount = serializers.CharField()
    legal_basis = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class AnnualLeaveSerializer(serializers.Serializer):
    monthly_wage = _decimal(help_text="前12个月剔除加班工资后的月平均工资")
    cumulative_work_years = _decimal(max_digits=5, help_text="累计工作年限（各单位合计）")
    unused_days = _integer(help_text="当年应休未休天数")


class AnnualLeaveResult(serializers.Serializer):
    entitled_days = serializers.IntegerField()
    unused_days = serializers.IntegerField()
    daily_wage = serializers.CharField()
    amount = serializers.CharField(help_text="另应支付的200%")
    total_pay = serializers.CharField(help_text="300%，含已发的正常工资")
    legal_basis = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class UnpaidWageSurchargeSerializer(serializers.Serializer):
    amount_owed = _decimal(help_text="应付未付的劳动报酬、加班费或经济补偿")


class UnpaidWageSurchargeResult(serializers.Serializer):
    amount_owed = serializers.CharField()
    min = serializers.CharField(help_text="50%")
    max = serializers.CharField(help_text="100%")
    legal_basis = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class CalculatorInputError(ValueError):
    """Input a calculator refused: `detail` is the Chinese message naming the field."""

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


def run_calculator(slug: str, data) -> tuple[dict, dict]:
    """Validate `data` with the calculator's request serializer and compute: (the validated
    inputs, the result as the endpoint returns it). The public endpoints and the
    claims computed inside a case both go through here, so they accept and refuse the same input."""
    if slug not in SERIALIZERS:
        raise CalculatorInputError(
            _("未知的计算器“%(slug)s”，可选：%(all)s")
            % {"slug": slug, "all": "、".join(SERIALIZERS)},
            "calculator",
        )
    if not isinstance(data, dict):
        raise CalculatorInputError(_("请求体应为 JSON 对象。"))
    validated = validate_fields(SERIALIZERS[slug], data)
    try:
        result = calculators.CALCULATORS[slug](**validated)
    except calculators.CalculatorError as exc:
        raise CalculatorInputError(
            f"{calculators.field_label(exc.field)}：{exc.message}", exc.field
        ) from exc
    return validated, result.as_dict()


def validate_fields(serializer_class: type[serializers.Serializer], data: dict) -> dict:
    """What `serializer_class(data=data).is_valid()` does for these flat calculator serializers
    (no nested fields, no validate_* methods), stopping at the first bad field in declaration
    order. It runs each declared field's own validation on the class's field instances: DRF
    deep-copies every field for every serializer instance, which cost more than the arithmetic
    and halved the endpoints' throughput. Validating does not mutate a field, so the shared,
    unbound instances are safe across threads (tests check both paths agree)."""
    validated = {}
    for name, field in serializer_class._declared_fields.items():
        try:
            validated[name] = field.run_validation(data.get(name, empty))
        except SkipField:
            continue
        except serializers.ValidationError as exc:
            detail = exc.detail
            message = detail[0] if isinstance(detail, list) else detail
            raise CalculatorInputError(
                f"{calculators.field_label(name)}：{message}", name
            ) from None
    return validated


def json_inputs(validated: dict) -> dict:
    """Validated calculator inputs as JSON values (dates ISO, amounts as strings), to keep."""
    return {
        name: value.isoformat()
        if isinstance(value, datetime.date)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for name, value in validated.items()
    }


def calculator_answer(slug: str, data) -> tuple[int, dict]:
    """(HTTP status, body) for a compensation calculator request."""
    try:
        _inputs, result = run_calculator(slug, data)
    except CalculatorInputError as exc:
        return 400, {"detail": exc.detail}
    return 200, result


class _CalculatorView(APIView):
    """A JSON POST is answered by `fast_answer` in plain Django (see niangjia.api.fast); other
    content types (a form post) and other methods take DRF's path, with the same answers."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public and stateless: no session, so no CSRF either
    throttle_classes = [CalculatorThrottle]
    slug = ""
    serializer_class: type[serializers.Serializer]

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and is_json(request):
            return fast_answer(request, functools.partial(calculator_answer, self.slug))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        code, body = calculator_answer(self.slug, request.data)
        return Response(body, status=code)


def _calculator(slug, request, result, summary, example_in, example_out):
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            request=request,
            responses={200: result, 400: _ERROR},
            examples=[
                OpenApiExample("示例", request_only=True, value=example_in),
                OpenApiExample("结果", response_only=True, value=example_out),
            ],
            tags=["calculators"],
        )
    )(
        type(
            f"{request.__name__.removesuffix('Serializer')}View",
            (_CalculatorView,),
            {"slug": slug, "serializer_class": request, "__doc__": summary},
        )
    )


EconomicCompensationView = _calculator(
    "economic-compensation",
    EconomicCompensationSerializer,
    EconomicCompensationResult,
    "经济补偿 / 违法解除赔偿金（劳动合同法第四十七条、第八十七条）",
    {
        "monthly_wage": "8000.00",
        "start_date": "2021-03-01",
        "end_date": "2024-09-30",
        "local_average_monthly_wage": "9000.00",
        "unlawful_termination": False,
    },
    {"compensation_months": "4", "wage_base": "8000.00", "capped": False, "multiplier": 1,
     "amount": "32000.00", "legal_basis": ["劳动合同法第四十七条"]},
)  # fmt: skip
DoubleWageView = _calculator(
    "double-wage",
    DoubleWageSerializer,
    DoubleWageResult,
    "未签书面劳动合同二倍工资（劳动合同法第八十二条、实施条例第六、七条）",
    {"monthly_wage": "6000.00", "start_date": "2024-01-10", "contract_signed_date": "2024-09-10"},
    {"months": "7", "amount": "42000.00", "deemed_open_ended": False,
     "legal_basis": ["劳动合同法第八十二条", "劳动合同法实施条例第六条"]},
)  # fmt: skip
WorkInjuryView = _calculator(
    "work-injury",
    WorkInjurySerializer,
    WorkInjuryResult,
    "工伤保险待遇（工伤保险条例第三十五至三十七条、第三十九条、第六十四条）",
    {"disability_grade": 9, "monthly_wage": "6000.00", "regional_average_monthly_wage": "8000.00"},
    {"wage_base": "6000.00", "one_time_subsidy_months": 9,
     "one_time_disability_subsidy": "54000.00", "monthly_disability_allowance": None,
     "funeral_subsidy": None, "death_benefit": None,
     "legal_basis": ["工伤保险条例第三十七条", "工伤保险条例第六十四条"]},
)  # fmt: skip
OvertimeView = _calculator(
    "overtime",
    OvertimeSerializer,
    OvertimeResult,
    "加班费（劳动法第四十四条，月计薪天数21.75）",
    {"monthly_wage": "6525.00", "workday_hours": "10", "rest_day_hours": "16",
     "holiday_hours": "8"},
    {"hourly_wage": "37.50", "amount": "2662.50",
     "legal_basis": ["劳动法第四十四条", "劳社部发〔2008〕3号"]},
)  # fmt: skip
AnnualLeaveView = _calculator(
    "annual-leave",
    AnnualLeaveSerializer,
    AnnualLeaveResult,
    "未休年休假工资（职工带薪年休假条例第三、五条）",
    {"monthly_wage": "6525.00", "cumulative_work_years": "12", "unused_days": 4},
    {"entitled_days": 10, "daily_wage": "300.00", "amount": "2400.00"},
)
UnpaidWageSurchargeView = _calculator(
    "unpaid-wage-surcharge",
    UnpaidWageSurchargeSerializer,
    UnpaidWageSurchargeResult,
    "加付赔偿金（劳动合同法第八十五条：应付金额的50%–100%）",
    {"amount_owed": "20000.00"},
    {"min": "10000.00", "max": "20000.00", "legal_basis": ["劳动合同法第八十五条"]},
)

SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "economic-compensation": EconomicCompensationSerializer,
    "double-wage": DoubleWageSerializer,
    "work-injury": WorkInjurySerializer,
    "overtime": OvertimeSerializer,
    "annual-leave": AnnualLeaveSerializer,
    "unpaid-wage-surcharge": UnpaidWageSurchargeSerializer,
}

urlpatterns: list = [
    path("calculators/deadline/", DeadlineCalculatorView.as_view(), name="calculator-deadline"),
    *[
        path(f"calculators/{view.slug}/", view.as_view(), name=f"calculator-{view.slug}")
        for view in (
            EconomicCompensationView,
            DoubleWageView,
            WorkInjuryView,
            OvertimeView,
            AnnualLeaveView,
            UnpaidWageSurchargeView,
        )
    ],
]
