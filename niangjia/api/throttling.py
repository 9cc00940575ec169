"""DRF throttles keyed by the one client-address function (niangjia.core.clientip).

DRF's own `get_ident` believes any `X-Forwarded-For` a client sends (with NUM_PROXIES unset it
uses the whole header as the key), so a fresh fake header per request bypassed every throttle.
Every throttle in the project derives from these classes instead."""

from __future__ import annotations

from rest_framework.exceptions import APIException
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from niangjia.core.clientip import client_ip
from niangjia.core.lockout import guard_message


class ClientIPMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class AnonThrottle(ClientIPMixin, AnonRateThrottle):
    """Anonymous callers, per client address (the `anon` rate unless `scope` says otherwise)."""


class UserThrottle(ClientIPMixin, UserRateThrottle):
    """Signed-in callers per user, anonymous ones per client address."""


class ScopedThrottle(ClientIPMixin, ScopedRateThrottle):
    """The view's `throttle_scope` rate, per user or client address."""


class GuessesLocked(APIException):
    """429: too many wrong guesses at a lookup or code (niangjia.core.lockout.guard_*)."""

    status_code = 429
    default_code = "locked_out"

    def __init__(self):
        super().__init__(guard_message())
