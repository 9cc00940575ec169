"""Statutory periods (法定期间) of labour disputes: the rule registry and the counting engine.

Counting, as the law counts (docs/deadlines.md has the details):
- the day of the event is not counted; counting starts the next day (民法典第二百零一条,
  民事诉讼法第八十五条第二款, 民诉法解释第一百二十五条);
- a period of N days ends on start + N days;
- a period of months or years ends on the corresponding day of the final month, or on that month's
  last day when it has no such day (民法典第二百零二条);
- a period of N working days (工作日) ends on the N-th working day after the start;
- a last day that is a statutory rest day (法定休假日: holidays and weekends) moves to the first
  working day after it (民法典第二百零三条, 民事诉讼法第八十五条第三款); official make-up working
  days (调休上班日) are working days unless settings.DEADLINE_MAKEUP_DAYS_ARE_WORKING_DAYS is False.

Interruption (中断) and suspension (中止) apply only to rules with `limitation` set: the arbitration
limitation (劳动争议调解仲裁法第二十七条) pauses for the suspension span; the enforcement period
(民事诉讼法第二百五十条) follows the civil-code rule (民法典第一百九十四条, 第一百九十五条).
All functions here are pure apart from reading the calendar.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from niangjia.core import calendar as statutory_calendar

# Limitation kinds: how interruption and suspension act on a rule.
PAUSE = "pause"  # 调解仲裁法第二十七条: suspension pauses the clock, counting resumes afterwards
CIVIL = "civil"  # 民法典第一百九十四条: suspension only in the last 6 months; ends 6 months later


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    legal_basis: str
    days: int | None = None
    months: int | None = None
    workdays: int | None = None
    start_event: str = ""  # what day 0 is (not counted)
    notes: str = ""
    stage: str = ""  # the case stage that opens this deadline (intake/mediation/arbitration/…)
    limitation: str = ""  # PAUSE / CIVIL when interruption and suspension apply, else ""

    @property
    def unit(self) -> str:
        return "days" if self.days is not None else "months" if self.months else "workdays"

    @property
    def length(self) -> int:
        return self.days if self.days is not None else self.months or self.workdays or 0


def _r(**kw) -> Rule:
    return Rule(**kw)


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        _r(
            id="mediation",
            name="劳动争议调解期限",
            days=15,
            legal_basis="劳动争议调解仲裁法第十四条第三款",
            start_event="调解组织收到调解申请之日",
            notes="期满未达成调解协议的，当事人可以依法申请仲裁。",
            stage="mediation",
        ),
        _r(
            id="judicial_confirmation",
            name="调解协议申请司法确认期限",
            days=30,
            legal_basis="人民调解法第三十三条；民事诉讼法第二百零五条",
            start_event="调解协议生效之日",
            notes="双方当事人共同向人民法院申请。",
            stage="mediation",
        ),
        _r(
            id="arbitration_limitation",
            name="劳动争议仲裁时效",
            months=12,
            legal_basis="劳动争议调解仲裁法第二十七条",
            start_event="当事人知道或者应当知道其权利被侵害之日",
            notes="可因主张权利、请求救济或对方同意履行而中断（重新计算），"
            "因不可抗力或其他正当理由中止（原因消除后继续计算）。",
            stage="intake",
            limitation=PAUSE,
        ),
        _r(
            id="arbitration_limitation_wage_arrears",
            name="拖欠劳动报酬仲裁时效（劳动关系终止后）",
            months=12,
            legal_basis="劳动争议调解仲裁法第二十七条第四款",
            start_event="劳动关系终止之日",
            notes="劳动关系存续期间因拖欠劳动报酬发生争议的，申请仲裁不受一年时效限制；"
            "劳动关系终止的，应当自终止之日起一年内提出。",
            stage="intake",
            limitation=PAUSE,
        ),
        _r(
            id="arbitration_acceptance",
            name="仲裁委受理审查期限",
            days=5,
            legal_basis="劳动争议调解仲裁法第二十九条",
            start_event="仲裁委员会收到仲裁申请之日",
            notes="不予受理或逾期未作决定的，申请人可以就该劳动争议事项向人民法院提起诉讼。",
            stage="arbitration",
        ),
        _r(
            id="arbitration_service_of_application",
            name="仲裁申请书副本送达期限",
            days=5,
            legal_basis="劳动争议调解仲裁法第三十条第一款",
            start_event="仲裁委员会受理仲裁申请之日",
            stage="arbitration",
        ),
        _r(
            id="arbitration_defence",
            name="被申请人答辩期限",
            days=10,
            legal_basis="劳动争议调解仲裁法第三十条第二款",
            start_event="被申请人收到仲裁申请书副本之日",
            notes="未提交答辩书的，不影响仲裁程序的进行。",
            stage="arbitration",
        ),
        _r(
            id="arbitration_service_of_defence",
            name="答辩书副本送达期限",
            days=5,
            legal_basis="劳动争议调解仲裁法第三十条第二款",
            start_event="仲裁委员会收到答辩书之日",
            stage="arbitration",
        ),
        _r(
            id="arbitration_tribunal_notice",
            name="仲裁庭组成通知期限",
            days=5,
            legal_basis="劳动争议调解仲裁法第三十二条",
            start_event="仲裁委员会受理仲裁申请之日",
            stage="arbitration",
        ),
        _r(
            id="arbitration_award",
            name="仲裁裁决期限",
            days=45,
            legal_basis="劳动争议调解仲裁法第四十三条",
            start_event="仲裁委员会受理仲裁申请之日",
            notes="案情复杂的，经仲裁委员会主任批准可延期，延长不超过十五日"
            "（见 arbitration_award_extended）；逾期未裁决的，当事人可以向人民法院起诉。",
            stage="arbitration",
        ),
        _r(
            id="arbitration_award_extended",
            name="仲裁裁决期限（经批准延期）",
            days=60,
            legal_basis="劳动争议调解仲裁法第四十三条",
            start_event="仲裁委员会受理仲裁申请之日",
            notes="四十五日加最长十五日延期，自受理之日起连续计算。",
            stage="arbitration",
        ),
        _r(
            id="suit_after_final_award",
            name="劳动者对终局裁决起诉期限",
            days=15,
            legal_basis="劳动争议调解仲裁法第四十八条",
            start_event="劳动者收到仲裁裁决书之日",
            stage="arbitration",
        ),
        _r(
            id="set_aside_final_award",
            name="用人单位申请撤销终局裁决期限",
            days=30,
            legal_basis="劳动争议调解仲裁法第四十九条第一款",
            start_event="用人单位收到仲裁裁决书之日",
            notes="向仲裁委员会所在地的中级人民法院申请。",
            stage="arbitration",
        ),
        _r(
            id="suit_after_award_set_aside",
            name="终局裁决被撤销后起诉期限",
            days=15,
            legal_basis="劳动争议调解仲裁法第四十九条第三款",
            start_event="当事人收到撤销裁决的裁定书之日",
            stage="litigation",
        ),
        _r(
            id="suit_after_award",
            name="对非终局裁决起诉期限",
            days=15,
            legal_basis="劳动争议调解仲裁法第五十条",
            start_event="当事人收到仲裁裁决书之日",
            notes="期满不起诉的，裁决书发生法律效力。",
            stage="arbitration",
        ),
        _r(
            id="payment_order_issue",
            name="法院发出支付令期限",
            days=15,
            legal_basis="民事诉讼法第二百二十七条第一款；劳动争议调解仲裁法第十六条",
            start_event="人民法院受理支付令申请之日",
            stage="mediation",
        ),
        _r(
            id="payment_order_objection",
            name="支付令清偿或异议期限",
            days=15,
            legal_basis="民事诉讼法第二百二十七条第二款",
            start_event="债务人收到支付令之日",
            stage="mediation",
        ),
        _r(
            id="appeal_judgment",
            name="一审判决上诉期限",
            days=15,
            legal_basis="民事诉讼法第一百七十一条第一款",
            start_event="判决书送达之日",
            stage="litigation",
        ),
        _r(
            id="appeal_ruling",
            name="一审裁定上诉期限",
            days=10,
            legal_basis="民事诉讼法第一百七十一条第二款",
            start_event="裁定书送达之日",
            stage="litigation",
        ),
        _r(
            id="trial_ordinary",
            name="一审普通程序审限",
            months=6,
            legal_basis="民事诉讼法第一百五十二条",
            start_event="立案之日",
            notes="经院长批准可延长六个月。",
            stage="litigation",
        ),
        _r(
            id="trial_simplified",
            name="一审简易程序审限",
            months=3,
            legal_basis="民事诉讼法第一百六十四条",
            start_event="立案之日",
            notes="经院长批准可延长一个月。",
            stage="litigation",
        ),
        _r(
            id="trial_second_instance",
            name="二审（判决上诉）审限",
            months=3,
            legal_basis="民事诉讼法第一百八十三条第一款",
            start_event="第二审立案之日",
            stage="litigation",
        ),
        _r(
            id="enforcement_application",
            name="申请强制执行期限",
            months=24,
            legal_basis="民事诉讼法第二百五十条；劳动争议调解仲裁法第五十一条",
            start_event="法律文书规定履行期间的最后一日（分期履行的为最后一期届满之日；"
            "未规定履行期间的为生效之日）",
            notes="中止、中断适用诉讼时效的规定（民法典第一百九十四条、第一百九十五条）。",
            stage="enforcement",
            limitation=CIVIL,
        ),
        _r(
            id="delay_extension_request",
            name="耽误期限后申请顺延期限",
            days=10,
            legal_basis="民事诉讼法第八十六条",
            start_event="障碍消除之日",
            notes="是否准许由人民法院决定。",
            stage="litigation",
        ),
        _r(
            id="work_injury_employer",
            name="用人单位申请工伤认定期限",
            days=30,
            legal_basis="工伤保险条例第十七条第一款",
            start_event="事故伤害发生之日或被诊断、鉴定为职业病之日",
            notes="遇有特殊情况，经社会保险行政部门同意可以适当延长；"
            "逾期未申请的，期间发生的工伤待遇等费用由用人单位负担。",
            stage="intake",
        ),
        _r(
            id="work_injury_worker",
            name="职工或工会申请工伤认定期限",
            months=12,
            legal_basis="工伤保险条例第十七条第二款",
            start_event="事故伤害发生之日或被诊断、鉴定为职业病之日",
            notes="用人单位未按期申请的，工伤职工或其近亲属、工会组织可以直接申请。",
            stage="intake",
        ),
        _r(
            id="labor_inspection_complaint",
            name="劳动保障监察查处时限（投诉举报）",
            months=24,
            legal_basis="劳动保障监察条例第二十条",
            start_event="违法行为发生之日；有连续或者继续状态的，为行为终了之日",
            notes="两年内未被发现、举报、投诉的，劳动保障行政部门不再查处；仍可申请仲裁。",
            stage="intake",
        ),
        _r(
            id="labor_inspection_investigation",
            name="劳动保障监察调查期限",
            workdays=60,
            legal_basis="劳动保障监察条例第十七条",
            start_event="立案之日",
            notes="按工作日计算；情况复杂的经负责人批准可延长三十个工作日"
            "（见 labor_inspection_investigation_extended）。",
            stage="intake",
        ),
        _r(
            id="labor_inspection_investigation_extended",
            name="劳动保障监察调查期限（经批准延长）",
            workdays=90,
            legal_basis="劳动保障监察条例第十七条",
            start_event="立案之日",
            notes="六十个工作日加最长三十个工作日。",
            stage="intake",
        ),
    ]
}


class UnknownRule(KeyError):
    pass


def get_rule(rule: Rule | str) -> Rule:
    if isinstance(rule, Rule):
        return rule
    try:
        return RULES[rule]
    except KeyError:
        raise UnknownRule(rule) from None


# --- the counting engine --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineResult:
    rule: Rule
    start: datetime.date  # the event date given (day 0)
    due: datetime.date  # the last day on which the act is in time
    days: int | None
    months: int | None
    workdays: int | None
    moved_for_holiday: bool  # the nominal last day was a rest day and `due` is later
    calendar_complete: bool  # False: some year involved is counted with weekends only
    legal_basis: str
    nominal_due: datetime.date  # the last day before moving for rest days
    counted_from: datetime.date  # day 0 after interruptions (== start when none)

    def as_dict(self) -> dict:
        """The public API's shape."""
        out: dict = {"rule": self.rule.id, "start": self.start.isoformat()}
        out["due"] = self.due.isoformat()
        out[self.rule.unit] = self.rule.length
        out["moved_for_holiday"] = self.moved_for_holiday
        out["calendar_complete"] = self.calendar_complete
        out["legal_basis"] = self.legal_basis
        return out


def add_months(d: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later (or earlier), or that month's last day
    (民法典第二百零二条)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return datetime.date(year, month, min(d.day, _stdlib_calendar.monthrange(year, month)[1]))


def _makeup_days_count() -> bool:
    return getattr(settings, "DEADLINE_MAKEUP_DAYS_ARE_WORKING_DAYS", True)


def is_deadline_working_day(d: datetime.date) -> bool:
    """A working day for counting periods: the official calendar, with the provincial-practice
    switch for make-up working days (调休上班日)."""
    info = statutory_calendar.day_info(d)
    if info.kind == "makeup" and not _makeup_days_count():
        return False
    return info.working


def roll_to_working_day(d: datetime.date) -> datetime.date:
    """`d` itself if it is a working day, else the first working day after it."""
    while not is_deadline_working_day(d):
        d += datetime.timedelta(days=1)
    return d


def nominal_last_day(rule: Rule | str, start: datetime.date) -> datetime.date:
    """The last day of the period before moving off rest days."""
    rule = get_rule(rule)
    if rule.days is not None:
        return start + datetime.timedelta(days=rule.days)
    if rule.months is not None:
        return add_months(start, rule.months)
    day, counted = start, 0
    while counted < (rule.workdays or 0):
        day += datetime.timedelta(days=1)
        if is_deadline_working_day(day):
            counted += 1
    return day


@dataclass(frozen=True)
class Interruption:
    """中断: a claim against the other side, a request for relief to an authority, or the other
    side agreeing to perform. The period restarts from this day."""

    on: datetime.date


@dataclass(frozen=True)
class Suspension:
    """中止: force majeure or another just cause, from the day it arose to the day it ended."""

    start: datetime.date
    end: datetime.date


class DeadlineError(ValueError):
    """An event that cannot apply to this rule or at this date; the message is Chinese."""


def _require_limitation(rule: Rule, what: str) -> None:
    if not rule.limitation:
        raise DeadlineError(f"“{rule.name}”不是时效期间，不适用{what}。")


def apply_interruption(
    rule: Rule | str,
    start: datetime.date,
    interrupted_on: datetime.date,
    *,
    due: datetime.date | None = None,
) -> datetime.date:
    """The new day 0 after an interruption on `interrupted_on`: the whole period runs again from
    it (调解仲裁法第二十七条第二款; 民法典第一百九十五条). `due` is the current last day (computed
    from `start` when omitted); an interruption after it cannot revive an expired period."""
    rule = get_rule(rule)
    _require_limitation(rule, "中断")
    if interrupted_on < start:
        raise DeadlineError("中断日期不能早于起算日期。")
    if due is None:
        due = roll_to_working_day(nominal_last_day(rule, start))
    if interrupted_on > due:
        raise DeadlineError(f"时效已于 {due.isoformat()} 届满，届满后不发生中断。")
    return interrupted_on


def apply_suspension(
    rule: Rule | str,
    start: datetime.date,
    suspended_from: datetime.date,
    suspended_until: datetime.date,
    *,
    last_day: datetime.date | None = None,
) -> datetime.date:
    """The new nominal last day (before moving off rest days) after a suspension from
    `suspended_from` (the cause arose) to `suspended_until` (the cause ended).

    - arbitration limitation (调解仲裁法第二十七条第三款): counting pauses and resumes after the
      cause ends, so the last day moves by the days of the suspension, both ends included;
    - enforcement (民事诉讼法第二百五十条 → 民法典第一百九十四条): only a cause arising in the last
      six months suspends; the period then ends six months after the cause ended.
    `last_day` is the current nominal last day (computed from `start` when omitted)."""
    rule = get_rule(rule)
    _require_limitation(rule, "中止")
    if suspended_until < suspended_from:
        raise DeadlineError("中止结束日期不能早于中止开始日期。")
    if suspended_from < start:
        raise DeadlineError("中止开始日期不能早于起算日期。")
    if last_day is None:
        last_day = nominal_last_day(rule, start)
    if suspended_from > roll_to_working_day(last_day):
        raise DeadlineError("时效届满后不发生中止。")
    if rule.limitation == PAUSE:
        return last_day + datetime.timedelta(days=(suspended_until - suspended_from).days + 1)
    if suspended_from <= add_months(last_day, -6):
        return last_day  # not within the last six months: no effect (民法典第一百九十四条)
    return max(last_day, add_months(suspended_until, 6))


def _event_day(event: Interruption | Suspension) -> datetime.date:
    return event.on if isinstance(event, Interruption) else event.start


def compute_due(
    rule_id: Rule | str,
    start: datetime.date,
    *,
    events: Iterable[Interruption | Suspension] = (),
) -> DeadlineResult:
    """The last day of `rule_id`'s period counted from event day `start`, after applying any
    interruptions and suspensions in date order. Raises UnknownRule or DeadlineError."""
    rule = get_rule(rule_id)
    counted_from = start
    last = nominal_last_day(rule, start)
    for event in sorted(events, key=_event_day):
        if isinstance(event, Interruption):
            counted_from = apply_interruption(
                rule, counted_from, event.on, due=roll_to_working_day(last)
            )
            last = nominal_last_day(rule, counted_from)
        else:
            last = apply_suspension(rule, counted_from, event.start, event.end, last_day=last)
    due = roll_to_working_day(last)
    # the years whose schedule decided the answer: every counted day for working-day periods,
    # otherwise the nominal last day and any rest days it moved across
    first = counted_from + datetime.timedelta(days=1) if rule.workdays else last
    years = range(min(first.year, due.year), due.year + 1)
    return DeadlineResult(
        rule=rule,
        start=start,
        due=due,
        days=rule.days,
        months=rule.months,
        workdays=rule.workdays,
        moved_for_holiday=due != last,
        calendar_complete=all(statutory_calendar.calendar_complete(y) for y in years),
        legal_basis=rule.legal_basis,
        nominal_due=last,
        counted_from=counted_from,
    )


def limitation_rule_for(
    *, wage_arrears: bool, employment_ended: datetime.date | None
) -> str | None:
    """Which arbitration-limitation rule applies to a claim (调解仲裁法第二十七条).

    Wage arrears while the employment subsists: no limitation (None). Wage arrears after it
    ended: one year from the end date (start = employment_ended). Anything else: one year from
    when the worker knew or should have known of the infringement."""
    if wage_arrears:
        return None if employment_ended is None else "arbitration_limitation_wage_arrears"
    return "arbitration_limitation"
