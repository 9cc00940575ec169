"""Safe JSON for every API body: DRF's parser and the plain-Django fast path share `loads`.

`json.loads` of a body nested thousands of levels deep raises RecursionError (a 500 on every
endpoint, anonymous ones included); a lone surrogate (`"\\ud800"`) parses into a str that cannot
be encoded as UTF-8 again, so the request fails later when the text is saved or echoed; PostgreSQL
refuses a NUL character in text and in jsonb. All three are refused here, before any view runs,
with a 400 and a Chinese message."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

DEFAULT_MAX_DEPTH = 64


class BadJSON(ValueError):
    """A body this API refuses; the message is for the user."""


class BodyParseError(ParseError):
    """A ParseError whose Chinese detail the exception handler passes on as is."""


def max_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def _refuse_constant(value):
    raise ValueError(value)  # NaN, Infinity: not JSON, and no field accepts them


def loads(raw: bytes | str):
    """The parsed body, or BadJSON with the reason a user can act on."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadJSON(_("请求内容不是有效的 UTF-8 文本。")) from exc
    try:
        data = json.loads(raw or "null", parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise BadJSON(_("请求内容嵌套过深。")) from exc
    except ValueError as exc:
        raise BadJSON(_("请求内容不是有效的 JSON，请检查格式。")) from exc
    check(data)
    return data


def check(data) -> None:
    """Refuse nesting deeper than API_JSON_MAX_DEPTH, lone surrogates and NUL characters."""
    limit = max_depth()
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > limit:
                raise BadJSON(_("请求内容嵌套过深。"))
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_text(key)
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise BadJSON(_("请求内容包含空字符（\\u0000），请删除后重试。"))
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadJSON(_("请求内容包含无效的 Unicode 字符（单独的代理项）。")) from exc


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser with `loads` above: a refused body is a 400 with its own message."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            return loads(raw)
        except BadJSON as exc:
            raise BodyParseError(str(exc)) from exc
