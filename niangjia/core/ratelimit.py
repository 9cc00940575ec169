"""Rate limits for public pages (the API uses DRF throttles with the same rates).

Every anonymous write and lookup counts against a scope's rate per client address (the one
client-address function, niangjia.core.clientip): complaint, aid_apply, lookup (case and aid
status), station_feedback (ratings, reports), checkin, sms. Over the rate a page answers 429
with a Chinese message and keeps what was typed."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from niangjia.core.clientip import client_ip

TOO_MANY_REQUESTS = 429


def over_limit(request, scope: str) -> bool:
    """Count this request against `scope`'s rate for the client's address; True when over."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    count_text, period_text = rate.split("/")
    limit = int(count_text)
    period = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period_text[0]]
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit
