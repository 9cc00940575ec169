"""Weekly opening hours: parsing the way unions write them, printing them back, "open now".

Stored form (Station.hours, JSON): a list of rules ``{"days": [0..6], "open": "HH:MM",
"close": "HH:MM"}`` with Monday = 0. ``close`` may be "24:00"; a close at or before the open time
means the rule runs past midnight into the next day (e.g. 20:00-08:00 for a night station).

Accepted text (Excel import and the staff form), segments separated by "；", ";" or a new line:

- ``周一至周五 08:00-18:00；周六、周日 09:00-17:00``  (周/星期, 至/到/-/~ ranges, 、/和 lists)
- ``每天 07:00-19:00``, ``工作日 8:30-17:30``, ``周末 10:00-16:00``, ``全天24小时``
- the simple documented form ``1-5 08:00-18:00; 6-7 09:00-12:00`` (1 = Monday … 7 = Sunday)
- a time range alone (``08:00-20:00``) means every day; ``24小时`` means round the clock.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

DAY_NAMES = ["一", "二", "三", "四", "五", "六", "日"]
_DAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY = r"(?:周|星期|礼拜)?[一二三四五六日天七]|[1-7]"
_RANGE_SEP = r"\s*(?:至|到|-|~|～|—|－)\s*"
_TIME = r"(\d{1,2})\s*[:：]\s*(\d{2})"


class HoursError(ValueError):
    """Malformed opening hours; the message is for the person who typed them."""


def _day_index(token: str) -> int:
    token = token.strip()
    if token.isdigit():
        return int(token) - 1
    return _DAY_CHARS[token[-1]]


def _parse_days(text: str) -> list[int]:
    text = text.strip().rstrip(":：").strip()
    if text in {"", "每天", "每日", "全周", "天天", "全年", "周一至周日", "全天"}:
        return list(range(7))
    if text == "工作日":
        return [0, 1, 2, 3, 4]
    if text in {"周末", "双休日"}:
        return [5, 6]
    days: list[int] = []
    for part in re.split(r"\s*[、和,，/]\s*", text):
        m = re.fullmatch(rf"({_DAY}){_RANGE_SEP}({_DAY})", part)
        if m:
            a, b = _day_index(m.group(1)), _day_index(m.group(2))
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            days.extend(span)
        elif re.fullmatch(_DAY, part):
            days.append(_day_index(part))
        else:
            raise HoursError(_("无法识别的星期：“%(text)s”") % {"text": part})
    return sorted(set(days))


def _minutes(hour: str, minute: str, raw: str) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise HoursError(_("时间不正确：“%(text)s”") % {"text": raw})
    return h * 60 + m


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hours(text: str) -> list[dict]:
    """Parse opening hours text into rules, or raise HoursError with a Chinese message."""
    text = (text or "").strip()
    if not text:
        raise HoursError(_("请填写开放时间，例如“周一至周五 08:00-18:00”"))
    rules: list[dict] = []
    for segment in re.split(r"\s*[；;\n]\s*", text):
        if not segment:
            continue
        if re.search(r"24\s*小时|全天候", segment):
            days_text = re.sub(r"全天候|全天|24\s*小时|开放|营业", "", segment)
            open_m, close_m = 0, 24 * 60
        else:
            m = re.search(rf"{_TIME}{_RANGE_SEP}{_TIME}\s*$", segment)
            if not m:
                raise HoursError(
                    _("开放时间格式不正确：“%(text)s”，应为“周一至周五 08:00-18:00”")
                    % {"text": segment}
                )
            days_text = segment[: m.start()]
            open_m = _minutes(m.group(1), m.group(2), segment)
            close_m = _minutes(m.group(3), m.group(4), segment)
            if open_m == close_m:
                raise HoursError(_("开始和结束时间相同：“%(text)s”") % {"text": segment})
            if open_m == 24 * 60:
                raise HoursError(_("时间不正确：“%(text)s”") % {"text": segment})
        days = _parse_days(days_text)
        if not days:
            raise HoursError(_("没有指定星期：“%(text)s”") % {"text": segment})
        rules.append({"days": days, "open": _hhmm(open_m), "close": _hhmm(close_m)})
    if not rules:
        raise HoursError(_("请填写开放时间，例如“周一至周五 08:00-18:00”"))
    return rules


def _days_text(days: list[int]) -> str:
    days = sorted(days)
    if days == list(range(7)):
        return "每天"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"周{DAY_NAMES[days[0]]}至周{DAY_NAMES[days[-1]]}"
    return "、".join(f"周{DAY_NAMES[d]}" for d in days)


def format_hours(rules: list[dict]) -> str:
    """Rules back to the text people write (and that parse_hours reads)."""
    parts = []
    for rule in rules or []:
        span = "24小时" if (rule["open"], rule["close"]) == ("00:00", "24:00") else None
        parts.append(f"{_days_text(rule['days'])} {span or rule['open'] + '-' + rule['close']}")
    return "；".join(parts)


def _to_min(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def open_at(rules: list[dict], weekday: int, minute: int) -> bool:
    """Is a station with these weekly rules open at this weekday (Mon = 0) and minute of day?"""
    yesterday = (weekday - 1) % 7
    for rule in rules or []:
        o, c = _to_min(rule["open"]), _to_min(rule["close"])
        if c > o:
            if weekday in rule["days"] and o <= minute < c:
                return True
        else:  # runs past midnight
            if weekday in rule["days"] and minute >= o:
                return True
            if yesterday in rule["days"] and minute < c:
                return True
    return False


def open_at_datetime(rules: list[dict], local: datetime.datetime) -> bool:
    return open_at(rules, local.weekday(), local.hour * 60 + local.minute)
