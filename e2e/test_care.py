"""送温暖 journey: tj_care creates a campaign, imports a list (two bad rows shown, fixed,
imported), records a hand-out with a signature receipt, is refused a duplicate, and the figures
page and the exported Excel agree with the database."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.db.models import Count, Sum
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from e2e.helpers import login, screenshot
from niangjia.care.models import Campaign, Distribution
from niangjia.core.demo import fake_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.demo_modules("care")]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)
HEADER = ["姓名", "身份证号码", "手机号码", "类别", "工作单位", "慰问项目", "数量", "金额"]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(page, campaign_pk: int, data: bytes) -> None:
    page.goto(f"/staff/care/{campaign_pk}/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": data}],
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_care_officer_runs_a_campaign_end_to_end(page):
    login(page, "tj_care")
    page.locator("#mainnav .nav-link", has_text="送温暖").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("送温暖活动")

    # create a campaign, add items, start it
    page.click("text=新建活动")
    page.fill("#id_name", "第二大街快递站点新春慰问")
    page.fill("#id_starts_on", "2026-12-01")
    page.fill("#id_ends_on", "2027-01-31")
    page.fill("#id_budget_amount", "50000")
    page.check("#id_target_groups_1")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#campaign-status")).to_have_text("筹备中")
    campaign = Campaign.objects.get(name="第二大街快递站点新春慰问")
    for name, kind, value in [("新春礼包", "gift", "200"), ("困难慰问金", "cash", "1000")]:
        page.fill("#id_name", name)
        page.select_option("#id_kind", kind)
        page.fill("#id_unit_value", value)
        with page.expect_navigation():
            page.click(
                "#items + .card-body button[type=submit], .card-body form button:has-text('添加')"
            )
    with page.expect_navigation():
        page.click("text=启动活动")
    expect(page.locator("#campaign-status")).to_have_text("进行中")

    # an Excel list with two bad rows: both reported with their row numbers, nothing saved
    rng = random.Random(99)
    ids = [fake_resident_id(rng, "120116") for _ in range(5)]
    bad_id = ids[1][:-1] + ("0" if ids[1][-1] != "0" else "1")
    rows = [
        ["赵一", ids[0], "13912340001", "新就业形态劳动者", "", "新春礼包", 1, None],
        ["钱二", bad_id, "13912340002", "一线职工", "", "新春礼包", 1, None],
        ["孙三", ids[2], "13912340003", "一线职工", "", "新春礼包", 1, None],
        ["李四", ids[3], "13912340004", "快递小哥", "", "新春礼包", 1, None],
        ["周五", ids[4], "13912340005", "困难职工", "", "困难慰问金", 1, 800],
    ]
    upload(page, campaign.pk, xlsx(rows))
    expect(page.locator("#import-state")).to_have_text("校验未通过")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("校验位不正确")
    expect(errors.nth(1)).to_contain_text("5")
    expect(errors.nth(1)).to_contain_text("类别“快递小哥”无效")
    screenshot(page, "care-import-errors")
    assert not Distribution.objects.filter(campaign=campaign).exists()

    rows[1][1] = ids[1]
    rows[3][3] = "新就业形态劳动者"
    upload(page, campaign.pk, xlsx(rows))
    expect(page.locator("#import-state")).to_have_text("已完成")
    expect(page.locator("#import-status")).to_contain_text("新增 5 条发放记录")
    assert Distribution.objects.filter(campaign=campaign).count() == 5

    # a hand-out with a signature receipt, then the same again: refused in Chinese
    def hand_out():
        page.goto(f"/staff/care/{campaign.pk}/distribute/")
        page.fill("#id_id_number", ids[0])
        page.select_option("#id_item", label="困难慰问金")
        page.fill("#id_amount", "600")
        page.check("#id_receipt_kind_0")
        page.set_input_files(
            "#id_signature", files=[{"name": "sign.png", "mimeType": "image/png", "buffer": PNG}]
        )
        with page.expect_navigation():
            page.click("#distribution-form button[type=submit]")

    hand_out()
    expect(page.locator("#receipt")).to_contain_text("已签收")
    expect(page.locator("#receipt img")).to_be_visible()
    hand_out()
    expect(page.locator("#distribution-form")).to_contain_text(
        "赵一 已在本活动中领取过“困难慰问金”，不能重复发放"
    )
    screenshot(page, "care-duplicate-refused")
    live = Distribution.objects.filter(campaign=campaign, voided_at__isnull=True)
    assert live.count() == 6

    # the figures page and the exported Excel agree with the database
    scan = live.aggregate(
        n=Count("pk"), people=Count("person", distinct=True), amount=Sum("amount")
    )
    page.goto(f"/staff/care/{campaign.pk}/figures/")
    expect(page.locator("#fig-persons")).to_have_text(str(scan["people"]))
    expect(page.locator("#fig-times")).to_have_text(str(scan["n"]))
    expect(page.locator("#chart-items canvas")).to_have_count(1)
    screenshot(page, "care-figures")
    with page.expect_download() as info:
        page.click("#export-link")
    wb = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert wb.sheetnames == ["汇总", "新春礼包", "困难慰问金"]
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["慰问人数（人）"] == scan["people"] == 5
    assert summary["慰问人次（人次）"] == scan["n"] == 6
    assert summary["支出（元）"] == float(scan["amount"]) == 4 * 200 + 800 + 600
    for item in ("新春礼包", "困难慰问金"):
        details = [r for r in wb[item].iter_rows(min_row=3, values_only=True) if r[0] != "合计"]
        assert len(details) == live.filter(item__name=item).count()
    expect(page).to_have_url(re.compile(r"/figures/$"))
