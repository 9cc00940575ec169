"""Statutory calculators: what the law says a worker is owed.

Pure functions over Decimal (no database). Each returns a frozen result holding the amount, the
intermediate figures and the articles applied; `as_dict()` is the JSON the public API returns
(amounts as strings with two decimals). Money is rounded half-up to the fen once, at the end, via
`niangjia.core.money.quantize`; intermediate rates (daily and hourly wage) are shown rounded but
computed exactly. Invalid input raises `CalculatorError(field, message)` with a Chinese message, so
the API (400) and the H5 page (form error) report it on the right field.

Rules and worked examples: ../shared/domain/labor-law.md §2–3. Where practice differs by locality
the choice is a setting (read at call time, overridable per call):

- ``RIGHTS_SERVICE_PART_MONTH`` — how a part month at the end of the service period counts for
  劳动合同法第四十七条 (the law only speaks of years and six months):
  ``"ignore"`` (default, the literal reading: a part month is not a month, so 3 years 5 months
  20 days has a remainder under six months → half a month's wage), ``"round_up"`` (any started
  month counts as a whole month) or ``"half_month"`` (15 days or more count as a month).
- ``RIGHTS_DOUBLE_WAGE_PART_MONTH`` — a part month of the double-wage period (劳动合同法第八十二条):
  ``"prorate"`` (default: by the calendar days of that month) or ``"ignore"`` (whole months only).
- ``RIGHTS_ANNUAL_LEAVE_COUNT_LAST_DAY`` — when pro-rating leave on leaving (实施办法第十二条), whether
  the leaving day counts among the days elapsed (default True: 01-01 to 06-30 = 181 days).
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.money import quantize

LCL_IN_FORCE = datetime.date(2008, 1, 1)  # 劳动合同法第九十八条
PAY_DAYS_PER_MONTH = Decimal("21.75")  # 月计薪天数，劳社部发〔2008〕3号
HOURS_PER_DAY = Decimal(8)
ZERO = Decimal(0)

# WIIR arts.35–37: months of 本人工资 for the one-time subsidy; art.35–36: monthly allowance
DISABILITY_SUBSIDY_MONTHS = {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7}
DISABILITY_ALLOWANCE_PERCENT = {1: 90, 2: 85, 3: 80, 4: 75, 5: 70, 6: 60}
WAGE_BASE_FLOOR = Decimal("0.6")  # 工伤保险条例第六十四条
WAGE_BASE_CAP = Decimal(3)
FUNERAL_MONTHS = 6  # 工伤保险条例第三十九条第一款第(一)项
DEATH_GRANT_TIMES = 20  # 同条第(三)项

# Labels of the request fields, for error messages ("monthly_wage（月工资）：不能为负数。")
FIELD_LABELS = {
    "monthly_wage": gettext_lazy("月工资"),
    "start_date": gettext_lazy("入职日期"),
    "end_date": gettext_lazy("离职日期"),
    "local_average_monthly_wage": gettext_lazy("当地上年度职工月平均工资"),
    "local_minimum_monthly_wage": gettext_lazy("当地月最低工资标准"),
    "unlawful_termination": gettext_lazy("是否违法解除"),
    "contract_signed_date": gettext_lazy("补签书面合同日期"),
    "disability_grade": gettext_lazy("伤残等级"),
    "regional_average_monthly_wage": gettext_lazy("统筹地区上年度职工月平均工资"),
    "death": gettext_lazy("是否因工死亡"),
    "previous_year_national_urban_disposable_income": gettext_lazy(
        "上一年度全国城镇居民人均可支配收入"
    ),
    "workday_hours": gettext_lazy("工作日延长工作时间（小时）"),
    "rest_day_hours": gettext_lazy("休息日加班（小时）"),
    "holiday_hours": gettext_lazy("法定休假日加班（小时）"),
    "cumulative_work_years": gettext_lazy("累计工作年限（年）"),
    "unused_days": gettext_lazy("应休未休天数"),
    "amount_owed": gettext_lazy("应付未付金额"),
}

# The text of each article applied, for the plain-language explanation on the H5 page.
# Copied from ../shared/domain/laws/ (LawRefBook mirror); 劳社部发〔2008〕3号 is summarised.
ARTICLE_TEXTS = {
    "劳动合同法第十四条": "用人单位自用工之日起满一年不与劳动者订立书面劳动合同的，视为用人单位与"
    "劳动者已订立无固定期限劳动合同。（第三款）",
    "劳动合同法第四十七条": "经济补偿按劳动者在本单位工作的年限，每满一年支付一个月工资的标准向劳动者"
    "支付。六个月以上不满一年的，按一年计算；不满六个月的，向劳动者支付半个月工资的经济补偿。"
    "劳动者月工资高于用人单位所在直辖市、设区的市级人民政府公布的本地区上年度职工月平均工资三倍的，"
    "向其支付经济补偿的标准按职工月平均工资三倍的数额支付，向其支付经济补偿的年限最高不超过十二年。"
    "本条所称月工资是指劳动者在劳动合同解除或者终止前十二个月的平均工资。",
    "劳动合同法第四十八条": "用人单位违反本法规定解除或者终止劳动合同，劳动者要求继续履行劳动合同的，"
    "用人单位应当继续履行；劳动者不要求继续履行劳动合同或者劳动合同已经不能继续履行的，用人单位应当"
    "依照本法第八十七条规定支付赔偿金。",
    "劳动合同法第八十二条": "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当"
    "向劳动者每月支付二倍的工资。",
    "劳动合同法第八十五条": "用人单位有下列情形之一的，由劳动行政部门责令限期支付劳动报酬、加班费或者"
    "经济补偿；劳动报酬低于当地最低工资标准的，应当支付其差额部分；逾期不支付的，责令用人单位按应付"
    "金额百分之五十以上百分之一百以下的标准向劳动者加付赔偿金：（一）未按照劳动合同的约定或者国家规定"
    "及时足额支付劳动者劳动报酬的；（二）低于当地最低工资标准支付劳动者工资的；（三）安排加班不支付"
    "加班费的；（四）解除或者终止劳动合同，未依照本法规定向劳动者支付经济补偿的。",
    "劳动合同法第八十七条": "用人单位违反本法规定解除或者终止劳动合同的，应当依照本法第四十七条规定的"
    "经济补偿标准的二倍向劳动者支付赔偿金。",
    "劳动合同法第九十七条": "本法施行之日存续的劳动合同在本法施行后解除或者终止，依照本法第四十六条规定"
    "应当支付经济补偿的，经济补偿年限自本法施行之日起计算；本法施行前按照当时有关规定，用人单位应当"
    "向劳动者支付经济补偿的，按照当时有关规定执行。（第三款）",
    "劳动合同法实施条例第六条": "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，"
    "应当依照劳动合同法第八十二条的规定向劳动者每月支付两倍的工资，并与劳动者补订书面劳动合同。",
    "劳动合同法实施条例第七条": "用人单位自用工之日起满一年未与劳动者订立书面劳动合同的，自用工之日起满"
    "一个月的次日至满一年的前一日应当依照劳动合同法第八十二条的规定向劳动者每月支付两倍的工资，并视为"
    "自用工之日起满一年的当日已经与劳动者订立无固定期限劳动合同，应当立即与劳动者补订书面劳动合同。",
    "劳动合同法实施条例第二十五条": "用人单位违反劳动合同法的规定解除或者终止劳动合同，依照劳动合同法"
    "第八十七条的规定支付了赔偿金的，不再支付经济补偿。赔偿金的计算年限自用工之日起计算。",
    "劳动合同法实施条例第二十七条": "劳动合同法第四十七条规定的经济补偿的月工资按照劳动者应得工资计算，"
    "包括计时工资或者计件工资以及奖金、津贴和补贴等货币性收入。劳动者在劳动合同解除或者终止前12个月的"
    "平均工资低于当地最低工资标准的，按照当地最低工资标准计算。劳动者工作不满12个月的，按照实际工作的"
    "月数计算平均工资。",
    "劳动法第四十四条": "有下列情形之一的，用人单位应当按照下列标准支付高于劳动者正常工作时间工资的"
    "工资报酬：（一）安排劳动者延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；（二）休息日"
    "安排劳动者工作又不能安排补休的，支付不低于工资的百分之二百的工资报酬；（三）法定休假日安排劳动者"
    "工作的，支付不低于工资的百分之三百的工资报酬。",
    "劳社部发〔2008〕3号": "关于职工全年月平均工作时间和工资折算问题的通知：月计薪天数为21.75天"
    "（(365天－104天休息日)÷12月）；日工资＝月工资收入÷21.75，小时工资＝月工资收入÷(21.75×8)。",
    "职工带薪年休假条例第三条": "职工累计工作已满1年不满10年的，年休假5天；已满10年不满20年的，年休假"
    "10天；已满20年的，年休假15天。国家法定休假日、休息日不计入年休假的假期。",
    "职工带薪年休假条例第五条": "单位确因工作需要不能安排职工休年休假的，经职工本人同意，可以不安排"
    "职工休年休假。对职工应休未休的年休假天数，单位应当按照该职工日工资收入的300%支付年休假工资报酬。"
    "（第三款）",
    "企业职工带薪年休假实施办法第十条": "用人单位经职工同意不安排年休假或者安排职工年休假天数少于应休"
    "年休假天数，应当在本年度内对职工应休未休年休假天数，按照其日工资收入的300%支付未休年休假工资报酬，"
    "其中包含用人单位支付职工正常工作期间的工资收入。",
    "企业职工带薪年休假实施办法第十一条": "计算未休年休假工资报酬的日工资收入按照职工本人的月工资除以"
    "月计薪天数（21.75天）进行折算。前款所称月工资是指职工在用人单位支付其未休年休假工资报酬前12个月"
    "剔除加班工资后的月平均工资。",
    "企业职工带薪年休假实施办法第十二条": "用人单位与职工解除或者终止劳动合同时，当年度未安排职工休满"
    "应休年休假的，应当按照职工当年已工作时间折算应休未休年休假天数并支付未休年休假工资报酬，但折算后"
    "不足1整天的部分不支付未休年休假工资报酬。折算方法为：（当年度在本单位已过日历天数÷365天）×职工"
    "本人全年应当享受的年休假天数－当年度已安排年休假天数。",
    "工伤保险条例第三十五条": "职工因工致残被鉴定为一级至四级伤残的，保留劳动关系，退出工作岗位，"
    "享受以下待遇：(一)从工伤保险基金按伤残等级支付一次性伤残补助金，标准为：一级伤残为27个月的本人工资，"
    "二级伤残为25个月的本人工资，三级伤残为23个月的本人工资，四级伤残为21个月的本人工资；(二)从工伤保险"
    "基金按月支付伤残津贴，标准为：一级伤残为本人工资的90%，二级伤残为本人工资的85%，三级伤残为本人工资"
    "的80%，四级伤残为本人工资的75%。伤残津贴实际金额低于当地最低工资标准的，由工伤保险基金补足差额；",
    "工伤保险条例第三十六条": "职工因工致残被鉴定为五级、六级伤残的，享受以下待遇：(一)从工伤保险基金"
    "按伤残等级支付一次性伤残补助金，标准为：五级伤残为18个月的本人工资，六级伤残为16个月的本人工资；"
    "(二)保留与用人单位的劳动关系，由用人单位安排适当工作。难以安排工作的，由用人单位按月发给伤残津贴，"
    "标准为：五级伤残为本人工资的70%，六级伤残为本人工资的60%，并由用人单位按照规定为其缴纳应缴纳的各项"
    "社会保险费。伤残津贴实际金额低于当地最低工资标准的，由用人单位补足差额。经工伤职工本人提出，该职工"
    "可以与用人单位解除或者终止劳动关系，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性"
    "伤残就业补助金。一次性工伤医疗补助金和一次性伤残就业补助金的具体标准由省、自治区、直辖市人民政府"
    "规定。",
    "工伤保险条例第三十七条": "职工因工致残被鉴定为七级至十级伤残的，享受以下待遇：(一)从工伤保险基金"
    "按伤残等级支付一次性伤残补助金，标准为：七级伤残为13个月的本人工资，八级伤残为11个月的本人工资，"
    "九级伤残为9个月的本人工资，十级伤残为7个月的本人工资；(二)劳动、聘用合同期满终止，或者职工本人提出"
    "解除劳动、聘用合同的，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性伤残就业补助金。"
    "一次性工伤医疗补助金和一次性伤残就业补助金的具体标准由省、自治区、直辖市人民政府规定。",
    "工伤保险条例第三十九条": "职工因工死亡，其近亲属从工伤保险基金领取：（一）丧葬补助金为6个月的统筹"
    "地区上年度职工月平均工资；（二）供养亲属抚恤金按照职工本人工资的一定比例发给；（三）一次性工亡补助金"
    "标准为上一年度全国城镇居民人均可支配收入的20倍。一级至四级伤残职工在停工留薪期满后死亡的，其近亲属"
    "可以享受第（一）项、第（二）项规定的待遇。",
    "工伤保险条例第六十四条": "本人工资，是指工伤职工因工作遭受事故伤害或者患职业病前12个月平均月缴费"
    "工资。本人工资高于统筹地区职工平均工资300%的，按照统筹地区职工平均工资的300%计算；本人工资低于"
    "统筹地区职工平均工资60%的，按照统筹地区职工平均工资的60%计算。",
}


class CalculatorError(ValueError):
    """An input the law cannot be applied to; `field` is the request field to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def field_label(name: str) -> str:
    """'monthly_wage（月工资）' — how error details name a request field."""
    label = FIELD_LABELS.get(name)
    return f"{name}（{label}）" if label else name


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(quantize(value))


def number(value: Decimal | int) -> str:
    """A count of months or days without trailing zeros: 4, 3.5, 7.48."""
    return format(Decimal(value).normalize(), "f")


# -- dates -------------------------------------------------------------------------------------


def add_months(d: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later, or that month's last day (民法典第二百零二条)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return datetime.date(year, month, min(d.day, _calendar.monthrange(year, month)[1]))


def span(first: datetime.date, last: datetime.date) -> tuple[int, int]:
    """Whole calendar months and the remaining days from `first` to `last`, both days included
    (2021-03-01 … 2024-09-30 is 43 months and 0 days)."""
    after = last + datetime.timedelta(days=1)
    months = (after.year - first.year) * 12 + after.month - first.month
    while months > 0 and add_months(first, months) > after:
        months -= 1
    return months, (after - add_months(first, months)).days


# -- checks shared by the calculators ---------------------------------------------------------


def _positive(name: str, value: Decimal | None, *, optional: bool = False) -> None:
    if value is None:
        if not optional:
            raise CalculatorError(name, _("缺少此字段。"))
        return
    if value < 0:
        raise CalculatorError(name, _("不能为负数。"))
    if value == 0:
        raise CalculatorError(name, _("应大于 0。"))


FIRST_YEAR, LAST_YEAR = 1950, 2100  # the dates the calculators accept (as the deadline API)


def _in_range(name: str, value: datetime.date | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise CalculatorError(
            name, _("日期应在%(a)d年至%(b)d年之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )


def _not_negative(name: str, value: Decimal | int) -> None:
    if value < 0:
        raise CalculatorError(name, _("不能为负数。"))


def _setting(name: str, default: str, allowed: set[str], given: str | None) -> str:
    value = given if given is not None else getattr(settings, name, default)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, not {value!r}")
    return value


# -- 经济补偿 / 赔偿金 (劳动合同法第四十七条、第八十七条) --------------------------------------------


@dataclass(frozen=True)
class EconomicCompensation:
    compensation_months: Decimal  # N after the 12-year limit
    wage_base: Decimal
    capped: bool  # 3× the local average applied (and N limited to 12)
    multiplier: int  # 2 for unlawful termination (art.87)
    amount: Decimal
    legal_basis: tuple[str, ...]
    counted_from: datetime.date
    service_months: int  # whole months counted (from counted_from), after the part-month rule
    service_days: int  # the days beyond them
    months_before_limit: Decimal  # N before the 12-year limit
    floored: bool  # the minimum wage was used (实施条例第二十七条)
    pre_2008_service: bool  # some service before 2008-01-01 (art.97: old rules for that part)
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "compensation_months": number(self.compensation_months),
            "wage_base": money(self.wage_base),
            "capped": self.capped,
            "multiplier": self.multiplier,
            "amount": money(self.amount),
            "legal_basis": list(self.legal_basis),
            "counted_from": self.counted_from.isoformat(),
            "service_years": self.service_months // 12,
            "service_months": self.service_months % 12,
            "service_days": self.service_days,
            "months_before_limit": number(self.months_before_limit),
            "floored": self.floored,
            "pre_2008_service": self.pre_2008_service,
            "notes": list(self.notes),
        }


def compensation_months(months: int, days: int) -> Decimal:
    """劳动合同法第四十七条: a month per full year; a remainder of six months or more counts as a
    year, a shorter one (even a few days) earns half a month."""
    years, remainder = divmod(months, 12)
    if remainder >= 6:
        return Decimal(years + 1)
    if remainder or days:
        return Decimal(years) + Decimal("0.5")
    return Decimal(years)


def economic_compensation(
    *,
    monthly_wage: Decimal,
    start_date: datetime.date,
    end_date: datetime.date,
    local_average_monthly_wage: Decimal | None = None,
    local_minimum_monthly_wage: Decimal | None = None,
    unlawful_termination: bool = False,
    part_month: str | None = None,
) -> EconomicCompensation:
    _positive("monthly_wage", monthly_wage)
    _positive("local_average_monthly_wage", local_average_monthly_wage, optional=True)
    _positive("local_minimum_monthly_wage", local_minimum_monthly_wage, optional=True)
    _in_range("start_date", start_date)
    _in_range("end_date", end_date)
    if end_date < start_date:
        raise CalculatorError("end_date", _("不能早于入职日期 start_date。"))
    rule = _setting(
        "RIGHTS_SERVICE_PART_MONTH", "ignore", {"ignore", "round_up", "half_month"}, part_month
    )
    basis = ["劳动合同法第四十七条"]
    notes = []
    pre_2008 = start_date < LCL_IN_FORCE
    counted_from = start_date
    if unlawful_termination:
        basis += ["劳动合同法第八十七条", "劳动合同法第四十八条", "劳动合同法实施条例第二十五条"]
        if pre_2008:
            notes.append(_("赔偿金的计算年限自用工之日起计算，含2008年以前的工作年限。"))
    elif pre_2008:
        counted_from = LCL_IN_FORCE
        basis.append("劳动合同法第九十七条")
        notes.append(
            _(
                "2008年1月1日以前的工作年限不按劳动合同法计算，按当时有关规定执行；"
                "本结果只计算2008年1月1日以后的年限，此前部分请咨询工会。"
            )
        )

    if end_date < counted_from:
        months, days = 0, 0
    else:
        months, days = span(counted_from, end_date)
        if days and (rule == "round_up" or (rule == "half_month" and days >= 15)):
            months, days = months + 1, 0
    n = compensation_months(months, days)

    wage_base = monthly_wage
    floored = False
    if local_minimum_monthly_wage is not None and monthly_wage < local_minimum_monthly_wage:
        wage_base, floored = local_minimum_monthly_wage, True
        basis.append("劳动合同法实施条例第二十七条")
    elif local_minimum_monthly_wage is None:
        notes.append(_("未填写当地月最低工资标准，未核对最低工资保底。"))

    capped = False
    limited = n
    if local_average_monthly_wage is None:
        notes.append(_("未填写当地上年度职工月平均工资，未核对三倍封顶。"))
    elif monthly_wage > WAGE_BASE_CAP * local_average_monthly_wage:
        wage_base, capped = WAGE_BASE_CAP * local_average_monthly_wage, True
        limited = min(n, Decimal(12))

    multiplier = 2 if unlawful_termination else 1
    return EconomicCompensation(
        compensation_months=limited,
        wage_base=quantize(wage_base),
        capped=capped,
        multiplier=multiplier,
        amount=quantize(limited * wage_base * multiplier),
        legal_basis=tuple(basis),
        counted_from=counted_from,
        service_months=months,
        service_days=days,
        months_before_limit=n,
        floored=floored,
        pre_2008_service=pre_2008,
        notes=tuple(notes),
    )


# -- 未签书面劳动合同二倍工资 (劳动合同法第八十二条、实施条例第六、七条) ---------------------------


@dataclass(frozen=True)
class DoubleWage:
    months: Decimal
    amount: Decimal
    deemed_open_ended: bool
    legal_basis: tuple[str, ...]
    period_start: datetime.date | None
    period_end: datetime.date | None
    whole_months: int
    extra_days: int
    open_ended_from: datetime.date | None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "months": number(self.months),
            "amount": money(self.amount),
            "deemed_open_ended": self.deemed_open_ended,
            "legal_basis": list(self.legal_basis),
            "period_start": self.period_start and self.period_start.isoformat(),
            "period_end": self.period_end and self.period_end.isoformat(),
            "whole_months": self.whole_months,
            "extra_days": self.extra_days,
            "open_ended_from": self.open_ended_from and self.open_ended_from.isoformat(),
            "notes": list(self.notes),
        }


def double_wage(
    *,
    monthly_wage: Decimal,
    start_date: datetime.date,
    contract_signed_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    part_month: str | None = None,
) -> DoubleWage:
    _positive("monthly_wage", monthly_wage)
    _in_range("start_date", start_date)
    _in_range("contract_signed_date", contract_signed_date)
    _in_range("end_date", end_date)
    if contract_signed_date is None and end_date is None:
        raise CalculatorError(
            "contract_signed_date",
            _("请填写补签书面合同日期，或填写离职日期 end_date（一直未签时）。"),
        )
    if end_date is not None and end_date < start_date:
        raise CalculatorError("end_date", _("不能早于入职日期 start_date。"))
    rule = _setting("RIGHTS_DOUBLE_WAGE_PART_MONTH", "prorate", {"prorate", "ignore"}, part_month)
    first = add_months(start_date, 1)  # 满一个月的次日
    anniversary = add_months(start_date, 12)  # 满一年的当日：视为订立无固定期限劳动合同
    last = anniversary - datetime.timedelta(days=1)
    if contract_signed_date is not None:
        last = min(last, contract_signed_date - datetime.timedelta(days=1))
    if end_date is not None:
        last = min(last, end_date)
    deemed = (contract_signed_date is None or contract_signed_date >= anniversary) and (
        end_date is None or end_date >= anniversary
    )
    basis = ["劳动合同法第八十二条"]
    basis += (
        ["劳动合同法实施条例第七条", "劳动合同法第十四条"]
        if deemed
        else ["劳动合同法实施条例第六条"]
    )
    notes = [
        _(
            "二倍工资差额的仲裁时效（按月分别计算或自期间届满起算）各地做法不同，"
            "请尽早申请并咨询工会。"
        )
    ]
    if deemed:
        notes.append(
            _(
                "用工满一年仍未签书面合同，视为自%(date)s起已订立无固定期限劳动合同；"
                "此后不再按未签合同支付二倍工资。"
            )
            % {"date": anniversary.isoformat()}
        )
    if last < first:
        notes.append(_("用工未超过一个月即已签订书面合同或离职，不产生二倍工资。"))
        return DoubleWage(
            months=ZERO,
            amount=quantize(ZERO),
            deemed_open_ended=deemed,
            legal_basis=tuple(basis),
            period_start=None,
            period_end=None,
            whole_months=0,
            extra_days=0,
            open_ended_from=anniversary if deemed else None,
            notes=tuple(notes),
        )
    whole, days = span(first, last)
    fraction = ZERO
    if days and rule == "prorate":
        month_start = add_months(first, whole)
        month_days = (add_months(first, whole + 1) - month_start).days
        fraction = Decimal(days) / Decimal(month_days)
    months = Decimal(whole) + fraction
    return DoubleWage(
        months=months.quantize(Decimal("0.01")),
        amount=quantize(monthly_wage * months),
        deemed_open_ended=deemed,
        legal_basis=tuple(basis),
        period_start=first,
        period_end=last,
        whole_months=whole,
        extra_days=days,
        open_ended_from=anniversary if deemed else None,
        notes=tuple(notes),
    )


# -- 工伤保险待遇 (工伤保险条例第三十五至三十七条、第三十九条、第六十四条) -------------------------


@dataclass(frozen=True)
class WorkInjury:
    wage_base: Decimal
    wage_adjusted: str | None  # "floor" (60%) or "cap" (300%) of the regional average, art.64
    disability_grade: int | None
    one_time_subsidy_months: int | None
    one_time_disability_subsidy: Decimal | None
    monthly_disability_allowance: Decimal | None
    allowance_percent: int | None
    allowance_payer: str | None  # "fund" (grades 1–4) or "employer" (grades 5–6)
    allowance_topped_up: bool
    funeral_subsidy: Decimal | None
    death_benefit: Decimal | None
    legal_basis: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def lump_sum(self) -> Decimal:
        """The one-off money: the disability subsidy, or the funeral and death grants."""
        parts = (self.one_time_disability_subsidy, self.funeral_subsidy, self.death_benefit)
        return sum((p for p in parts if p is not None), ZERO)

    def as_dict(self) -> dict[str, Any]:
        return {
            "wage_base": money(self.wage_base),
            "wage_adjusted": self.wage_adjusted,
            "disability_grade": self.disability_grade,
            "one_time_subsidy_months": self.one_time_subsidy_months,
            "one_time_disability_subsidy": money(self.one_time_disability_subsidy),
            "monthly_disability_allowance": money(self.monthly_disability_allowance),
            "allowance_percent": self.allowance_percent,
            "allowance_payer": self.allowance_payer,
            "allowance_topped_up": self.allowance_topped_up,
            "funeral_subsidy": money(self.funeral_subsidy),
            "death_benefit": money(self.death_benefit),
            "legal_basis": list(self.legal_basis),
            "notes": list(self.notes),
        }


def injury_wage_base(
    monthly_wage: Decimal, regional_average: Decimal
) -> tuple[Decimal, str | None]:
    """本人工资 within 60%–300% of the regional average (工伤保险条例第六十四条)."""
    floor, cap = WAGE_BASE_FLOOR * regional_average, WAGE_BASE_CAP * regional_average
    if monthly_wage < floor:
        return floor, "floor"
    if monthly_wage > cap:
        return cap, "cap"
    return monthly_wage, None


def work_injury(
    *,
    monthly_wage: Decimal,
    regional_average_monthly_wage: Decimal,
    disability_grade: int | None = None,
    death: bool = False,
    previous_year_national_urban_disposable_income: Decimal | None = None,
    local_minimum_monthly_wage: Decimal | None = None,
) -> WorkInjury:
    _positive("monthly_wage", monthly_wage)
    _positive("regional_average_monthly_wage", regional_average_monthly_wage)
    _positive("local_minimum_monthly_wage", local_minimum_monthly_wage, optional=True)
    if disability_grade is None and not death:
        raise CalculatorError("disability_grade", _("缺少此字段（未因工死亡时必填）。"))
    if disability_grade is not None and disability_grade not in DISABILITY_SUBSIDY_MONTHS:
        raise CalculatorError("disability_grade", _("应为 1 至 10 级。"))
    base, adjusted = injury_wage_base(monthly_wage, regional_average_monthly_wage)
    notes: list[str] = []
    if death:
        late_death = disability_grade is not None and disability_grade <= 4
        income = previous_year_national_urban_disposable_income
        if not late_death:
            _positive("previous_year_national_urban_disposable_income", income)
        basis = ["工伤保险条例第三十九条"]
        notes.append(
            _(
                "供养亲属抚恤金按月发给：配偶40%，其他亲属每人30%，孤寡老人或孤儿另加10%，合计不超过本人工资。"
            )
        )
        if late_death:
            notes.append(
                _(
                    "一级至四级伤残职工在停工留薪期满后死亡的，近亲属领取丧葬补助金和供养亲属抚恤金，"
                    "不领取一次性工亡补助金。"
                )
            )
        return WorkInjury(
            wage_base=quantize(base),
            wage_adjusted=adjusted,
            disability_grade=disability_grade,
            one_time_subsidy_months=None,
            one_time_disability_subsidy=None,
            monthly_disability_allowance=None,
            allowance_percent=None,
            allowance_payer=None,
            allowance_topped_up=False,
            funeral_subsidy=quantize(FUNERAL_MONTHS * regional_average_monthly_wage),
            death_benefit=None if late_death else quantize(DEATH_GRANT_TIMES * income),
            legal_basis=tuple(basis),
            notes=tuple(notes),
        )

    grade = disability_grade
    months = DISABILITY_SUBSIDY_MONTHS[grade]
    if grade <= 4:
        article = "工伤保险条例第三十五条"
    elif grade <= 6:
        article = "工伤保险条例第三十六条"
    else:
        article = "工伤保险条例第三十七条"
    percent = DISABILITY_ALLOWANCE_PERCENT.get(grade)
    allowance = None
    topped_up = False
    if percent is not None:
        allowance = base * percent / 100
        if local_minimum_monthly_wage is not None and allowance < local_minimum_monthly_wage:
            allowance, topped_up = local_minimum_monthly_wage, True
        if grade >= 5:
            notes.append(
                _("五级、六级伤残由用人单位安排适当工作；难以安排工作的，才按月发给伤残津贴。")
            )
    if grade >= 5:
        notes.append(
            _(
                "解除或终止劳动关系时另有一次性工伤医疗补助金和一次性伤残就业补助金，"
                "标准由各省规定，未计入本结果。"
            )
        )
    return WorkInjury(
        wage_base=quantize(base),
        wage_adjusted=adjusted,
        disability_grade=grade,
        one_time_subsidy_months=months,
        one_time_disability_subsidy=quantize(months * base),
        monthly_disability_allowance=None if allowance is None else quantize(allowance),
        allowance_percent=percent,
        allowance_payer=None if percent is None else ("fund" if grade <= 4 else "employer"),
        allowance_topped_up=topped_up,
        funeral_subsidy=None,
        death_benefit=None,
        legal_basis=(article, "工伤保险条例第六十四条"),
        notes=tuple(notes),
    )


# -- 加班费 (劳动法第四十四条) ------------------------------------------------------------------


@dataclass(frozen=True)
class Overtime:
    daily_wage: Decimal
    hourly_wage: Decimal
    workday_amount: Decimal
    rest_day_amount: Decimal
    holiday_amount: Decimal
    amount: Decimal
    legal_basis: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "daily_wage": money(self.daily_wage),
            "hourly_wage": money(self.hourly_wage),
            "workday_amount": money(self.workday_amount),
            "rest_day_amount": money(self.rest_day_amount),
            "holiday_amount": money(self.holiday_amount),
            "amount": money(self.amount),
            "legal_basis": list(self.legal_basis),
            "notes": list(self.notes),
        }


OVERTIME_RATES = {"workday_hours": Decimal("1.5"), "rest_day_hours": 2, "holiday_hours": 3}


def overtime(
    *,
    monthly_wage: Decimal,
    workday_hours: Decimal = ZERO,
    rest_day_hours: Decimal = ZERO,
    holiday_hours: Decimal = ZERO,
) -> Overtime:
    _positive("monthly_wage", monthly_wage)
    hours = {
        "workday_hours": workday_hours,
        "rest_day_hours": rest_day_hours,
        "holiday_hours": holiday_hours,
    }
    for name, value in hours.items():
        _not_negative(name, value)
    hourly = monthly_wage / PAY_DAYS_PER_MONTH / HOURS_PER_DAY
    parts = {name: hourly * value * OVERTIME_RATES[name] for name, value in hours.items()}
    notes = []
    if workday_hours > 36:
        notes.append(
            _("劳动法第四十一条规定延长工作时间每月不得超过36小时；超时加班本身也可以向工会反映。")
        )
    return Overtime(
        daily_wage=quantize(monthly_wage / PAY_DAYS_PER_MONTH),
        hourly_wage=quantize(hourly),
        workday_amount=quantize(parts["workday_hours"]),
        rest_day_amount=quantize(parts["rest_day_hours"]),
        holiday_amount=quantize(parts["holiday_hours"]),
        amount=quantize(sum(parts.values(), ZERO)),
        legal_basis=("劳动法第四十四条", "劳社部发〔2008〕3号"),
        notes=tuple(notes),
    )


# -- 未休年休假工资 (职工带薪年休假条例第三、五条；实施办法第十至十二条) ---------------------------


@dataclass(frozen=True)
class AnnualLeave:
    entitled_days: int
    unused_days: int
    daily_wage: Decimal
    amount: Decimal  # the extra 200% still owed
    total_pay: Decimal  # the full 300%, normal pay included
    legal_basis: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "entitled_days": self.entitled_days,
            "unused_days": self.unused_days,
            "daily_wage": money(self.daily_wage),
            "amount": money(self.amount),
            "total_pay": money(self.total_pay),
            "legal_basis": list(self.legal_basis),
            "notes": list(self.notes),
        }


def annual_leave_entitlement(cumulative_work_years: Decimal | int) -> int:
    """职工带薪年休假条例第三条: <1 year none; 1–<10: 5 days; 10–<20: 10; ≥20: 15."""
    years = Decimal(cumulative_work_years)
    if years < 1:
        return 0
    if years < 10:
        return 5
    if years < 20:
        return 10
    return 15


def annual_leave(
    *, monthly_wage: Decimal, cumulative_work_years: Decimal | int, unused_days: int
) -> AnnualLeave:
    _positive("monthly_wage", monthly_wage)
    _not_negative("cumulative_work_years", cumulative_work_years)
    _not_negative("unused_days", unused_days)
    entitled = annual_leave_entitlement(cumulative_work_years)
    if unused_days > entitled:
        if entitled == 0:
            message = _("累计工作未满1年，不享受年休假，未休天数应为 0。")
        else:
            message = _("未休天数不能超过当年应休天数（%(days)d天）；跨年度的请分年度计算。") % {
                "days": entitled
            }
        raise CalculatorError("unused_days", message)
    daily = monthly_wage / PAY_DAYS_PER_MONTH
    return AnnualLeave(
        entitled_days=entitled,
        unused_days=unused_days,
        daily_wage=quantize(daily),
        amount=quantize(daily * unused_days * 2),
        total_pay=quantize(daily * unused_days * 3),
        legal_basis=(
            "职工带薪年休假条例第三条",
            "职工带薪年休假条例第五条",
            "企业职工带薪年休假实施办法第十条",
            "企业职工带薪年休假实施办法第十一条",
        ),
        notes=(
            _("职工因本人原因书面提出不休年休假的，单位可以只支付正常工作期间的工资。"),
            _("日工资按前12个月剔除加班工资后的月平均工资除以21.75计算。"),
        ),
    )


def annual_leave_on_leaving(
    *,
    entitled_days: int,
    leaving_date: datetime.date,
    taken_days: int = 0,
    count_last_day: bool | None = None,
) -> int:
    """Unused leave owed on leaving (实施办法第十二条): (calendar days elapsed this year ÷ 365) ×
    the year's entitlement − days taken; part days are not paid, and never below zero."""
    if count_last_day is None:
        count_last_day = getattr(settings, "RIGHTS_ANNUAL_LEAVE_COUNT_LAST_DAY", True)
    elapsed = (leaving_date - datetime.date(leaving_date.year, 1, 1)).days + int(count_last_day)
    owed = Decimal(elapsed) / Decimal(365) * entitled_days - taken_days
    return max(int(owed), 0)  # int() truncates: fractions of a day are not paid


# -- 加付赔偿金 (劳动合同法第八十五条) ------------------------------------------------------------


@dataclass(frozen=True)
class UnpaidWageSurcharge:
    amount_owed: Decimal
    min: Decimal
    max: Decimal
    legal_basis: tuple[str, ...] = ("劳动合同法第八十五条",)
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount_owed": money(self.amount_owed),
            "min": money(self.min),
            "max": money(self.max),
            "legal_basis": list(self.legal_basis),
            "notes": list(self.notes),
        }


def unpaid_wage_surcharge(*, amount_owed: Decimal) -> UnpaidWageSurcharge:
    _positive("amount_owed", amount_owed)
    return UnpaidWageSurcharge(
        amount_owed=quantize(amount_owed),
        min=quantize(amount_owed * Decimal("0.5")),
        max=quantize(amount_owed),
        notes=(
            _(
                "加付赔偿金由劳动行政部门责令用人单位限期支付而逾期仍不支付时决定；"
                "能否在仲裁中直接主张，各地做法不同。"
            ),
        ),
    )


CALCULATORS = {
    "economic-compensation": economic_compensation,
    "double-wage": double_wage,
    "work-injury": work_injury,
    "overtime": overtime,
    "annual-leave": annual_leave,
    "unpaid-wage-surcharge": unpaid_wage_surcharge,
}
