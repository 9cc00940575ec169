"""Login lockout (django-axes): the answer a locked-out login gets, and the audit of failures.

Every login path (the staff login, the admin login, `POST /api/v1/auth/token/`) authenticates
through Django's `authenticate(request, …)`, which asks axes first; after AXES_FAILURE_LIMIT
failures for one username further tries are refused for AXES_COOLOFF_TIME, even with the right
password. An administrator unlocks at /admin/axes/accessattempt/ or with
`manage.py axes_reset_username NAME`."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from niangjia.core.clientip import client_ip

security_log = logging.getLogger("niangjia.security")


def cooloff_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_message() -> str:
    return _(
        "登录失败次数过多，该账号已被暂时锁定，请 %(minutes)d 分钟后再试；"
        "如需立即解锁，请联系系统管理员。"
    ) % {"minutes": cooloff_minutes()}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a Chinese 429, as JSON `detail` under /api/, else a page."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(
            request,
            "core/locked.html",
            {"message": lockout_message(), "login_url": request.path},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


def is_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused the login attempt made with this request."""
    return bool(getattr(getattr(request, "_request", request), "axes_locked_out", False))


@receiver(user_login_failed, dispatch_uid="niangjia-security-login-failed")
def _log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    """Failures are audited: axes keeps each one (AccessFailureLog, in the admin with address,
    path and whether it locked the account); the security log gets a line too. Only the
    username and address: never the password, never what else the form carried."""
    if request is None:
        return
    security_log.warning(
        "login failed",
        extra={
            "event": "login_failed",
            "username": str(credentials.get("username", ""))[:150],
            "ip": client_ip(request),
            "path": getattr(request, "path", ""),
            "locked_out": is_locked_out(request),
        },
    )
