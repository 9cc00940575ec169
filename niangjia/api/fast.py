"""A plain-Django fast path for public, stateless JSON endpoints (stations nearby, calculators).

DRF's request wrapping, content negotiation, authentication and sliding-window throttle cost
several times what these endpoints compute. Their views stay DRF `APIView`s (so the OpenAPI schema
documents them and other methods get DRF's answers) but answer their main method with these
helpers: one throttle counter, `parsers.loads`, a `JsonResponse` with DRF's byte-for-byte output."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

from niangjia.api import parsers
from niangjia.api.throttling import AnonThrottle


class CounterThrottle(AnonThrottle):
    """Per client address, a counter per window (as niangjia.core.ratelimit does for the public
    pages): O(1) per request. DRF's sliding window keeps and re-pickles one timestamp per
    request in the window, which at a high rate costs more than the endpoint itself.

    Its cache key differs from DRF's (an int here, a list of timestamps there): sharing
    `throttle_anon_<address>` made the next DRF-throttled request from that address a 500."""

    cache_format = "throttle_counter_%(scope)s_%(ident)s"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.cache.add(self.key, 0, self.duration)
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # expired between add and incr
            self.cache.set(self.key, 1, self.duration)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return float(self.duration)


class _Anonymous:
    """What the throttle reads from a request: no user (the endpoints are public), the address."""

    __slots__ = ("META", "_request", "headers")
    user = None

    def __init__(self, request):
        self.META = request.META
        self.headers = request.headers
        self._request = request  # the client address is computed once, on the HttpRequest


def json_response(data, status: int = 200) -> JsonResponse:
    """DRF's JSONRenderer output: UTF-8 text, compact."""
    return JsonResponse(
        data,
        status=status,
        safe=False,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


def throttled(request, throttle_class: type[CounterThrottle]) -> JsonResponse | None:
    """The 429 answer (Chinese detail, Retry-After) when the client is over its rate, else None."""
    throttle = throttle_class()
    if throttle.allow_request(_Anonymous(request), None):
        return None
    response = json_response({"detail": _("请求过于频繁，请稍后再试。")}, status=429)
    response["Retry-After"] = str(int(throttle.wait()))
    return response


def is_json(request) -> bool:
    return request.content_type == "application/json"


class BadBody(ValueError):
    pass


def json_body(request):
    """The parsed JSON body; BadBody with a Chinese message when it is not JSON, nested too deep,
    or holds text no field could store (niangjia.api.parsers, as DRF's parser does here)."""
    try:
        return parsers.loads(request.body)
    except parsers.BadJSON as exc:
        raise BadBody(str(exc)) from exc
