"""#11 §2: API tokens (django-rest-knox) are stored hashed, expire, are listed and revoked by
their owner, and all die when the password changes. The contract is unchanged:
POST /api/v1/auth/token/ {"username", "password"} → {"token"}, then `Authorization: Token …`."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient


def _token(username="rights_officer", password="pw") -> str:  # noqa: S107
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_api_tokens_are_stored_hashed_never_in_clear(world):
    token = _token()
    row = AuthToken.objects.get(user=world.users["rights_officer"])
    stored = " ".join(str(v) for v in AuthToken.objects.values_list().get())
    assert token not in stored
    assert len(row.digest) == 128
    assert _client(token).get("/api/v1/me/").status_code == 200


def test_the_old_plaintext_token_table_is_gone(world):
    assert "authtoken_token" not in connection.introspection.table_names()


def test_each_sign_in_issues_its_own_token(world):
    first, second = _token(), _token()
    assert first != second
    assert _client(first).get("/api/v1/me/").status_code == 200
    assert _client(second).get("/api/v1/me/").status_code == 200


def test_an_api_token_expires_after_the_idle_lifetime(world):
    token = _token()
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = _client(token).get("/api/v1/me/")
    assert response.status_code == 401
    assert not AuthToken.objects.exists()


def test_using_a_token_extends_it_but_never_past_the_maximum_lifetime(world, settings):
    token = _token()
    now = timezone.now()
    idle, most = settings.API_TOKEN_IDLE_TTL, settings.API_TOKEN_MAX_TTL
    assert AuthToken.objects.get().expiry <= now + idle + datetime.timedelta(minutes=1)
    # issued long ago, used now: the expiry moves to issue + maximum, not now + idle
    AuthToken.objects.update(
        created=now - most + datetime.timedelta(days=1), expiry=now + datetime.timedelta(hours=1)
    )
    assert _client(token).get("/api/v1/me/").status_code == 200
    expiry = AuthToken.objects.get().expiry
    assert now + datetime.timedelta(hours=23) < expiry < now + datetime.timedelta(days=1, hours=1)
    # a recent token used now: now + idle
    AuthToken.objects.update(created=now, expiry=now + datetime.timedelta(hours=1))
    assert _client(token).get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.get().expiry > now + idle - datetime.timedelta(minutes=1)


def test_the_owner_lists_tokens_without_their_text(world):
    first, second = _token(), _token()
    response = _client(first).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 2
    assert [r["current"] for r in rows].count(True) == 1
    assert first not in response.content.decode() and second not in response.content.decode()
    assert {len(r["id"]) for r in rows} == {16}


def test_the_owner_revokes_one_token(world):
    first, second = _token(), _token()
    listed = _client(first).get("/api/v1/auth/tokens/").json()
    other = next(r["id"] for r in listed if not r["current"])
    assert _client(first).delete(f"/api/v1/auth/tokens/{other}/").status_code == 204
    assert _client(second).get("/api/v1/me/").status_code == 401
    assert _client(first).get("/api/v1/me/").status_code == 200


def test_nobody_revokes_another_users_token(world):
    mine = _token("rights_officer")
    theirs = _token("care_officer")
    their_id = _client(theirs).get("/api/v1/auth/tokens/").json()[0]["id"]
    response = _client(mine).delete(f"/api/v1/auth/tokens/{their_id}/")
    assert response.status_code == 404
    assert AuthToken.objects.filter(user=world.users["care_officer"]).count() == 1
    assert _client(theirs).get("/api/v1/me/").status_code == 200


def test_the_owner_revokes_all_their_tokens(world):
    first, second = _token(), _token()
    other = _token("care_officer")
    assert _client(first).delete("/api/v1/auth/tokens/").status_code == 204
    assert _client(second).get("/api/v1/me/").status_code == 401
    assert _client(other).get("/api/v1/me/").status_code == 200


def test_a_password_change_revokes_every_api_token(world):
    token = _token()
    user = world.users["rights_officer"]
    user.set_password("a-new-long-passphrase-2026")
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert _client(token).get("/api/v1/me/").status_code == 401


def test_saving_a_user_without_a_new_password_keeps_the_tokens(world):
    token = _token()
    user = world.users["rights_officer"]
    user.refresh_from_db()
    user.first_name = "改名"
    user.save()
    assert _client(token).get("/api/v1/me/").status_code == 200


def test_tokens_per_user_are_capped(world, settings):
    settings.API_TOKEN_MAX_PER_USER = 3
    issued = [_token() for _ in range(5)]
    assert AuthToken.objects.filter(user=world.users["rights_officer"]).count() == 3
    assert _client(issued[0]).get("/api/v1/me/").status_code == 401
    assert _client(issued[-1]).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("header", ["Token nonsense", "Token abc def", "Token"])
def test_a_bad_token_is_a_401_in_chinese(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
