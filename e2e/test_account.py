"""#11 §2 acceptance: a staff member's own account from the menu (我的账号): issue an API
token shown once, use it, revoke it; change the password; the login lockout's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import login, screenshot

pytestmark = pytest.mark.browser


def test_api_tokens_from_the_account_menu(page, live_server):
    login(page, "dwk_rights")
    page.get_by_role("button", name="我的账号").click()
    page.get_by_role("link", name="我的API令牌").click()
    expect(page).to_have_url(re.compile(r"/staff/tokens/$"))
    expect(page.locator("#no-tokens")).to_be_visible()
    page.get_by_role("button", name="生成新令牌").click()
    token = page.locator("#issued-token code").inner_text().strip()
    assert len(token) == 64
    screenshot(page, "account-tokens")
    me = page.request.get(
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {token}"}
    )
    assert me.status == 200
    assert me.json()["username"] == "dwk_rights"
    page.reload()
    expect(page.locator("#issued-token")).to_have_count(0)  # shown once
    page.get_by_role("button", name="撤销", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("令牌已撤销")
    me = page.request.get(
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {token}"}
    )
    assert me.status == 401


def test_password_change_from_the_account_menu(page):
    login(page, "szs_rights")
    page.get_by_role("button", name="我的账号").click()
    page.get_by_role("link", name="修改密码").click()
    page.fill("#id_old_password", "demo-pass-2025")
    page.fill("#id_new_password1", "12345678")
    page.fill("#id_new_password2", "12345678")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.fill("#id_old_password", "demo-pass-2025")
    page.fill("#id_new_password1", "a-long-new-passphrase-2026")
    page.fill("#id_new_password2", "a-long-new-passphrase-2026")
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("alert").first).to_contain_text("密码已修改")


def test_the_lockout_page_after_ten_wrong_passwords(page):
    for i in range(10):
        login(page, "dwk_court", f"wrong-{i}")
    expect(page.locator("#lockout-message")).to_contain_text("登录失败次数过多")
    login(page, "dwk_court")  # the right password, still refused
    expect(page.locator("#lockout-message")).to_contain_text("15 分钟")
    expect(page).to_have_url(re.compile(r"/staff/login/$"))
    screenshot(page, "account-lockout")
