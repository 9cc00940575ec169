"""Browser journey for the statutory calculators: a worker on a phone (375 px) computes a grade-9
work-injury benefit on the H5 page, reads how it was computed, and files the pre-filled complaint."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import assert_assets_loaded, screenshot

pytestmark = pytest.mark.browser


def test_worker_computes_a_grade_9_injury_benefit_and_files_a_prefilled_complaint(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    page.locator("a.h5-entry", has_text="维权计算器").click()
    expect(page).to_have_url(re.compile(r"/rights/calculators/$"))
    page.get_by_role("link", name=re.compile("工伤待遇")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("工伤待遇")
    assert_assets_loaded(page)

    page.select_option("#id_disability_grade", "9")
    page.fill("#id_monthly_wage", "6000")
    page.fill("#id_regional_average_monthly_wage", "8000")
    with page.expect_navigation():
        page.get_by_role("button", name="计算").click()
    expect(page.locator("#result-amount")).to_have_text("54,000.00 元")
    result = page.locator("#result")
    expect(result).to_contain_text("9级伤残，一次性伤残补助金 = 9个月 × 本人工资 6,000.00 元")
    expect(result).to_contain_text("工伤保险条例第三十七条")
    expect(result).to_contain_text("九级伤残为9个月的本人工资")  # the article's text, opened
    # mobile-first: nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "calculators-a-work-injury-result-375")

    with page.expect_navigation():
        page.get_by_role("link", name="向工会反映").click()
    expect(page).to_have_url(re.compile(r"/rights/complaint/\?category=injury&amount=54000\.00&"))
    expect(page.locator("#id_amount")).to_have_value("54000.00")
    expect(page.locator("#id_category")).to_have_value("injury")
    expect(page.locator("#id_facts")).to_have_value(re.compile("9级伤残.*54,000.00 元"))

    page.fill("#id_name", "马小军")
    page.fill("#id_phone", "13995123456")
    page.select_option("#id_org", label="大武口区总工会")
    page.fill("#id_employer_name", "石嘴山某建材有限公司")
    page.check("#id_consent")  # separate consent to sensitive personal information (#11)
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已收到您的反映")
    expect(page.locator("#case-number")).to_have_text(re.compile(r"\S{6,}"))
    screenshot(page, "calculators-b-complaint-filed-375")

    from niangjia.rights.models import Case

    case = Case.objects.get(number=page.locator("#case-number").inner_text().strip())
    assert case.category == "injury"
    assert "9级伤残" in case.facts
    assert [str(c.amount) for c in case.claims.all()] == ["54000.00"]
