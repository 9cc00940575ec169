"""Issue 4 journey: dwk_rights takes a 12351 call from a known number, sees the caller's earlier
case beside the form, records the consultation (Enter saves, the timer fills the duration) and
turns it into a case with everything typed carried over."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import assert_assets_loaded, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.demo_modules("rights", "hotline")]

KNOWN_PHONE = "13895270001"  # worker_demo (田小军): a case in mediation, two earlier calls
# not the employer of his existing case: the same phone and employer within minutes would be
# taken for the same complaint sent twice and open that case instead
EMPLOYER = "石嘴山市恒达机械制造有限公司"
QUESTION = "换了新单位后又被拖欠两个月工资共9600元，老板说月底再说。"


def test_known_caller_recorded_and_converted(page):
    from niangjia.rights.models import Case

    earlier = Case.objects.get(
        workers__person__name="田小军", employer_name="宁夏星河新材料有限公司"
    )
    login(page, "dwk_rights")
    with page.expect_navigation():
        page.get_by_role("link", name="12351热线").first.click()
    assert page.url.endswith("/staff/hotline/")
    assert_assets_loaded(page)
    # the number is the first field and has the focus: the operator just types
    expect(page.locator("#id_caller_phone")).to_be_focused()
    page.keyboard.type(KNOWN_PHONE)
    panel = page.locator("#caller-panel")
    expect(panel.locator("#caller-cases")).to_contain_text(earlier.number)
    expect(panel.locator("#caller-cases")).to_contain_text("调解")
    expect(panel.get_by_role("link", name=earlier.number).first).to_have_attribute(
        "href", f"/staff/rights/{earlier.pk}/"
    )
    expect(panel.locator("#caller-calls")).to_contain_text("询问加班费案件的调解进展")
    screenshot(page, "hotline-known-caller")

    # tab order follows the call: name, employer, category, question, answer
    page.keyboard.press("Tab")
    expect(page.locator("#id_caller_name")).to_be_focused()
    page.keyboard.type("田小军")
    page.keyboard.press("Tab")
    page.keyboard.type(EMPLOYER)
    page.fill("#id_question", QUESTION)
    # the intake assistant reads the question and offers the category with the words behind it
    suggest = page.locator("#intake-suggest")
    expect(suggest).to_contain_text("接诉助手建议")
    expect(suggest).to_contain_text("9600.00")
    suggest.locator('[data-fill="id_category"]').click()
    expect(page.locator("#id_category")).to_have_value("wages")
    page.fill("#id_answer", "告知可登记维权案件，由工会协调用人单位支付。")
    page.wait_for_function("document.getElementById('id_duration').value !== '0:00'")
    expect(page.locator("#id_duration")).to_have_value(re.compile(r"^\d+:\d{2}$"))
    # Enter in the answer saves the record
    page.locator("#id_answer").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("已保存咨询记录")
    expect(page.locator("#id_caller_phone")).to_have_value("")  # ready for the next call
    with page.expect_navigation():
        page.locator(".alert-success").get_by_role("link", name="查看").click()
    expect(page.locator("#record")).to_contain_text("138****0001")
    expect(page.locator("#record")).to_contain_text(QUESTION)

    # one click turns it into a case and lands on the case page
    with page.expect_navigation():
        page.get_by_role("button", name="转为案件").click()
    assert re.search(r"/staff/rights/\d+/$", page.url), page.url
    main = page.locator("main")
    expect(main).to_contain_text("已转为案件")
    expect(main).to_contain_text(QUESTION)
    expect(main).to_contain_text(EMPLOYER)
    expect(main).to_contain_text("田小军")
    expect(main).to_contain_text("12351热线")
    expect(page.locator("#case-stage")).to_have_text("登记")
    screenshot(page, "hotline-converted-case")
    new_case = Case.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert new_case.pk != earlier.pk
    assert new_case.source == "hotline"
    assert new_case.consultations.get().outcome == "converted_to_case"

    # the desk now shows both cases for the number
    page.goto("/staff/hotline/")
    page.fill("#id_caller_phone", KNOWN_PHONE)
    expect(page.locator("#caller-cases")).to_contain_text(new_case.number)
    expect(page.locator("#caller-cases")).to_contain_text(earlier.number)
