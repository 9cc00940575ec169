"""Browser journeys: real Chromium (Debian's, via Playwright) against pytest-django's live server.

Every test here is marked `browser`. Without Chromium the journeys are skipped with the reason,
except under CI (env CI) or REQUIRE_BROWSER=1, where a missing browser fails the run.

Each test gets a fresh browser context (no cookies, zh-CN Accept-Language) and the demo world
loaded into the test database (the live server flushes the database after every test).
Screenshots go to test-results/ (gitignored); a failing test also leaves a screenshot and the HTML.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from e2e.helpers import E2E_DIR, RESULTS_DIR, slug

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made from that
# thread (fixtures, database flush) would otherwise raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in {"", "0", "false", "no", "off"}


def browser_required() -> bool:
    return _truthy("CI") or _truthy("REQUIRE_BROWSER")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # lets the page fixture see a failed test
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    found = shutil.which(path)
    if found is None:
        reason = (
            f"Chromium not found at {path!r}: install Debian's chromium and fonts-noto-cjk "
            "(apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH"
        )
        if browser_required():
            pytest.fail(f"{reason}; CI/REQUIRE_BROWSER=1 requires the browser journeys")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    RESULTS_DIR.mkdir(exist_ok=True)
    for stale in RESULTS_DIR.glob("FAILED-*"):
        stale.unlink()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(request, transactional_db, settings):
    """The demo world (orgs, enterprises, people, demo accounts) in the test database.

    A fast password hasher for the test only: the demo creates a dozen accounts, and both the
    loader and the live server's login check read the same settings object."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # the live server empties the database after each test, so each journey loads what it uses:
    # the org world, plus the modules named by @pytest.mark.demo_modules("rights", …)
    marker = request.node.get_closest_marker("demo_modules")
    only = ",".join(marker.args) if marker else "orgs"
    call_command("load_demo", force=True, only=only, stdout=io.StringIO())


class PageWatch:
    """What went wrong in the page beyond the assertions: JS errors, static files not served."""

    def __init__(self, page):
        self.js_errors: list[str] = []
        self.bad_static: list[str] = []
        page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on(
            "requestfailed",
            lambda req: (
                self.bad_static.append(f"{req.url} ({req.failure})")
                # a load cut short by navigating away or closing the page is not a missing file
                if "/static/" in req.url and "ERR_ABORTED" not in (req.failure or "")
                else None
            ),
        )

    def _on_console(self, msg) -> None:
        # an HTTP error status is logged as "Failed to load resource": an expected 404 page is
        # not a script error, and a missing static file is caught by _on_response
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.js_errors.append(msg.text)

    def _on_response(self, response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.bad_static.append(f"{response.url} -> HTTP {response.status}")


@pytest.fixture
def page(request, browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = PageWatch(page)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        name = slug(f"FAILED-{request.node.name}")
        try:
            page.screenshot(path=RESULTS_DIR / f"{name}.png", full_page=True)
            (RESULTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - best effort, never mask the real failure
            print(f"could not save failure artefacts: {exc}")  # noqa: T201
    context.close()
    assert not watch.bad_static, f"static files not served: {watch.bad_static}"
    assert not watch.js_errors, f"JavaScript errors in the page: {watch.js_errors}"
