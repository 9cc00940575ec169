"""#11 §2: staff change their own password (validators on) and manage their API tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from niangjia.core import tokens


@pytest.fixture
def officer(world):
    client = Client()
    client.force_login(world.users["rights_officer"])
    return client


def test_the_staff_menu_links_to_password_and_tokens(officer):
    page = officer.get("/staff/").content.decode()
    assert 'href="/staff/password/"' in page
    assert 'href="/staff/tokens/"' in page


def test_staff_change_their_own_password(officer, world):
    response = officer.post(
        "/staff/password/",
        {
            "old_password": "pw",
            "new_password1": "a-long-new-passphrase-2026",
            "new_password2": "a-long-new-passphrase-2026",
        },
    )
    assert response.status_code == 302
    user = world.users["rights_officer"]
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase-2026")
    # the session that changed it stays signed in
    assert officer.get("/staff/").status_code == 200


def test_a_weak_new_password_is_refused_in_chinese_and_nothing_changes(officer, world):
    response = officer.post(
        "/staff/password/",
        {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "密码" in text and ("常见" in text or "数字" in text)
    world.users["rights_officer"].refresh_from_db()
    assert world.users["rights_officer"].check_password("pw")


def test_a_wrong_old_password_changes_nothing(officer, world):
    response = officer.post(
        "/staff/password/",
        {
            "old_password": "nope",
            "new_password1": "a-long-new-passphrase-2026",
            "new_password2": "a-long-new-passphrase-2026",
        },
    )
    assert response.status_code == 200
    world.users["rights_officer"].refresh_from_db()
    assert world.users["rights_officer"].check_password("pw")


def test_changing_the_password_on_the_page_revokes_the_api_tokens(officer, world):
    _row, text = tokens.token_issue(user=world.users["rights_officer"])
    officer.post(
        "/staff/password/",
        {
            "old_password": "pw",
            "new_password1": "a-long-new-passphrase-2026",
            "new_password2": "a-long-new-passphrase-2026",
        },
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=world.users["rights_officer"]).exists()


def test_the_demo_password_still_signs_in(world):
    from django.conf import settings

    user = world.users["care_officer"]
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    client = Client()
    response = client.post(
        "/staff/login/", {"username": "care_officer", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_the_token_page_issues_a_token_once_and_lists_it(officer, world):
    response = officer.post("/staff/tokens/")
    assert response.status_code == 302  # a reload of the list does not issue another
    text = officer.get(response["Location"]).content.decode()
    row = AuthToken.objects.get(user=world.users["rights_officer"])
    issued = text.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    assert issued.startswith(row.token_key)
    assert tokens.token_id(row) in text
    again = officer.get("/staff/tokens/").content.decode()
    assert issued not in again
    assert tokens.token_id(row) in again


def test_the_token_page_revokes_own_tokens_only(officer, world):
    mine, _ = tokens.token_issue(user=world.users["rights_officer"])
    theirs, _ = tokens.token_issue(user=world.users["care_officer"])
    response = officer.post(f"/staff/tokens/{tokens.token_id(theirs)}/revoke/")
    assert response.status_code == 302
    assert AuthToken.objects.filter(digest=theirs.digest).exists()
    officer.post(f"/staff/tokens/{tokens.token_id(mine)}/revoke/")
    assert not AuthToken.objects.filter(digest=mine.digest).exists()


def test_the_token_page_revokes_all(officer, world):
    tokens.token_issue(user=world.users["rights_officer"])
    tokens.token_issue(user=world.users["rights_officer"])
    theirs, _ = tokens.token_issue(user=world.users["care_officer"])
    officer.post("/staff/tokens/revoke-all/")
    assert not AuthToken.objects.filter(user=world.users["rights_officer"]).exists()
    assert AuthToken.objects.filter(digest=theirs.digest).exists()


def test_the_account_pages_need_a_login(world):
    client = Client()
    for url in ("/staff/password/", "/staff/tokens/"):
        assert client.get(url).status_code == 302
    client.post("/staff/tokens/")
    assert not AuthToken.objects.exists()


def test_wrong_old_passwords_count_toward_the_lockout_and_nothing_changes(officer, world):
    """A borrowed session cannot guess the old password forever: misses on the change page
    count toward the account's lockout, which then refuses the page and the login alike."""
    for i in range(10):
        officer.post(
            "/staff/password/",
            {"old_password": f"guess-{i}", "new_password1": "a-long-new-passphrase-2026",
             "new_password2": "a-long-new-passphrase-2026"},
        )  # fmt: skip
    response = officer.post(
        "/staff/password/",
        {"old_password": "pw", "new_password1": "a-long-new-passphrase-2026",
         "new_password2": "a-long-new-passphrase-2026"},
    )  # fmt: skip
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    world.users["rights_officer"].refresh_from_db()
    assert world.users["rights_officer"].check_password("pw")
    login = Client().post("/staff/login/", {"username": "rights_officer", "password": "pw"})
    assert login.status_code == 429
