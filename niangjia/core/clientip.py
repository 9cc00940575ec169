"""The client's address: one function for throttles, login lockout and the audit log.

`X-Forwarded-For` is believed only when the connection comes from a proxy listed in the
`TRUSTED_PROXIES` setting (addresses or CIDR networks; empty by default). Then the chain is read
from the right, skipping the listed proxies, and the first address that is not one of them is the
client: whatever a client writes at the left of the header never counts. With no trusted proxy,
or a connection from anywhere else, the socket address (`REMOTE_ADDR`) is the client.

Parsing (ports, IPv6 brackets, IPv4-mapped addresses) is python-ipware's, django-ipware's engine.
"""

from __future__ import annotations

import ipaddress
from contextlib import suppress
from functools import lru_cache

from django.conf import settings
from python_ipware.modern.parsers import parse_ip, split_proxy_chain

_CACHE_ATTR = "_niangjia_client_ip"


@lru_cache(maxsize=8)
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def resolve(meta) -> str | None:
    """The client address for a request's META (see the module's docstring)."""
    remote_text = meta.get("REMOTE_ADDR") or ""
    remote = parse_ip(remote_text)
    if remote is None:
        return remote_text or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    chain = split_proxy_chain(meta.get("HTTP_X_FORWARDED_FOR", ""), False) or []
    for hop in reversed(chain):
        if not _trusted(hop, networks):
            return str(hop)
    # every hop is one of our proxies: the left-most is the nearest thing to a client
    return str(chain[0]) if chain else str(remote)


def client_ip(request) -> str | None:
    """The requesting client's address, computed once per request."""
    # a DRF Request forwards attribute reads to the HttpRequest; cache on the HttpRequest
    target = getattr(request, "_request", request)
    cached = getattr(target, _CACHE_ATTR, None)
    if cached is None:
        cached = resolve(target.META) or ""
        with suppress(AttributeError):  # an object that takes no attributes (a stand-in)
            setattr(target, _CACHE_ATTR, cached)
    return cached or None
