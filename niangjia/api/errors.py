"""API errors keep DRF's shape ({"detail": …} or {"field": […]}) in the user's language, and a
Django ValidationError raised by a service becomes a 400 instead of a 500."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from niangjia.api.parsers import BodyParseError


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "与现有记录冲突。"
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages[0]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, BodyParseError):
        pass  # its detail already says, in Chinese, what is wrong with the body
    elif isinstance(exc, RecursionError):
        # a view whose parser is not niangjia.api.parsers.JSONParser: still a 400, never a 500
        exc = BodyParseError(_("请求内容嵌套过深。"))
    elif isinstance(exc, exceptions.ParseError):
        # DRF's catalog leaves "JSON parse error" untranslated; clients show this text to users
        exc = exceptions.ParseError(_("请求内容不是有效的 JSON，请检查格式。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
