"""Issue 3 journey: a worker's online complaint through mediation, the court's judicial
confirmation and the recovered money, back to the worker's own lookup."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.demo_modules("rights")]

PHONE = "13895279999"


def _open_action(page, label: str):
    details = page.locator("details", has=page.locator("summary", has_text=label)).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _submit_action(page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[data-action={action}] button[type=submit]").click()


def test_complaint_to_closed_case_with_the_court(page, browser, live_server):
    # a worker files a complaint on the H5 form
    worker = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 800}
    )
    h5 = worker.new_page()
    h5.goto("/rights/complaint/")
    h5.fill("#id_name", "韩立明")
    h5.fill("#id_phone", PHONE)
    h5.select_option("#id_org", label="大武口区总工会")
    h5.fill("#id_employer_name", "石嘴山市恒达机械制造有限公司")
    h5.select_option("#id_category", "wages")
    h5.fill("#id_workers_count", "1")
    h5.fill("#id_amount", "18600")
    h5.fill("#id_facts", "2026年8月至10月工资未发，共18600元。")
    h5.check("#id_consent")  # separate consent to sensitive personal information (#11)
    with h5.expect_navigation():
        h5.click("main form button[type=submit]")
    number = h5.locator("#case-number").inner_text().strip()
    assert re.fullmatch(r"大武口维〔\d{4}〕\d{4}号", number)
    screenshot(h5, "rights-complaint-done")

    # dwk_rights accepts it, mediates, shares it with the court to act on
    login(page, "dwk_rights")
    page.goto(f"/staff/rights/?q={number}")
    with page.expect_navigation():
        page.get_by_role("link", name=number).click()
    _submit_action(page, "accept")  # the first action is open
    expect(page.locator("#case-stage")).to_have_text("已受理")
    _open_action(page, "进入调解")
    _submit_action(page, "mediate")
    expect(page.locator("#case-stage")).to_have_text("调解")
    page.select_option("#id_share-agency", label="大武口区人民法院")
    page.select_option("#id_share-access", "act")
    with page.expect_navigation():
        page.get_by_role("button", name="共享/移交").click()
    expect(page.locator("#shares")).to_contain_text("大武口区人民法院")
    _open_action(page, "录入调解协议")
    page.fill("#id_agreement-terms", "企业于一周内一次性支付拖欠工资")
    page.fill("#id_agreement-amount", "18600")
    page.fill("#id_agreement-signed_on", "2026-11-20")
    with page.expect_navigation():
        page.get_by_role("button", name="保存协议").click()
    expect(page.locator("#deadlines")).to_contain_text("司法确认")
    case_url = page.url

    # dwk_court sees it — only cases shared with the court — and records judicial confirmation
    court = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    court_page = court.new_page()
    login(court_page, "dwk_court")
    court_page.goto("/staff/rights/")
    rows = court_page.locator("table tbody tr")
    expect(court_page.get_by_role("link", name=number)).to_be_visible()
    for link in court_page.locator("table tbody tr a").all():
        court_page_case = link.get_attribute("href")
        assert court_page_case.startswith("/staff/rights/")
    assert rows.count() >= 1
    with court_page.expect_navigation():
        court_page.get_by_role("link", name=number).click()
    expect(court_page.locator("main")).to_contain_text("您以“大武口区人民法院”的身份查看此共享案件")
    expect(court_page.locator("#actions-title")).to_have_count(0)  # no stage changes for the court
    court_page.select_option("#id_act-kind", "judicial_confirmation")
    court_page.fill("#id_act-on", "2026-11-24")
    court_page.fill("#id_act-document_number", "（2026）宁0202民特88号")
    with court_page.expect_navigation():
        court_page.get_by_role("button", name="记录", exact=True).click()
    expect(court_page.locator("#timeline")).to_contain_text("大武口区人民法院：司法确认")
    screenshot(court_page, "rights-court-confirmed")
    # a case not shared with the court is a 404 for it
    court_page.goto("/staff/rights/")
    court.close()

    # the officer records the money and closes
    page.goto(case_url)
    expect(page.locator("#timeline")).to_contain_text("司法确认")
    page.fill("#id_recovery-amount", "18600")
    page.fill("#id_recovery-on", "2026-11-26")
    page.fill("#id_recovery-payer", "石嘴山市恒达机械制造有限公司")
    with page.expect_navigation():
        page.locator("#recovery-form button[type=submit]").click()
    expect(page.locator("#amount-recovered")).to_have_text("18,600.00 元")
    _open_action(page, "结案")
    page.select_option("form[data-action=close] select[name=outcome]", "mediated")
    _submit_action(page, "close")
    expect(page.locator("#case-stage")).to_have_text("已结案")
    expect(page.locator("#case-outcome")).to_have_text("调解成功")
    screenshot(page, "rights-case-closed")

    # the worker's lookup shows "closed" with the amount
    h5.goto("/rights/lookup/")
    h5.fill("#id_number", number)
    h5.fill("#id_phone", PHONE)
    with h5.expect_navigation():
        h5.click("main form button[type=submit]")
    expect(h5.locator("#lookup-stage")).to_have_text("已结案")
    expect(h5.locator("#lookup-amount")).to_have_text("18600.00")
    screenshot(h5, "rights-lookup-closed")
    worker.close()


def test_the_court_sees_only_cases_shared_with_it(page):
    from niangjia.rights.models import Case

    login(page, "dwk_court")
    page.goto("/staff/rights/")
    shown = {a.inner_text() for a in page.locator("table tbody tr a").all()}
    shared = set(
        Case.objects.filter(
            shares__agency__name="大武口区人民法院", shares__returned_at__isnull=True
        )
        .values_list("number", flat=True)
        .distinct()
    )
    assert shown
    assert shown <= shared
    unshared = Case.objects.exclude(
        pk__in=Case.objects.filter(shares__agency__name="大武口区人民法院")
    ).first()
    response = page.goto(f"/staff/rights/{unshared.pk}/")
    assert response.status == 404
