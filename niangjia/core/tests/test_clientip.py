"""#11 §2: one client-address function; X-Forwarded-For only from TRUSTED_PROXIES."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.test import APIClient

from niangjia.core.clientip import client_ip


def _request(remote="203.0.113.7", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_socket_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request(xff="1.2.3.4")) == "203.0.113.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request(remote="198.51.100.9", xff="1.2.3.4")) == "198.51.100.9"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # the client forged "1.2.3.4"; nginx appended the real peer 198.51.100.20; an inner proxy
    # 192.0.2.1 forwarded to the app's proxy 10.0.0.5
    request = _request(remote="10.0.0.5", xff="1.2.3.4, 198.51.100.20, 192.0.2.1")
    assert client_ip(request) == "198.51.100.20"


def test_a_garbled_forwarded_for_from_a_trusted_proxy_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request(remote="10.0.0.5", xff="not-an-address")) == "10.0.0.5"
    assert client_ip(_request(remote="10.0.0.5", xff="[2001:db8::1]:443")) == "2001:db8::1"


def test_a_fake_forwarded_for_no_longer_bypasses_the_api_throttle(world, monkeypatch):
    """Today every API throttle was bypassed by a new `X-Forwarded-For` per request."""
    from niangjia.rights.api import LookupThrottle

    monkeypatch.setattr(LookupThrottle, "THROTTLE_RATES", {"lookup": "3/minute"})
    cache.clear()
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/cases/lookup/",
            {"number": "X", "phone": "13800000000"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_counter(world, monkeypatch, settings):
    from niangjia.rights.api import LookupThrottle

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    monkeypatch.setattr(LookupThrottle, "THROTTLE_RATES", {"lookup": "2/minute"})
    cache.clear()
    client = APIClient()

    def lookup(ip):
        return client.post(
            "/api/v1/cases/lookup/",
            {"number": "X", "phone": "13800000000"},
            HTTP_X_FORWARDED_FOR=ip,
        ).status_code

    assert [lookup("198.51.100.1") for _ in range(3)] == [404, 404, 429]
    assert lookup("198.51.100.2") == 404  # another client behind the same proxy


@pytest.mark.parametrize("path", ["/rights/lookup/"])
def test_the_public_page_counters_ignore_a_fake_forwarded_for(world, settings, client, path):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], lookup="2/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    bodies = [
        client.post(
            path, {"number": "X", "phone": "13800000000"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        ).content.decode()
        for i in range(3)
    ]
    assert "过于频繁" not in bodies[0]
    assert "过于频繁" in bodies[2]


def test_the_access_log_records_the_resolved_address(world, settings, rf):
    from niangjia.core.audit import log_access
    from niangjia.core.models import AccessLog

    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    request.user = world.users["rights_officer"]
    log_access(request, world.p_e1)
    assert AccessLog.objects.latest("pk").ip == "203.0.113.9"


def test_the_change_log_records_the_resolved_address(rf, settings):
    from niangjia.core.middleware import AuditlogMiddleware

    settings.TRUSTED_PROXIES = []
    request = rf.get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PORT="9"
    )
    data = AuditlogMiddleware(lambda r: None).get_extra_data(request)
    assert data["remote_addr"] == "203.0.113.9"
    assert data["remote_port"] is None
