"""Login lockout (django-axes): the answer a locked-out login gets, and the audit of failures.

Every login path (the staff login, the admin login, `POST /api/v1/auth/token/`) authenticates
through Django's `authenticate(request, …)`, which asks axes first; after AXES_FAILURE_LIMIT
failures for one username further tries are refused for AXES_COOLOFF_TIME, even with the right
password. An administrator unlocks at /admin/axes/accessattempt/ or with
`manage.py axes_reset_username NAME`."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
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


# -- the same lockout for codes and lookups ---------------------------------------------------
# SMS receipt codes and the public lookups (case number + phone, aid code + phone) are guesses
# at a secret too. Their failures count in axes under a key naming what is guessed at (never a
# phone or ID number in clear: a blind index), so after AXES_FAILURE_LIMIT misses from any
# number of addresses that phone or lookup is refused for AXES_COOLOFF_TIME, an administrator
# can unlock it like an account, and each miss is in axes' failure log.


def guard_key(kind: str, value: str) -> str:
    """The lockout key for guesses at `value` (a phone, a case number, an aid code)."""
    from niangjia.core.pii import blind_index

    return f"{kind}:{blind_index(str(value).strip().upper())[:24]}"


def _http(request) -> HttpRequest:
    return getattr(request, "_request", request)


def guard_locked(request, key: str) -> bool:
    """Whether guesses under `key` are locked out now."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(_http(request), {"username": key})


def guard_failed(request, key: str) -> None:
    """Count a wrong guess under `key` (audited like a failed login)."""
    from axes.handlers.proxy import AxesProxyHandler

    http = _http(request)
    was_locked = getattr(http, "axes_locked_out", False)
    AxesProxyHandler.user_login_failed(
        sender=guard_failed, credentials={"username": key}, request=http
    )
    # axes flags the request as a locked-out login, whose page is the login lockout's: the
    # caller answers a code or lookup lockout itself
    http.axes_locked_out = was_locked
    security_log.warning(
        "guess failed", extra={"event": "guess_failed", "key": key, "ip": client_ip(http)}
    )


def guard_passed(key: str) -> None:
    """A right answer clears the count under `key`."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_attempts(username=key)


def guarded(request, key: str, attempt):
    """Run `attempt()` as a guess under `key`: refused (ValidationError) while locked out; a
    ValidationError it raises counts as a wrong guess; success clears the count."""
    if guard_locked(request, key):
        raise ValidationError({"code": [guard_message()]}, code="locked_out")
    try:
        result = attempt()
    except ValidationError:
        guard_failed(request, key)
        raise
    guard_passed(key)
    return result


def lookup_page(request, form, *, kind: str, key: str, find, not_found: str):
    """A public lookup page's answer: (the record or None, the HTTP status). Counted against the
    `lookup` rate of the client's address, refused while `key` (the case number, the aid code) is
    locked out, and a miss counts as a wrong guess under it; errors go onto `form`."""
    from niangjia.core.ratelimit import TOO_MANY_REQUESTS, over_limit

    guard = guard_key(kind, key)
    if over_limit(request, "lookup"):
        form.add_error(None, _("查询过于频繁，请稍后再试"))
        return None, TOO_MANY_REQUESTS
    if guard_locked(request, guard):
        form.add_error(None, guard_message())
        return None, TOO_MANY_REQUESTS
    found = find()
    if found is None:
        guard_failed(request, guard)
        form.add_error(None, not_found)
    else:
        guard_passed(guard)
    return found, 200


def guard_message() -> str:
    return _("错误次数过多，已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": cooloff_minutes()
    }


def _loggable_username(value) -> str:
    """The username for the log, unless it looks like a phone or ID number someone typed into
    the username field: those never go to application logs."""
    text = str(value or "")[:150]
    return "（疑似手机号或证件号，已隐去）" if _NUMBERISH.match(text) else text


_NUMBERISH = re.compile(r"^\+?[\d\s-]{7,}[\dXx]?$")


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
            "username": _loggable_username(credentials.get("username")),
            "ip": client_ip(request),
            "path": getattr(request, "path", ""),
            "locked_out": is_locked_out(request),
        },
    )
