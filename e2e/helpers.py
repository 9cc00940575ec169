"""Helpers shared by the browser journeys."""

from __future__ import annotations

import re
from pathlib import Path

E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent / "test-results"
AXE_JS = E2E_DIR / "vendor" / "axe.min.js"
DEMO_PASSWORD = "demo-pass-2025"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to test-results/<name>.png (for people, not assertions)."""
    path = RESULTS_DIR / f"{slug(name)}.png"
    page.screenshot(path=path, full_page=True)
    return path


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def assert_assets_loaded(page) -> None:
    """The stylesheets applied and the scripts (Bootstrap, htmx) ran: a page not just its HTML."""
    state = page.evaluate(
        """() => ({
            sheets: [...document.styleSheets].map(s => {
                try { return [s.href, s.cssRules.length]; } catch (e) { return [s.href, -1]; }
            }),
            htmx: typeof window.htmx === "object" && typeof window.htmx.ajax === "function",
            bootstrap: typeof window.bootstrap === "object",
        })"""
    )
    empty = [href for href, rules in state["sheets"] if href and rules <= 0]
    assert len(state["sheets"]) >= 3, f"stylesheets missing: {state['sheets']}"
    assert not empty, f"stylesheets did not load: {empty}"
    assert state["htmx"], "htmx did not load (window.htmx is missing)"
    assert state["bootstrap"], "Bootstrap JS did not load (window.bootstrap is missing)"
