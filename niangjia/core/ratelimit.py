"""Rate limits for public pages (the API uses DRF throttles with the same rates)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from niangjia.core.clientip import client_ip


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
