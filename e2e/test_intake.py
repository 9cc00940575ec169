"""Intake assistant journey: dwk_rights pastes a WeChat complaint, sees each suggestion with the
words it rests on, corrects the employer, saves the review and registers the case pre-filled."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import assert_assets_loaded, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.demo_modules("rights", "intake")]

TEXT = (
    "我们班组二十多人在宏达建筑有限公司第三项目部干了大半年，老板欠了我们十四万元工资，"
    "春节前再不给钱，有人说要爬塔吊"
)


def test_paste_review_correct_and_register(page):
    login(page, "dwk_rights")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="接诉助手").click()
    expect(page.get_by_role("heading", name="接诉助手")).to_be_visible()
    page.fill("#id_text", TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name="分析").click()

    # the words behind each suggestion are highlighted and cited
    assert_assets_loaded(page)
    expect(page.locator("#complaint-text mark.hl-amounts")).to_have_text("十四万元")
    expect(page.locator("#complaint-text mark.hl-employer")).to_have_text(
        "宏达建筑有限公司第三项目部"
    )
    expect(page.locator("#id_category")).to_have_value("wages")
    expect(page.locator("#id_amounts")).to_have_value("140000.00")
    expect(page.locator("#id_workers_count")).to_have_value("20")
    expect(page.locator("#id_urgency")).to_have_value("high")
    expect(page.locator("#row-workers_count .reasons")).to_contain_text("约数")
    expect(page.locator("#row-signals .reasons")).to_contain_text("爬塔吊")
    screenshot(page, "intake-review")

    # the operator corrects the employer and the head count, keeps the rest
    page.fill("#id_employer", "宁夏宏达建筑有限公司")
    page.fill("#id_workers_count", "23")
    with page.expect_navigation():
        page.click("#save-review")
    expect(page.get_by_role("alert").first).to_contain_text("核对结果已保存")
    expect(page.locator("#row-employer .badge")).to_have_text("已更正")
    expect(page.locator("#row-category .badge")).to_have_text("已采纳")

    # 据此登记案件 opens the case form with the confirmed values
    with page.expect_navigation():
        page.click("#register-case")
    expect(page).to_have_url(re.compile(r"/staff/rights/new/\?"))
    expect(page.locator("#id_employer_name")).to_have_value("宁夏宏达建筑有限公司")
    expect(page.locator("#id_category")).to_have_value("wages")
    expect(page.locator("#id_claim_kind")).to_have_value("wages")
    expect(page.locator("#id_claim_amount")).to_have_value("140000.00")
    page.select_option("#id_source", "hotline")
    page.fill("#id_workers", "马建军 13895270123")
    page.fill("#id_facts", TEXT)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("body")).to_contain_text("已登记案件")
    screenshot(page, "intake-case-registered")
