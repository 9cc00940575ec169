"""The statutory calendar: which days are working days in mainland China.

Sources, in order of precedence for a given date:
1. a staff-entered official schedule (OfficialDay rows, from the State Council's annual
   放假安排 notice) — entered data overrides everything else;
2. the chinese-calendar package (module `chinese_calendar`), which knows the official holidays
   and make-up working days (调休上班日) of LIBRARY_YEARS; it raises NotImplementedError outside;
3. otherwise weekends are rest days and Monday–Friday working days, and the year is reported as
   incomplete (`calendar_complete(year) is False`) so deadlines can carry a visible warning.

Each year's entered days are cached in-process. official_year_save() — the only writer — drops the
cache for its year; the cache also expires after CACHE_SECONDS so other worker processes pick up
a newly entered year without a restart.
"""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar import constants as _cc_constants
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from niangjia.core.models import OfficialDay, OfficialYear

LIBRARY_YEARS = range(
    min(d.year for d in _cc_constants.holidays), max(d.year for d in _cc_constants.holidays) + 1
)
CACHE_SECONDS = 300
MIN_YEAR, MAX_YEAR = 2000, 2100  # years staff may enter

_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    working: bool
    kind: str  # "workday" | "weekend" | "holiday" | "makeup" (调休上班日)
    name: str  # holiday name, "" for ordinary days
    source: str  # "entered" | "library" | "weekend" (no official data for the year)


@dataclass
class _Year:
    year: int
    days: dict[datetime.date, tuple[str, str]] = field(default_factory=dict)  # date → (kind, name)
    entered: OfficialYear | None = None
    loaded_at: float = 0.0


_cache: dict[int, _Year] = {}


def invalidate(year: int | None = None) -> None:
    """Forget the cached schedule of `year` (or of every year)."""
    if year is None:
        _cache.clear()
    else:
        _cache.pop(year, None)


def _year(year: int) -> _Year:
    cached = _cache.get(year)
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    entered = OfficialYear.objects.filter(year=year).first()
    days = {}
    if entered is not None:
        days = {
            d.date: (d.kind, d.name)
            for d in OfficialDay.objects.filter(official_year=entered).only("date", "kind", "name")
        }
    loaded = _Year(year=year, days=days, entered=entered, loaded_at=time.monotonic())
    _cache[year] = loaded
    return loaded


def day_info(d: datetime.date) -> DayInfo:
    """Everything the calendar knows about one date."""
    entry = _year(d.year).days.get(d)
    if entry is not None:
        kind, name = entry
        if kind == OfficialDay.Kind.WORKDAY:
            return DayInfo(d, True, "makeup", name, "entered")
        return DayInfo(d, False, "holiday", name, "entered")
    if d.year in LIBRARY_YEARS:
        working = chinese_calendar.is_workday(d)
        _on_holiday, english = chinese_calendar.get_holiday_detail(d)
        name = _HOLIDAY_ZH.get(english, english or "")
        weekend = d.weekday() >= 5
        kinds = {(True, True): "makeup", (True, False): "workday"}
        kind = kinds.get((working, weekend)) or ("holiday" if name else "weekend")
        return DayInfo(d, working, kind, name if kind in ("holiday", "makeup") else "", "library")
    weekend = d.weekday() >= 5
    return DayInfo(d, not weekend, "weekend" if weekend else "workday", "", "weekend")


def is_working_day(d: datetime.date) -> bool:
    """True on Monday–Friday that are not holidays, and on official make-up working days."""
    return day_info(d).working


def is_rest_day(d: datetime.date) -> bool:
    """True on weekends and statutory holidays (法定休假日), except make-up working days."""
    return not day_info(d).working


def next_working_day(d: datetime.date) -> datetime.date:
    """The first working day strictly after `d`."""
    day = d + datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def calendar_complete(year: int) -> bool:
    """Does the platform know the official schedule of `year`? False means weekends only."""
    entered = _year(year).entered
    if entered is not None and entered.complete:
        return True
    return year in LIBRARY_YEARS


def year_source(year: int) -> OfficialYear | None:
    """The staff-entered schedule of `year`, if any (for display)."""
    return _year(year).entered


# --- entering a year's schedule -----------------------------------------------------------------

_KIND_WORDS = {
    "休": OfficialDay.Kind.HOLIDAY,
    "假": OfficialDay.Kind.HOLIDAY,
    "放假": OfficialDay.Kind.HOLIDAY,
    "班": OfficialDay.Kind.WORKDAY,
    "上班": OfficialDay.Kind.WORKDAY,
}
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|--)\s*(\d{4}-\d{1,2}-\d{1,2}))?$")


@dataclass(frozen=True)
class ScheduleLine:
    date: datetime.date
    kind: str  # OfficialDay.Kind
    name: str


def _parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date(*(int(part) for part in text.split("-")))
    except (TypeError, ValueError):
        return None


def parse_schedule(year: int, text: str) -> list[ScheduleLine]:
    """Parse lines like "2027-01-01 元旦 休", "2027-02-07 春节调休 班" or a range
    "2027-10-01~2027-10-07 国庆节 休". Raises ValidationError listing every bad line."""
    errors: list[str] = []
    lines: list[ScheduleLine] = []
    seen: dict[datetime.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3:
            errors.append(
                _("第%(n)d行：格式应为“日期 名称 休/班”，例如“%(y)d-01-01 元旦 休”。")
                % {"n": number, "y": year}
            )
            continue
        when, name, word = parts
        kind = _KIND_WORDS.get(word)
        if kind is None:
            errors.append(
                _("第%(n)d行：类型“%(w)s”无效，只能是“休”或“班”。") % {"n": number, "w": word}
            )
            continue
        match = _RANGE.match(when)
        first = _parse_date(match.group(1)) if match else None
        last = _parse_date(match.group(2)) if match and match.group(2) else first
        if first is None or last is None:
            errors.append(
                _("第%(n)d行：日期“%(d)s”无效，应为 YYYY-MM-DD。") % {"n": number, "d": when}
            )
            continue
        if last < first:
            errors.append(_("第%(n)d行：结束日期早于开始日期。") % {"n": number})
            continue
        if first.year != year or last.year != year:
            errors.append(_("第%(n)d行：日期不在%(y)d年内。") % {"n": number, "y": year})
            continue
        if len(name) > 40:
            errors.append(_("第%(n)d行：名称不能超过40个字。") % {"n": number})
            continue
        day = first
        while day <= last:
            if day in seen:
                errors.append(
                    _("第%(n)d行：%(d)s 已在第%(m)d行出现。")
                    % {"n": number, "d": day.isoformat(), "m": seen[day]}
                )
            elif kind == OfficialDay.Kind.WORKDAY and day.weekday() < 5:
                errors.append(
                    _("第%(n)d行：%(d)s 是工作日（周一至周五），调休上班日应为周六或周日。")
                    % {"n": number, "d": day.isoformat()}
                )
            else:
                seen[day] = number
                lines.append(ScheduleLine(day, kind, name))
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError(_("请至少录入一行放假日或调休上班日。"))
    return sorted(lines, key=lambda line: line.date)


@transaction.atomic
def official_year_save(
    *, year: int, source: str, complete: bool, lines: list[ScheduleLine], actor
) -> OfficialYear:
    """Replace `year`'s entered schedule with `lines`, all or nothing, and refresh the cache."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {"year": _("年份应在%(a)d至%(b)d之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}}
        )
    if any(line.date.year != year for line in lines):
        raise ValidationError(_("录入的日期必须都在%(y)d年内。") % {"y": year})
    if not source.strip():
        raise ValidationError({"source": _("请填写通知文号或来源。")})
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    official, _created = OfficialYear.objects.select_for_update().update_or_create(
        year=year,
        defaults={"source": source.strip(), "complete": complete, "entered_by": entered_by},
    )
    OfficialDay.objects.filter(official_year=official).delete()
    OfficialDay.objects.bulk_create(
        OfficialDay(
            official_year=official,
            date=line.date,
            kind=line.kind,
            name=line.name,
            entered_by=entered_by,
        )
        for line in lines
    )
    transaction.on_commit(lambda: invalidate(year))
    invalidate(year)
    return official


def year_days(year: int) -> list[DayInfo]:
    """Every day of `year`, for the calendar page."""
    day = datetime.date(year, 1, 1)
    out = []
    while day.year == year:
        out.append(day_info(day))
        day += datetime.timedelta(days=1)
    return out
