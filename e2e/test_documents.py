"""Issue 4 journey: an officer computes a claim with a calculator inside a case, regenerates the
rider's mediation agreement and gets a PDF whose Chinese text is really drawn (rendered to PNG)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from e2e.helpers import RESULTS_DIR, login, screenshot
from niangjia.rights.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.demo_modules("rights")]


def test_compute_a_claim_and_print_the_mediation_agreement(page):
    login(page, "dwk_rights")

    # the worker's overtime case: compute an annual-leave claim with the calculator and keep it
    own = Case.objects.get(workers__person__name="田小军", employer_name="宁夏星河新材料有限公司")
    page.goto(f"/staff/rights/{own.pk}/")
    page.get_by_role("button", name="按计算器计算请求").click()
    with page.expect_navigation():
        page.get_by_role("link", name="未休年休假工资").click()
    expect(page.locator("#id_monthly_wage")).to_have_value("5220.00")  # from the earlier claim
    page.fill("#id_cumulative_work_years", "12")
    page.fill("#id_unused_days", "4")
    with page.expect_navigation():
        page.get_by_role("button", name="计算", exact=True).click()
    expect(page.locator("#result-amount")).to_contain_text("1,920.00")
    expect(page.locator("#compute-result")).to_contain_text("职工带薪年休假条例第五条")
    with page.expect_navigation():
        page.get_by_role("button", name="计算并保存为请求事项").click()
    claims = page.locator("#claims")
    expect(claims).to_contain_text("未休年休假工资")
    claims.locator("details.claim-basis summary", has_text="未休年休假工资").click()
    expect(claims).to_contain_text("累计工作年限")

    # the rider's mediated case: version 1 is signed; a new version never replaces it
    rider = Case.objects.get(category="injury", documents__kind="mediation_agreement")
    page.goto(f"/staff/rights/{rider.pk}/")
    panel = page.locator("#documents")
    expect(panel.locator("[data-document=mediation_agreement-1] .badge")).to_have_text("已签署")
    with page.expect_navigation():
        panel.locator("[data-generate=mediation_agreement]").click()
    expect(page.locator(".alert-success")).to_contain_text("生成调解协议书 第2版")
    v2 = panel.locator("[data-document=mediation_agreement-2]")
    expect(v2.locator(".badge")).to_have_count(0)
    expect(v2.locator("summary")).to_have_text("标记已签署")  # v2 may still be signed
    expect(panel.locator("[data-document=mediation_agreement-1] .badge")).to_have_text("已签署")
    expect(page.locator("#timeline")).to_contain_text("生成调解协议书 第2版")
    screenshot(page, "documents-case-panel")

    # the PDF the link serves: Chinese text extractable and the title drawn in ink
    href = v2.get_by_role("link", name="PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.body())
    first = pdf[0]
    textpage = first.get_textpage()
    text = textpage.get_text_range()
    assert "劳动争议调解协议书" in text
    assert "宁夏顺丰速运有限公司大武口分部" in text
    assert "78,000.00" in text
    assert "柒万捌仟元整" in text
    image = first.render(scale=2).to_pil()
    image.save(RESULTS_DIR / "documents-mediation-agreement-page1.png")
    gray = image.convert("L")
    width, height = gray.size
    band = gray.crop((int(width * 0.25), int(height * 0.09), int(width * 0.75), int(height * 0.15)))
    assert sum(band.histogram()[:128]) > 4500
    for obj in (textpage, first, pdf):
        obj.close()
