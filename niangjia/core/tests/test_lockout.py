"""#11 §2: login lockout (django-axes) on every login path. Today 25 wrong passwords and then
the right one log in."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

LIMIT = 10


def _staff_login(client, username, password, ip="203.0.113.1"):
    return client.post(
        "/staff/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_eleventh_staff_login_with_the_right_password_is_refused(world):
    client = Client()
    for i in range(LIMIT):
        # a new address for every try: the lockout follows the username, not the address
        response = _staff_login(client, "rights_officer", f"wrong-{i}", ip=f"198.51.100.{i}")
        # the tenth failure already answers with the lockout page
        assert response.status_code == (429 if i == LIMIT - 1 else 200)
    response = _staff_login(client, "rights_officer", "pw", ip="198.51.100.200")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert "15 分钟" in text
    assert not _logged_in(client)
    assert response["Retry-After"] == "900"


def test_nine_failures_then_the_right_password_still_logs_in_and_resets(world):
    client = Client()
    for i in range(LIMIT - 1):
        _staff_login(client, "rights_officer", f"wrong-{i}")
    response = _staff_login(client, "rights_officer", "pw")
    assert response.status_code == 302
    assert _logged_in(client)
    assert not AccessAttempt.objects.filter(username="rights_officer").exists()


def test_the_admin_login_locks_out_too(world):
    client = Client()
    for i in range(LIMIT):
        client.post("/admin/login/", {"username": "root", "password": f"x{i}"})
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "pw"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not _logged_in(client)


def test_the_api_token_endpoint_locks_out_with_a_chinese_detail(world):
    from knox.models import AuthToken

    api = APIClient()
    for i in range(LIMIT):
        response = api.post(
            "/api/v1/auth/token/",
            {"username": "rights_officer", "password": f"x{i}"},
            format="json",
            REMOTE_ADDR=f"198.51.100.{i}",
        )
        assert response.status_code == (429 if i == LIMIT - 1 else 400)
    response = api.post(
        "/api/v1/auth/token/", {"username": "rights_officer", "password": "pw"}, format="json"
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=world.users["rights_officer"]).exists()


def test_failures_on_one_path_count_on_the_others(world):
    api = APIClient()
    for i in range(LIMIT // 2):
        api.post(
            "/api/v1/auth/token/",
            {"username": "rights_officer", "password": f"x{i}"},
            format="json",
        )
        _staff_login(Client(), "rights_officer", f"y{i}")
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 429


def test_one_address_failing_does_not_lock_out_other_accounts(world):
    client = Client()
    for i in range(LIMIT + 2):
        _staff_login(client, "rights_officer", f"wrong-{i}", ip="203.0.113.50")
    other = Client()
    response = _staff_login(other, "care_officer", "pw", ip="203.0.113.50")
    assert response.status_code == 302
    assert _logged_in(other)


def test_the_lockout_ends_after_the_cooloff(world):
    for i in range(LIMIT):
        _staff_login(Client(), "rights_officer", f"wrong-{i}")
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 429
    AccessAttempt.objects.filter(username="rights_officer").update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 302


def test_tries_during_the_lockout_do_not_extend_it(world):
    for i in range(LIMIT):
        _staff_login(Client(), "rights_officer", f"wrong-{i}")
    before = AccessAttempt.objects.get(username="rights_officer").attempt_time
    _staff_login(Client(), "rights_officer", "another-guess")
    assert AccessAttempt.objects.get(username="rights_officer").attempt_time == before


def test_an_administrator_unlocks_an_account(world):
    for i in range(LIMIT):
        _staff_login(Client(), "rights_officer", f"wrong-{i}")
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 429
    call_command("axes_reset_username", "rights_officer")
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 302


def test_the_admin_lists_lockouts_for_unlocking(world):
    for i in range(LIMIT):
        _staff_login(Client(), "rights_officer", f"wrong-{i}")
    admin = Client()
    admin.force_login(world.users["superuser"])
    response = admin.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "rights_officer" in response.content.decode()


def test_login_failures_are_audited_without_the_password(world, caplog):
    with caplog.at_level("WARNING", logger="niangjia.security"):
        _staff_login(Client(), "rights_officer", "secret-guess", ip="198.51.100.77")
    failure = AccessFailureLog.objects.get(username="rights_officer")
    assert failure.ip_address == "198.51.100.77"
    assert failure.path_info == "/staff/login/"
    record = next(r for r in caplog.records if r.name == "niangjia.security")
    assert record.event == "login_failed"
    assert record.username == "rights_officer"
    assert record.ip == "198.51.100.77"
    attempt = AccessAttempt.objects.get(username="rights_officer")
    assert "secret-guess" not in attempt.post_data
    assert "secret-guess" not in caplog.text


@pytest.mark.parametrize("limit", [3])
def test_the_failure_limit_is_a_setting(world, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    for i in range(limit):
        _staff_login(Client(), "rights_officer", f"wrong-{i}")
    assert _staff_login(Client(), "rights_officer", "pw").status_code == 429


def test_force_login_and_sessions_still_work(world):
    client = Client()
    client.force_login(world.users["rights_officer"])
    assert client.get("/staff/").status_code == 200


def test_one_address_spraying_passwords_over_many_accounts_is_throttled(world, settings):
    from django.core.cache import cache

    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], login="3/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    names = ["rights_officer", "care_officer", "station_manager", "org_admin"]
    statuses = [_staff_login(Client(), name, "Spring2026!").status_code for name in names]
    assert statuses == [200, 200, 200, 429]
    response = Client().post(
        "/admin/login/", {"username": "root", "password": "pw"}, REMOTE_ADDR="203.0.113.1"
    )
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.content.decode()
    # nothing was tried, so nothing counts toward the accounts' lockout
    assert not AccessAttempt.objects.filter(username__in=["org_admin", "root"]).exists()


def test_a_phone_typed_as_username_never_reaches_the_log(world, caplog):
    with caplog.at_level("WARNING", logger="niangjia.security"):
        _staff_login(Client(), "13895270001", "secret-guess")
    assert "13895270001" not in caplog.text
    record = next(r for r in caplog.records if r.name == "niangjia.security")
    assert "13895270001" not in record.username
