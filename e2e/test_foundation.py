"""Acceptance journeys for the foundation: sign-in and role, language switch, record history and
scope, htmx, and an axe-core accessibility check of the pages anyone can reach."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import AXE_JS, RESULTS_DIR, assert_assets_loaded, login, screenshot
from niangjia.orgs.models import Enterprise, Person

pytestmark = pytest.mark.browser

NOT_COMPILED = "translation missing: are the .mo files compiled? (`make translations`)"


def nav_link(page, label: str):
    return page.locator("#mainnav .nav-link", has_text=label)


def test_staff_login_lands_on_workbench_with_role(page):
    login(page, "dwk_rights", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(re.compile(r"/staff/login/$"))

    login(page, "dwk_rights")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page).to_have_title(re.compile(r"^工作台 · 职工娘家"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("马文静，您好")
    roles = page.locator("section[aria-labelledby=roles-title] li")
    expect(roles).to_have_count(1)
    expect(roles).to_have_text("维权干部 · 大武口区总工会")
    expect(page.locator("#current-role")).to_have_text("维权干部 · 大武口区总工会")
    for label in ("组织", "企业", "人员"):
        expect(nav_link(page, label)).to_be_visible()
    # the numbers are the 大武口 subtree's, not the country's: 10 enterprises, 7 with a union
    expect(page.locator(".stat-card", has_text="企业（已建会）")).to_contain_text("10 (7)")
    assert_assets_loaded(page)
    screenshot(page, "a-workbench-dwk_rights")


def test_language_switch_to_traditional_and_english(page):
    login(page, "dwk_rights")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")

    with page.expect_navigation():
        page.select_option("#language-select", "zh-hant")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(html).to_have_attribute("lang", "zh-hant")
    expect(page.locator("#language-select")).to_have_value("zh-hant")
    screenshot(page, "b-workbench-zh-hant")
    expect(page, NOT_COMPILED).to_have_title(re.compile(r"^工作台 · "))
    expect(nav_link(page, "組織"), NOT_COMPILED).to_be_visible()
    expect(nav_link(page, "企業"), NOT_COMPILED).to_be_visible()

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(html).to_have_attribute("lang", "en")
    screenshot(page, "b-workbench-en")
    for label in ("Organisations", "Enterprises", "People"):
        expect(nav_link(page, label), NOT_COMPILED).to_be_visible()

    # the choice sticks across pages, and switching back restores the source language
    page.goto("/staff/orgs/enterprises/")
    expect(html).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    expect(page).to_have_url(re.compile(r"/staff/orgs/enterprises/$"))
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("企业")


def test_public_home_language_switch(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_assets_loaded(page)
    screenshot(page, "b-public-home-zh-hans")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    screenshot(page, "b-public-home-en")


def test_edit_enterprise_shows_in_history(page):
    login(page, "dwk_rights")
    nav_link(page, "企业").click()
    expect(page).to_have_url(re.compile(r"/staff/orgs/enterprises/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("企业")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(10)  # the 大武口 subtree only
    expect(page.locator("main table")).not_to_contain_text("石家庄")
    screenshot(page, "c-enterprise-list")

    page.get_by_role("link", name="宁夏星河新材料有限公司").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("宁夏星河新材料有限公司")
    expect(page.locator("main dl")).to_contain_text("职工 420 人")

    page.get_by_role("link", name="编辑").click()
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/edit/$"))
    employees = page.get_by_label("职工人数")
    expect(employees).to_have_value("420")
    employees.fill("421")
    screenshot(page, "c-enterprise-edit")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/enterprises/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    expect(page.locator("main dl")).to_contain_text("职工 421 人")
    history = page.locator("#history")
    expect(history.get_by_role("heading")).to_have_text("变更记录")
    newest = history.locator("tbody tr").first
    expect(newest.locator("td").nth(1)).to_have_text("dwk_rights")
    expect(newest.locator("td").nth(3)).to_contain_text("职工人数：420 → 421")
    screenshot(page, "c-enterprise-history")


def test_enterprise_outside_scope_is_404(page):
    other = Enterprise.objects.get(name="石家庄华北精工制造有限公司")  # 河北, not 宁夏
    login(page, "dwk_rights")
    base = f"/staff/orgs/enterprises/{other.pk}/"
    for url in (base, f"{base}edit/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, f"{url} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
        expect(page.locator("body")).not_to_contain_text(other.name)
    screenshot(page, "c-outsider-404")


def test_reveal_person_with_htmx(page):
    """The one htmx button: revealing an ID number swaps the fragment in place and is logged."""
    person = Person.objects.filter(org__name="泰达快递物流联合工会").order_by("pk").first()
    login(page, "tj_care")
    page.goto(f"/staff/orgs/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.name)
    expect(page.locator("#id-number")).to_have_text(person.id_number_masked)
    page.evaluate("window.__still_same_page = true")

    page.get_by_role("button", name=re.compile("显示完整信息")).click()
    expect(page.locator("#id-number")).to_have_text(person.id_number)
    expect(page.locator("#phone")).to_have_text(person.phone)
    assert page.evaluate("window.__still_same_page") is True, "the reveal reloaded the page"
    screenshot(page, "e-person-revealed")

    page.reload()
    expect(page.locator("#id-number")).to_have_text(person.id_number_masked)
    # "who looked at my file" is for data-protection duty (union admins), not the care officer
    expect(page.locator("section[aria-labelledby=access-title]")).to_have_count(0)
    page.context.clear_cookies()
    login(page, "admin")
    page.goto(f"/staff/orgs/people/{person.pk}/")
    page.get_by_role("link", name=re.compile("谁查看了本人档案")).click()
    expect(page.locator("#access-log tbody tr").first).to_contain_text("admin")  # newest first
    expect(page.locator("#access-log")).to_contain_text("tj_care")
    expect(page.locator("#access-log")).to_contain_text("显示完整信息")
    screenshot(page, "e-person-access-log")


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("url", ["/", "/staff/login/"])
def test_accessibility_axe(page, url):
    # an init script runs through the browser's debugging protocol: the site's CSP (no inline
    # script) rightly refuses a <script> tag with axe's source added to the page
    page.add_init_script(path=str(AXE_JS))
    page.goto(url)
    results = page.evaluate("axe.run()")
    violations = results["violations"]
    name = "d-axe-" + (url.strip("/").replace("/", "-") or "home")
    (RESULTS_DIR / f"{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    screenshot(page, name)
    blocking = [v for v in violations if v["impact"] in {"serious", "critical"}]
    minor = [v for v in violations if v not in blocking]
    if minor:
        print(f"axe on {url}, minor/moderate (not failing):\n{_format_violations(minor)}")  # noqa: T201
    if blocking:
        pytest.fail(
            f"{len(blocking)} serious/critical accessibility violation(s) on {url}:\n"
            + _format_violations(blocking),
            pytrace=False,
        )
