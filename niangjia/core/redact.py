"""ID numbers and phones never travel in URLs nor reach the application log (个人信息保护法).

`carries_pii` tells whether a text holds something that looks like a resident ID number or a
mobile number: search boxes that accept them post the text, and a query string that carries one
is ignored (`search_term`). `RedactingFilter` masks them in every log record.
"""

from __future__ import annotations

import logging
import re

from niangjia.core.validators import _to_halfwidth

# 18-digit resident IDs (last character may be X), 15-digit old IDs, 11-digit mainland mobiles
# (with optional +86/86 and separators): any run of 11 or more digits counts.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(?:\d{8}(\d{3}[\dXx])|\d{6}(\d{3}))(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
_DIGIT_RUN_RE = re.compile(r"\d{11,}|\d{17}[Xx]")
_SEPARATORS_RE = re.compile(r"[\s\-–—_.()（）+]")


def carries_pii(value) -> bool:
    """Whether a text (a search term, a query value) holds an ID number or a mobile number."""
    if not value:
        return False
    compact = _SEPARATORS_RE.sub("", _to_halfwidth(str(value)))
    return bool(_DIGIT_RUN_RE.search(compact))


def search_term(request, name: str = "q") -> str:
    """The search text of a list page: from the posted form, or from the query string unless it
    is an ID number or phone (those are posted, never put into a URL, its history or a log)."""
    if request.method == "POST":
        return request.POST.get(name, "").strip()
    value = request.GET.get(name, "").strip()
    return "" if carries_pii(value) else value


def redact(text: str) -> str:
    """Mask ID numbers (`640202********123X`) and mobiles (`138****5678`) in a text."""
    text = _ID_RE.sub(
        lambda m: f"{m.group(1)}{'*' * (8 if m.group(2) else 6)}{m.group(2) or m.group(3)}", text
    )
    return _MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class RedactingFilter(logging.Filter):
    """A logging filter for every handler: the formatted message (with its arguments) and any
    exception text have ID numbers and mobiles masked. Installed in settings.LOGGING."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        redacted = redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # formatters (the JSON one too) print exc_text when exc_info is gone
            record.exc_text, record.exc_info = redact(record.exc_text), None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def api_search_term(request, name: str = "q") -> str:
    """The API's search text: from the JSON/form body of a `POST …/search/`, or from the query
    string, where an ID number or phone is refused (400) rather than silently ignored."""
    from rest_framework.exceptions import ValidationError

    if request.method == "POST":
        value = request.data.get(name, "") if hasattr(request.data, "get") else ""
        if not isinstance(value, str):
            raise ValidationError({name: ["请填写文本"]})
        return value.strip()[:100]
    value = request.query_params.get(name, "").strip()
    if carries_pii(value):
        raise ValidationError(
            {name: ["身份证号码和手机号码不能放在网址中，请用 POST 提交到本列表的 search/ 地址"]}
        )
    return value
