from __future__ import annotations

import logging

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.clientip import client_ip
from niangjia.core.permissions import grants_for
from niangjia.core.ratelimit import TOO_MANY_REQUESTS, over_limit

ACTIVE_ROLE_SESSION_KEY = "active_role_id"
DATA_ERROR_MESSAGE = gettext_lazy("提交的内容超出允许的长度或范围，请缩短或修改后重试。")

logger = logging.getLogger(__name__)


class ActiveRoleMiddleware:
    """Applies the org switcher: a user with several roles works in one of them at a time.

    Pages then show that role's scope; with nothing picked (or the pick revoked) all roles apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            role_id = request.session.get(ACTIVE_ROLE_SESSION_KEY)
            grants = grants_for(user)
            picked = [g for g in grants if g.pk == role_id]
            user.all_grants = grants
            user.active_role = picked[0] if picked else (grants[0] if len(grants) == 1 else None)
            if picked:
                user.active_grants = picked
        return self.get_response(request)


class RefuseUnsafeQueryMiddleware:
    """A request no page or API can use safely is refused with a 400 before any view runs.

    A NUL character reaches PostgreSQL, which refuses it in text with a DataError: a 500 wherever
    a query parameter (`?q=%00` on every staff list that searches), a path segment (a station
    code) or a form field read without a Django form (station ratings and reports, care replies)
    is stored or filtered on. Nobody types a NUL: the request is refused whole, in JSON under
    /api/ and as a page elsewhere; the browser's back button returns to the form as it was typed.
    JSON bodies are checked where they are parsed (niangjia.api.parsers)."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return bad_request(request, _("请求参数包含空字符，无法处理。请删除后重试。"))
        if (
            request.method == "POST"
            and request.content_type in self.FORM_TYPES
            and _has_nul(request.POST)
        ):
            return bad_request(
                request, _("提交的内容包含空字符，无法保存。请返回上一页删除后重试。")
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A value the database refused (longer than its column, out of range) that no form
        checked first: a 400 saying so, not a 500. Forms and serializers should refuse it first
        (with the field named); the warning shows where one is missing."""
        if isinstance(exception, DataError):
            logger.warning("DataError answered as 400 at %s: %s", request.path, exception)
            return bad_request(request, str(DATA_ERROR_MESSAGE))
        return None


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in params.getlist(key)) for key in params)


def bad_request(request, message: str):
    """A 400 with a Chinese message: JSON under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "400.html", {"message": message}, status=400)


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware with the change log's address from niangjia.core.clientip:
    the stock one records whatever a client writes first in `X-Forwarded-For`."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None  # `X-Forwarded-Port` is the client's word, and the port tells nobody anything


class LoginThrottleMiddleware:
    """Login posts to the staff and admin pages count against the `login` rate per client
    address, as the API token endpoint's throttle does: the lockout stops guessing one account's
    password, this stops one address trying one password on many accounts."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths: set[str] | None = None

    def __call__(self, request):
        if request.method == "POST":
            if self._paths is None:
                self._paths = {reverse("staff:login"), reverse("admin:login")}
            if request.path in self._paths and over_limit(request, "login"):
                response = render(
                    request,
                    "core/locked.html",
                    {
                        "title": _("登录尝试过于频繁"),
                        "message": _("登录尝试过于频繁，请稍后再试。"),
                        "login_url": request.path,
                    },
                    status=TOO_MANY_REQUESTS,
                )
                response["Retry-After"] = "60"
                return response
        return self.get_response(request)
