"""Workers' side of the calculators and the legal help pages (H5, public, no login).

Each calculator is a plain form that posts to its own page, so it works without JavaScript; the
arithmetic is niangjia.rights.calculators (the same functions the JSON API calls). A result is
explained in plain Chinese with the text of each article applied, and links to the complaint form
pre-filled with the figures (/rights/complaint/?category=…&amount=…&facts=…).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.forms import StyledFormMixin
from niangjia.core.money import format_yuan
from niangjia.rights import calculators
from niangjia.rights.calculators import FIELD_LABELS, CalculatorError


def _money(name: str, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=format_lazy("{}{}", FIELD_LABELS[name], gettext_lazy("（元）")),
        max_digits=14,
        decimal_places=2,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _number(name: str, max_digits: int = 7, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=FIELD_LABELS[name],
        max_digits=max_digits,
        decimal_places=2,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _date(name: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=FIELD_LABELS[name],
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class EconomicCompensationForm(StyledFormMixin, forms.Form):
    monthly_wage = _money(
        "monthly_wage", help_text=gettext_lazy("离职前12个月的平均应得工资，含奖金、津贴、补贴")
    )
    start_date = _date("start_date")
    end_date = _date("end_date")
    local_average_monthly_wage = _money(
        "local_average_monthly_wage",
        required=False,
        help_text=gettext_lazy("选填：月工资很高时用于三倍封顶"),
    )
    local_minimum_monthly_wage = _money(
        "local_minimum_monthly_wage",
        required=False,
        help_text=gettext_lazy("选填：月工资低于最低工资时按最低工资算"),
    )
    unlawful_termination = forms.BooleanField(
        label=gettext_lazy("单位违法解除或终止合同（要求赔偿金，不要求回去上班）"), required=False
    )


class DoubleWageForm(StyledFormMixin, forms.Form):
    monthly_wage = _money("monthly_wage")
    start_date = _date("start_date", help_text=gettext_lazy("开始上班的日期"))
    contract_signed_date = _date(
        "contract_signed_date",
        required=False,
        help_text=gettext_lazy("后来补签了合同就填；一直没签就空着，填离职日期"),
    )
    end_date = _date("end_date", required=False)


class WorkInjuryForm(StyledFormMixin, forms.Form):
    disability_grade = forms.TypedChoiceField(
        label=FIELD_LABELS["disability_grade"],
        choices=[("", gettext_lazy("请选择（因工死亡可不选）"))]
        + [(str(g), format_lazy("{}{}", g, gettext_lazy("级"))) for g in range(1, 11)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("以劳动能力鉴定结论为准，一级最重"),
    )
    monthly_wage = _money(
        "monthly_wage", help_text=gettext_lazy("受伤前12个月平均月缴费工资（本人工资）")
    )
    regional_average_monthly_wage = _money("regional_average_monthly_wage")
    death = forms.BooleanField(label=FIELD_LABELS["death"], required=False)
    previous_year_national_urban_disposable_income = _money(
        "previous_year_national_urban_disposable_income",
        required=False,
        help_text=gettext_lazy("因工死亡时填写，以国家统计局公布数为准"),
    )
    local_minimum_monthly_wage = _money(
        "local_minimum_monthly_wage",
        required=False,
        help_text=gettext_lazy("选填：伤残津贴低于最低工资时补足"),
    )


class OvertimeForm(StyledFormMixin, forms.Form):
    monthly_wage = _money("monthly_wage")
    workday_hours = _number("workday_hours", required=False)
    rest_day_hours = _number("rest_day_hours", required=False)
    holiday_hours = _number("holiday_hours", required=False)


class AnnualLeaveForm(StyledFormMixin, forms.Form):
    monthly_wage = _money(
        "monthly_wage", help_text=gettext_lazy("前12个月剔除加班工资后的月平均工资")
    )
    cumulative_work_years = _number("cumulative_work_years", max_digits=5)
    unused_days = forms.IntegerField(
        label=FIELD_LABELS["unused_days"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class UnpaidWageSurchargeForm(StyledFormMixin, forms.Form):
    amount_owed = _money(
        "amount_owed", help_text=gettext_lazy("单位拖欠的工资、加班费或经济补偿合计")
    )


@dataclass(frozen=True)
class Calculator:
    slug: str
    title: str
    icon: str
    summary: str
    form_class: type[forms.Form]
    category: str  # the complaint form's category
    help_slug: str


CALCULATORS = {
    c.slug: c
    for c in (
        Calculator(
            "economic-compensation",
            gettext_lazy("经济补偿 / 违法解除赔偿金"),
            "briefcase",
            gettext_lazy("被辞退、合同到期不续签、单位过错逼走人，能拿多少补偿"),
            EconomicCompensationForm,
            "compensation",
            "dismissal",
        ),
        Calculator(
            "double-wage",
            gettext_lazy("未签劳动合同二倍工资"),
            "file-earmark-x",
            gettext_lazy("上班超过一个月还没签书面合同，每月多拿一倍工资"),
            DoubleWageForm,
            "compensation",
            "no-contract",
        ),
        Calculator(
            "work-injury",
            gettext_lazy("工伤待遇"),
            "bandaid",
            gettext_lazy(
                "按伤残等级算一次性伤残补助金、伤残津贴，因工死亡的丧葬补助金和工亡补助金"
            ),
            WorkInjuryForm,
            "injury",
            "work-injury",
        ),
        Calculator(
            "overtime",
            gettext_lazy("加班费"),
            "clock-history",
            gettext_lazy("工作日延时150%、休息日200%、法定节假日300%"),
            OvertimeForm,
            "overtime",
            "unpaid-wages",
        ),
        Calculator(
            "annual-leave",
            gettext_lazy("未休年休假工资"),
            "calendar-check",
            gettext_lazy("该休的年假没休，另外再拿两倍日工资"),
            AnnualLeaveForm,
            "wages",
            "unpaid-wages",
        ),
        Calculator(
            "unpaid-wage-surcharge",
            gettext_lazy("拖欠工资加付赔偿金"),
            "cash-coin",
            gettext_lazy("劳动监察责令后仍不支付，单位还要加付50%–100%"),
            UnpaidWageSurchargeForm,
            "wages",
            "unpaid-wages",
        ),
    )
}


@dataclass(frozen=True)
class HelpTopic:
    slug: str
    title: str
    icon: str
    summary: str
    calculators: tuple[str, ...]
    category: str

    @property
    def template(self) -> str:
        return f"rights/public/help_{self.slug.replace('-', '_')}.html"


HELP_TOPICS = {
    t.slug: t
    for t in (
        HelpTopic(
            "unpaid-wages",
            gettext_lazy("被拖欠工资怎么办"),
            "cash-stack",
            gettext_lazy("工资、加班费、年休假工资不发或少发"),
            ("unpaid-wage-surcharge", "overtime", "annual-leave"),
            "wages",
        ),
        HelpTopic(
            "work-injury",
            gettext_lazy("工作中受伤了怎么办"),
            "bandaid",
            gettext_lazy("工伤认定、劳动能力鉴定、工伤待遇"),
            ("work-injury",),
            "injury",
        ),
        HelpTopic(
            "dismissal",
            gettext_lazy("被辞退、解除合同怎么办"),
            "door-open",
            gettext_lazy("什么时候有经济补偿，什么时候能拿双倍赔偿金"),
            ("economic-compensation",),
            "termination",
        ),
        HelpTopic(
            "no-contract",
            gettext_lazy("没签劳动合同怎么办"),
            "file-earmark-x",
            gettext_lazy("二倍工资、视为无固定期限合同、怎么证明劳动关系"),
            ("double-wage",),
            "compensation",
        ),
        HelpTopic(
            "platform-workers",
            gettext_lazy("外卖骑手、网约车司机受伤怎么办"),
            "bicycle",
            gettext_lazy("新就业形态人员职业伤害保障"),
            ("work-injury",),
            "injury",
        ),
    )
}


# -- plain-language explanations and the complaint summary -------------------------------------


def _y(amount: Decimal | None) -> str:
    return format_yuan(amount)


def _explain_economic_compensation(r: calculators.EconomicCompensation, data: dict):
    lines = [
        _("工作年限从%(start)s算到%(end)s：%(y)d年%(m)d个月%(d)d天。")
        % {
            "start": r.counted_from.isoformat(),
            "end": data["end_date"].isoformat(),
            "y": r.service_months // 12,
            "m": r.service_months % 12,
            "d": r.service_days,
        },
        _(
            "每满一年支付1个月工资；剩下不满一年的，满6个月按1个月算，不满6个月按半个月算，"
            "共 %(n)s 个月。"
        )
        % {"n": calculators.number(r.months_before_limit)},
    ]
    if r.floored:
        lines.append(
            _("您的月工资低于当地最低工资标准，按最低工资 %(base)s 计算。")
            % {"base": _y(r.wage_base)}
        )
    if r.capped:
        lines.append(
            _(
                "您的月工资高于当地上年度职工月平均工资的三倍，按三倍即 %(base)s 计算，"
                "年限最多算12年，按 %(n)s 个月计。"
            )
            % {"base": _y(r.wage_base), "n": calculators.number(r.compensation_months)}
        )
    if r.multiplier == 2:
        lines.append(_("单位违法解除或终止劳动合同，赔偿金是经济补偿标准的二倍，年限从入职起算。"))
    lines.append(
        _("合计：%(n)s 个月 × %(base)s × %(k)d = %(amount)s。")
        % {
            "n": calculators.number(r.compensation_months),
            "base": _y(r.wage_base),
            "k": r.multiplier,
            "amount": _y(r.amount),
        }
    )
    what = _("违法解除赔偿金") if r.multiplier == 2 else _("经济补偿")
    facts = _(
        "按维权计算器：%(start)s入职，%(end)s离职，月工资%(wage)s，应得%(what)s%(amount)s"
        "（%(n)s个月×%(base)s×%(k)d，%(basis)s）。"
    ) % {
        "start": data["start_date"].isoformat(),
        "end": data["end_date"].isoformat(),
        "wage": _y(data["monthly_wage"]),
        "what": what,
        "amount": _y(r.amount),
        "n": calculators.number(r.compensation_months),
        "base": _y(r.wage_base),
        "k": r.multiplier,
        "basis": "、".join(r.legal_basis[:2]),
    }
    return lines, r.amount, facts


def _explain_double_wage(r: calculators.DoubleWage, data: dict):
    if r.period_start is None:
        lines = [_("上班不超过一个月，单位只要在一个月内签了书面合同，就不用付二倍工资。")]
    else:
        lines = [
            _("从上班满一个月的次日%(a)s起，到%(b)s止，单位没有和您签书面劳动合同。")
            % {"a": r.period_start.isoformat(), "b": r.period_end.isoformat()},
            _("这段时间共 %(n)s 个月（最多11个月），每月再补一倍工资 %(wage)s，合计 %(amount)s。")
            % {
                "n": calculators.number(r.months),
                "wage": _y(data["monthly_wage"]),
                "amount": _y(r.amount),
            },
        ]
    if r.deemed_open_ended:
        lines.append(
            _("上班满一年仍没签合同，法律视为从%(date)s起已经和您订立了无固定期限劳动合同。")
            % {"date": r.open_ended_from.isoformat()}
        )
    facts = _(
        "按维权计算器：%(start)s入职，单位未签书面劳动合同，月工资%(wage)s，"
        "二倍工资差额%(n)s个月共%(amount)s（劳动合同法第八十二条）。"
    ) % {
        "start": data["start_date"].isoformat(),
        "wage": _y(data["monthly_wage"]),
        "n": calculators.number(r.months),
        "amount": _y(r.amount),
    }
    return lines, r.amount, facts


def _explain_work_injury(r: calculators.WorkInjury, data: dict):
    lines = []
    if r.wage_adjusted == "floor":
        lines.append(
            _("您的本人工资低于统筹地区职工平均工资的60%%，按60%%即 %(base)s 计算。")
            % {"base": _y(r.wage_base)}
        )
    elif r.wage_adjusted == "cap":
        lines.append(
            _("您的本人工资高于统筹地区职工平均工资的300%%，按300%%即 %(base)s 计算。")
            % {"base": _y(r.wage_base)}
        )
    if data.get("death"):
        lines.append(
            _("丧葬补助金：6个月 × 统筹地区上年度职工月平均工资 = %(amount)s。")
            % {"amount": _y(r.funeral_subsidy)}
        )
        if r.death_benefit is not None:
            lines.append(
                _("一次性工亡补助金：上一年度全国城镇居民人均可支配收入 × 20 = %(amount)s。")
                % {"amount": _y(r.death_benefit)}
            )
        facts = _(
            "按维权计算器：职工因工死亡，丧葬补助金%(funeral)s，一次性工亡补助金%(grant)s"
            "（工伤保险条例第三十九条）。"
        ) % {"funeral": _y(r.funeral_subsidy), "grant": _y(r.death_benefit) or "—"}
    else:
        lines.append(
            _(
                "%(g)d级伤残，一次性伤残补助金 = %(m)d个月 × 本人工资 %(base)s = %(amount)s，由工伤保险基金支付。"
            )
            % {
                "g": r.disability_grade,
                "m": r.one_time_subsidy_months,
                "base": _y(r.wage_base),
                "amount": _y(r.one_time_disability_subsidy),
            }
        )
        if r.monthly_disability_allowance is not None:
            payer = _("工伤保险基金") if r.allowance_payer == "fund" else _("用人单位")
            lines.append(
                _("每月伤残津贴 = 本人工资 × %(p)d%% = %(amount)s，由%(payer)s按月支付。")
                % {
                    "p": r.allowance_percent,
                    "amount": _y(r.monthly_disability_allowance),
                    "payer": payer,
                }
            )
            if r.allowance_topped_up:
                lines.append(_("按比例算出的伤残津贴低于当地最低工资标准，已补足到最低工资。"))
        facts = _(
            "按维权计算器：%(g)d级伤残，本人工资%(wage)s，一次性伤残补助金%(m)d个月共%(amount)s"
            "（%(basis)s）。"
        ) % {
            "g": r.disability_grade,
            "wage": _y(r.wage_base),
            "m": r.one_time_subsidy_months,
            "amount": _y(r.one_time_disability_subsidy),
            "basis": r.legal_basis[0],
        }
    return lines, r.lump_sum, facts


def _explain_overtime(r: calculators.Overtime, data: dict):
    lines = [
        _("日工资 = 月工资 ÷ 21.75 = %(day)s；小时工资 = 日工资 ÷ 8 = %(hour)s。")
        % {"day": _y(r.daily_wage), "hour": _y(r.hourly_wage)},
        _(
            "工作日延长工作时间按150%%：%(a)s；休息日加班又不能补休按200%%：%(b)s；法定节假日加班按300%%：%(c)s。"
        )
        % {"a": _y(r.workday_amount), "b": _y(r.rest_day_amount), "c": _y(r.holiday_amount)},
        _("合计加班费 %(amount)s。") % {"amount": _y(r.amount)},
    ]
    facts = _(
        "按维权计算器：月工资%(wage)s，工作日延时%(a)s小时、休息日%(b)s小时、法定节假日%(c)s小时，"
        "加班费共%(amount)s（劳动法第四十四条）。"
    ) % {
        "wage": _y(data["monthly_wage"]),
        "a": calculators.number(data.get("workday_hours") or 0),
        "b": calculators.number(data.get("rest_day_hours") or 0),
        "c": calculators.number(data.get("holiday_hours") or 0),
        "amount": _y(r.amount),
    }
    return lines, r.amount, facts


def _explain_annual_leave(r: calculators.AnnualLeave, data: dict):
    lines = [
        _("累计工作 %(years)s 年，每年应休年休假 %(days)d 天。")
        % {"years": calculators.number(data["cumulative_work_years"]), "days": r.entitled_days},
        _("日工资 = 月工资 ÷ 21.75 = %(day)s。") % {"day": _y(r.daily_wage)},
        _(
            "没休的年假按日工资的300%%支付，其中100%%是平时已发的工资，"
            "所以单位还应另付200%%：%(n)d天 × %(day)s × 2 = %(amount)s。"
        )
        % {"n": r.unused_days, "day": _y(r.daily_wage), "amount": _y(r.amount)},
    ]
    facts = _(
        "按维权计算器：累计工作%(years)s年，应休未休年休假%(n)d天，未休年休假工资差额%(amount)s"
        "（职工带薪年休假条例第五条）。"
    ) % {
        "years": calculators.number(data["cumulative_work_years"]),
        "n": r.unused_days,
        "amount": _y(r.amount),
    }
    return lines, r.amount, facts


def _explain_unpaid_wage_surcharge(r: calculators.UnpaidWageSurcharge, data: dict):
    lines = [
        _(
            "单位拖欠 %(owed)s。劳动监察部门责令限期支付后仍不支付的，还要按应付金额的50%%–100%%"
            "加付赔偿金，即 %(min)s 至 %(max)s。"
        )
        % {"owed": _y(r.amount_owed), "min": _y(r.min), "max": _y(r.max)}
    ]
    facts = _(
        "按维权计算器：单位拖欠%(owed)s；逾期仍不支付的，可责令加付赔偿金%(min)s至%(max)s"
        "（劳动合同法第八十五条）。"
    ) % {"owed": _y(r.amount_owed), "min": _y(r.min), "max": _y(r.max)}
    return lines, r.amount_owed, facts


EXPLAIN = {
    "economic-compensation": _explain_economic_compensation,
    "double-wage": _explain_double_wage,
    "work-injury": _explain_work_injury,
    "overtime": _explain_overtime,
    "annual-leave": _explain_annual_leave,
    "unpaid-wage-surcharge": _explain_unpaid_wage_surcharge,
}


def complaint_url(category: str, amount: Decimal | None = None, facts: str = "") -> str:
    params = {"category": category}
    if amount is not None:
        params["amount"] = str(amount)
    if facts:
        params["facts"] = facts
    return f"{reverse('rights_public:complaint')}?{urlencode(params)}"


# -- views --------------------------------------------------------------------------------------


def calculator_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rights/public/calculators.html",
        {"calculators": CALCULATORS.values(), "topics": HELP_TOPICS.values()},
    )


def calculator(request: HttpRequest, slug: str) -> HttpResponse:
    spec = CALCULATORS.get(slug)
    if spec is None:
        raise Http404
    form = spec.form_class(request.POST or None)
    context = {"spec": spec, "form": form, "others": [c for c in CALCULATORS.values() if c != spec]}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            result = calculators.CALCULATORS[slug](**data)
        except CalculatorError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            lines, amount, facts = EXPLAIN[slug](result, data)
            context.update(
                result=result,
                amount=amount,
                lines=lines,
                notes=result.notes,
                articles=[
                    (name, calculators.ARTICLE_TEXTS.get(name, "")) for name in result.legal_basis
                ],
                complaint_url=complaint_url(spec.category, amount, facts),
            )
    return render(request, "rights/public/calculator.html", context)


def help_list(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/public/help.html", {"topics": HELP_TOPICS.values()})


def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = HELP_TOPICS.get(slug)
    if topic is None:
        raise Http404
    return render(
        request,
        topic.template,
        {
            "topic": topic,
            "calculators": [CALCULATORS[s] for s in topic.calculators],
            "complaint_url": complaint_url(topic.category),
            "topics": [t for t in HELP_TOPICS.values() if t != topic],
        },
    )
