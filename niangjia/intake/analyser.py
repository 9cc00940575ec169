"""The intake assistant: reads a complaint's free Chinese text and suggests what an operator would
type into the case form, each suggestion with the words that led to it.

    from niangjia.intake.analyser import analyse
    result = analyse("包工头欠我们12个农民工十四万元工资，春节前再不给就去堵门")
    result.category        # "wages"
    result.amounts         # ["140000.00"]
    result.explanations["amounts"]  # [{"value": "140000.00", "because": "十四万元", "rule": …}]

Deterministic and rule-based: the rules are a table in `rules.py`, each with a name, the field it
feeds and a one-line description, and each explanation cites its rule by name. No machine
learning, no network, no database: the hotline desk and the benchmark call `analyse()` directly.
Rules of one field are read top to bottom; when two of them match the same characters, the
earlier rule wins.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from niangjia.intake.numerals import normalize, parse_number
from niangjia.intake.rules import (
    AMOUNT_RULES,
    CATEGORIES,
    CATEGORY_FALLBACK,
    CATEGORY_PRIORITY,
    CATEGORY_RULES,
    DATE_RULES,
    EMPLOYER_BOUNDARY,
    EMPLOYER_GENERIC,
    EMPLOYER_RULE,
    EMPLOYER_SUFFIXES,
    FIELDS,
    GROUP_COUNT_RULE,
    GROUP_SIZE,
    MAX_CHARS,
    MONTHLY_WAGE,
    MONTHS_OF_WAGE,
    MONTHS_X_WAGE,
    NOT_EMPLOYER,
    PLATFORM_RULE,
    PLURAL,
    RULES,
    SIGNAL_RULES,
    SIGNALS,
    SPRING_FESTIVAL,
    SPRING_FESTIVAL_WINDOW,
    SPRING_WORDS,
    URGENCY_DEFAULT,
    URGENCY_HIGH,
    URGENT_SIGNALS,
    VERSION,
    WORKER_RULES,
    Rule,
)

# what other modules take from here (the rest of the table stays in rules.py)
__all__ = [
    "CATEGORIES",
    "FIELDS",
    "MAX_CHARS",
    "RULES",
    "SIGNALS",
    "SPRING_FESTIVAL",
    "VERSION",
    "Analysis",
    "analyse",
    "spring_festival_near",
    "today_in_shanghai",
]
SHANGHAI = ZoneInfo("Asia/Shanghai")
INDEFINITE = {"一家", "一个", "这家", "那家", "这个", "那个"}


# --- the result ---------------------------------------------------------------------------------
@dataclass
class Analysis:
    category: str
    amounts: list[str]
    workers_count: int | None
    employer: str | None
    dates: list[str]
    urgency: str
    signals: list[str]
    explanations: dict[str, list[dict]] = field(default_factory=dict)
    version: str = VERSION

    def suggestions(self) -> dict:
        """The suggested values, exactly the API's fields."""
        return {name: getattr(self, name) for name in FIELDS}

    def as_dict(self) -> dict:
        return {**self.suggestions(), "explanations": self.explanations}


class _Spans:
    """Characters already used by a rule of one field, so a later rule does not read them again."""

    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))


def _because(text: str, m: re.Match, rule: Rule, value, **extra) -> dict:
    return {
        "value": value,
        "because": text[m.start() : m.end()],
        "rule": rule.name,
        "start": m.start(),
        "end": m.end(),
        **extra,
    }


def _words(explanation: dict) -> dict:
    """Where another suggestion's words sit, to cite them again (without its own details)."""
    return {k: explanation[k] for k in ("because", "start", "end") if k in explanation}


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


# --- amounts ------------------------------------------------------------------------------------
def _amounts(text: str, norm: str) -> tuple[list[str], list[dict]]:
    spans = _Spans()
    found: list[tuple[int, str, dict]] = []
    for rule in AMOUNT_RULES:
        for m in rule.pattern.finditer(norm):
            start, end = m.span()
            if not spans.free(start, end):
                continue
            if rule.name == "amount.wan" and "万" not in m.group("num"):
                continue
            value = parse_number(m.group("num"))
            if value is not None and rule.name == "amount.wan_approx":
                value *= 10_000
            if value is None or value < 10:  # "一块钱都没给" is a figure of speech
                continue
            if rule.name != "amount.yuan" and value >= 100_000_000:  # a phone number
                continue
            spans.take(start, end)
            extra = {"approximate": True} if m.group("approx") else {}
            found.append((start, _money(value), _because(text, m, rule, _money(value), **extra)))
    found.sort(key=lambda f: f[0])
    amounts: list[str] = []
    explanations: list[dict] = []
    for _start, value, explanation in found:
        if value not in amounts:
            amounts.append(value)
            explanations.append(explanation)
    return amounts, explanations


def _months_of_wage(text: str, norm: str) -> tuple[int | None, dict | None]:
    m = MONTHS_OF_WAGE.pattern.search(norm)
    if m is None:
        return None, None
    raw = m.group("num1") or m.group("num2") or m.group("num3")
    unit = m.group("unit1") or m.group("unit2") or m.group("unit3")
    count = Decimal("0.5") if raw == "半" else parse_number(raw)
    if count is None or count <= 0 or count > 120:
        return None, None
    months = int(count * 12) if unit == "年" else int(count)
    if months <= 0:
        return None, None
    return months, _because(text, m, MONTHS_OF_WAGE, "months_of_wage", months=months)


def _monthly_wage(text: str, norm: str) -> tuple[Decimal | None, dict | None]:
    for m in MONTHLY_WAGE.pattern.finditer(norm):
        value = parse_number(m.group("num"))
        if value is not None and 100 <= value <= 200_000:
            return value, _because(text, m, MONTHLY_WAGE, _money(value))
    return None, None


# --- workers ------------------------------------------------------------------------------------
def _workers(text: str, norm: str) -> tuple[int | None, list[dict]]:
    best: tuple[int, dict] | None = None
    spans = _Spans()
    for rule in WORKER_RULES[:2]:
        for m in rule.pattern.finditer(norm):
            if not spans.free(*m.span()):
                continue
            value = parse_number(m.group("num"))
            if value is None or value != int(value) or not 1 <= value <= 100_000:
                continue
            spans.take(*m.span())
            if rule.name == "workers.count" and value < 2:  # "一个人大概五千": per head
                continue
            count = int(value) + (1 if rule.name == "workers.me_and" else 0)
            extra = {"approximate": True} if m.group("approx") else {}
            explanation = _because(text, m, rule, count, **extra)
            if best is None or count > best[0]:
                best = (count, explanation)
    if best is not None:
        return best[0], [best[1]]
    single = WORKER_RULES[2]
    if PLURAL.search(norm) is None and SIGNAL_RULES[4].pattern.search(norm) is None:
        m = single.pattern.search(norm)
        if m is not None:
            return 1, [_because(text, m, single, 1)]
        return 1, [{"value": 1, "because": "", "rule": single.name, "start": 0, "end": 0}]
    return None, []


# --- employer -----------------------------------------------------------------------------------
def _employer_candidates(text: str, norm: str) -> Iterator[tuple[int, int, int, dict]]:
    for m in EMPLOYER_RULE.pattern.finditer(norm):
        start, end = m.span()
        window_start = max(0, start - 40)
        window = norm[window_start:start]
        cut, last = 0, ""
        for b in EMPLOYER_BOUNDARY.finditer(window):
            cut, last = b.end(), b.group()
        if last in INDEFINITE:  # "一家奶茶店", "这个工地": a place, not a name
            continue
        name_start = window_start + cut
        prefix = norm[name_start:start]
        # leading filler the boundary list leaves: "一家", digits of a count
        if len(prefix) < 2 or EMPLOYER_GENERIC.fullmatch(prefix):
            continue
        name = text[name_start:end]
        if NOT_EMPLOYER.search(name):
            continue
        strength = EMPLOYER_SUFFIXES[m.group()]
        yield (
            name_start,
            end,
            strength,
            {
                "value": name,
                "because": name,
                "rule": EMPLOYER_RULE.name,
                "start": name_start,
                "end": end,
            },
        )


def _employer(text: str, norm: str) -> tuple[str | None, list[dict]]:
    candidates = list(_employer_candidates(text, norm))
    # the longest span wins among names that share a start ("…有限公司第三项目部" over
    # "…有限公司"), unless what it adds is only a bare suffix ("…公司工地": the company's site)
    merged: dict[int, tuple[int, int, int, dict]] = {}
    for cand in candidates:
        start, end, strength, explanation = cand
        kept = merged.get(start)
        if kept is None:
            merged[start] = cand
            continue
        tail = norm[kept[1] : end]
        if tail not in EMPLOYER_SUFFIXES:
            merged[start] = (start, end, max(strength, kept[2]), explanation)
    if merged:
        best = sorted(merged.values(), key=lambda c: (-c[2], c[0]))[0]
        return best[3]["value"], [best[3]]
    m = PLATFORM_RULE.pattern.search(norm)
    if m is not None:
        return m.group(), [_because(text, m, PLATFORM_RULE, m.group())]
    return None, []


# --- dates --------------------------------------------------------------------------------------
def _int(raw: str) -> int | None:
    value = parse_number(raw)
    return int(value) if value is not None and value == int(value) else None


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        datetime.date(y, m, d or 1)
    except ValueError:
        return False
    return 1990 <= y <= 2100


def _past_year(month: int, day: int | None, today: datetime.date) -> int:
    """A date written without its year is the most recent one not more than a month ahead
    (complaints tell what happened; "3月15日前付清" a few weeks ahead is still this year)."""
    try:
        candidate = datetime.date(today.year, month, day or 1)
    except ValueError:
        return today.year
    return today.year if candidate <= today + datetime.timedelta(days=31) else today.year - 1


def spring_festival_near(today: datetime.date) -> datetime.date:
    """The Spring Festival (正月初一) a complaint on `today` means by "春节前": this winter's, or
    the one just past if it was at most 30 days ago. Outside the table: 1 February, approximate."""
    for year in (today.year, today.year + 1):
        sf = SPRING_FESTIVAL.get(year, datetime.date(year, 2, 1))
        if sf >= today - datetime.timedelta(days=30):
            return sf
    return datetime.date(today.year + 1, 2, 1)


def _iso(y: int, m: int, d: int | None) -> str:
    return f"{y:04d}-{m:02d}" if d is None else f"{y:04d}-{m:02d}-{d:02d}"


def _date_value(rule: Rule, m: re.Match, today: datetime.date) -> str | None:
    g = m.groupdict()
    if rule.name in ("date.ymd", "date.numeric", "date.ym"):
        y, mo = _int(g["y"]), _int(g["m"])
        d = _int(g["d"]) if g.get("d") else None
        return _iso(y, mo, d) if y and mo and _valid(y, mo, d) else None
    if rule.name == "date.relative_year":
        y = today.year + {"今年": 0, "去年": -1, "前年": -2, "明年": 1}[g["rel"]]
        if g["end"]:
            return _iso(y, 12, None)
        mo = _int(g["m"])
        d = _int(g["d"]) if g["d"] else None
        return _iso(y, mo, d) if mo and _valid(y, mo, d) else None
    if rule.name in ("date.md", "date.m"):
        mo = _int(g["m"])
        d = _int(g["d"]) if g.get("d") else None
        if not mo:
            return None
        y = _past_year(mo, d, today)
        return _iso(y, mo, d) if _valid(y, mo, d) else None
    if rule.name == "date.relative":
        word = g["word"]
        if word in ("昨天", "前天"):
            day = today - datetime.timedelta(days=1 if word == "昨天" else 2)
            return day.isoformat()
        if word in ("上个月", "上月"):
            first = today.replace(day=1) - datetime.timedelta(days=1)
            return _iso(first.year, first.month, None)
        return _iso(today.year, today.month, None)
    if rule.name == "date.spring_festival":
        return spring_festival_near(today).isoformat()
    return None


def _dates(text: str, norm: str, today: datetime.date) -> tuple[list[str], list[dict]]:
    spans = _Spans()
    found: list[tuple[int, str, dict]] = []
    for rule in DATE_RULES:
        for m in rule.pattern.finditer(norm):
            if not spans.free(*m.span()):
                continue
            value = _date_value(rule, m, today)
            if value is None:
                continue
            spans.take(*m.span())
            found.append((m.start(), value, _because(text, m, rule, value)))
    found.sort(key=lambda f: f[0])
    dates: list[str] = []
    explanations: list[dict] = []
    for _start, value, explanation in found:
        if value not in dates:
            dates.append(value)
            explanations.append(explanation)
    return dates, explanations


# --- category -----------------------------------------------------------------------------------
def _category(text: str, norm: str) -> tuple[str, list[dict]]:
    scores: dict[str, int] = {}
    hits: dict[str, list[dict]] = {}
    first: dict[str, int] = {}
    for rule in CATEGORY_RULES:
        m = rule.pattern.search(norm)  # each rule counts once, however often its words recur
        if m is None:
            continue
        scores[rule.value] = scores.get(rule.value, 0) + rule.weight
        first[rule.value] = min(first.get(rule.value, m.start()), m.start())
        hits.setdefault(rule.value, []).append(
            _because(text, m, rule, rule.value, weight=rule.weight)
        )
    if not scores:
        return "other", [
            {"value": "other", "because": "", "rule": CATEGORY_FALLBACK.name, "start": 0, "end": 0}
        ]
    best = max(scores, key=lambda c: (scores[c], -CATEGORY_PRIORITY.index(c)))
    return best, hits[best]


# --- signals and urgency ------------------------------------------------------------------------
def _signals(
    text: str,
    norm: str,
    today: datetime.date,
    category: str,
    workers_count: int | None,
    workers_explained: list[dict],
    months_explained: dict | None,
) -> tuple[list[str], list[dict]]:
    signals: list[str] = []
    explanations: list[dict] = []

    def add(code: str, explanation: dict) -> None:
        if code not in signals:
            signals.append(code)
            explanations.append(explanation)

    for rule in SIGNAL_RULES:
        m = rule.pattern.search(norm)
        if m is None:
            continue
        extra = {}
        if rule.value == "disability":
            grade = _int(m.group("num") or m.group("num2") or m.group("num3"))
            if grade is None or not 1 <= grade <= 10:
                continue
            extra["grade"] = grade
        add(rule.value, _because(text, m, rule, rule.value, **extra))
        if rule.value in ("disability", "death"):
            add("injury", _because(text, m, rule, "injury"))
    if workers_count is not None and workers_count >= GROUP_SIZE and workers_explained:
        add(
            "group_case",
            {
                **_words(workers_explained[0]),
                "value": "group_case",
                "rule": GROUP_COUNT_RULE.name,
            },
        )  # noqa: E501
    if months_explained is not None:
        add("months_of_wage", months_explained)
    if category == "wages":
        m = SPRING_WORDS.pattern.search(norm)
        sf = spring_festival_near(today)
        if m is not None:
            add("spring_festival", _because(text, m, SPRING_WORDS, "spring_festival"))
        elif sf - datetime.timedelta(days=SPRING_FESTIVAL_WINDOW) <= today <= sf:  # noqa: E501
            add(
                "spring_festival",
                {
                    "value": "spring_festival",
                    "because": "",
                    "rule": SPRING_WORDS.name,
                    "start": 0,
                    "end": 0,
                    "today": today.isoformat(),
                    "spring_festival": sf.isoformat(),
                },
            )
    order = list(SIGNALS)
    paired = sorted(zip(signals, explanations, strict=True), key=lambda p: order.index(p[0]))
    return [p[0] for p in paired], [p[1] for p in paired]


def _urgency(signals: list[str], explained: list[dict]) -> tuple[str, list[dict]]:
    reasons = [
        {**_words(e), "value": "high", "rule": URGENCY_HIGH.name, "signal": code}
        for code, e in zip(signals, explained, strict=True)
        if code in URGENT_SIGNALS
    ]
    if reasons:
        return "high", reasons
    return "normal", [
        {"value": "normal", "because": "", "rule": URGENCY_DEFAULT.name, "start": 0, "end": 0}
    ]


# --- the entry point ----------------------------------------------------------------------------
def today_in_shanghai() -> datetime.date:
    return datetime.datetime.now(SHANGHAI).date()


def analyse(text: str, today: datetime.date | None = None) -> Analysis:
    """Suggest category, amounts, workers, employer, dates, urgency and signals for one
    complaint, each explained. `today` resolves relative dates ("去年12月", "春节前") and the
    Spring Festival window; it defaults to today in Asia/Shanghai."""
    today = today or today_in_shanghai()
    text = text or ""
    norm = normalize(text)
    category, category_why = _category(text, norm)
    amounts, amounts_why = _amounts(text, norm)
    months, months_why = _months_of_wage(text, norm)
    if months is not None:
        wage, wage_why = _monthly_wage(text, norm)
        if wage is not None:
            total = _money(wage * months)
            if total not in amounts:
                amounts.append(total)
                amounts_why.append(
                    {
                        "value": total,
                        "because": f"{months_why['because']} × {wage_why['because']}",
                        "rule": MONTHS_X_WAGE.name,
                        "start": months_why["start"],
                        "end": months_why["end"],
                        "months": months,
                        "monthly_wage": _money(wage),
                    }
                )
    workers_count, workers_why = _workers(text, norm)
    employer, employer_why = _employer(text, norm)
    dates, dates_why = _dates(text, norm, today)
    signals, signals_why = _signals(
        text, norm, today, category, workers_count, workers_why, months_why
    )
    urgency, urgency_why = _urgency(signals, signals_why)
    return Analysis(
        category=category,
        amounts=amounts,
        workers_count=workers_count,
        employer=employer,
        dates=dates,
        urgency=urgency,
        signals=signals,
        explanations={
            "category": category_why,
            "amounts": amounts_why,
            "workers_count": workers_why,
            "employer": employer_why,
            "dates": dates_why,
            "urgency": urgency_why,
            "signals": signals_why,
        },
    )
