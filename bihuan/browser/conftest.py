"""Chromium from Debian (/usr/bin/chromium), driven by Playwright against Django's live server.

On a developer machine without Chromium the browser tests skip; in CI (CI=true) a missing
browser fails the run instead, so they can never silently stop running.
"""

import importlib
import os
from pathlib import Path

import pytest

from bihuan.conftest import PASSWORD

CHROMIUM = Path(os.environ.get("BIHUAN_CHROMIUM", "/usr/bin/chromium"))
# A closed network: no background requests, no component updates, no sandbox as root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(os.environ.get("BIHUAN_SCREENSHOTS", "test-screenshots"))

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make to
# arrange and assert are still plain synchronous code. (The deploy check leaves it out.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    """The live server needs a transactional database, which a flush empties of the rows the
    migrations created; the default problem categories are put back the migration's way."""
    from django.apps import apps

    migration = importlib.import_module("bihuan.ledger.migrations.0003_default_categories")
    migration.add_default_categories(apps, None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # A page the Content-Security-Policy broke fails its test, whatever the test checked.
    violations = getattr(item, "csp_violations", [])
    if report.when == "call" and report.passed and violations:
        report.outcome = "failed"
        report.longrepr = "Content-Security-Policy violations:\n" + "\n".join(violations)
    if report.when == "call" and report.failed:
        taken = []
        for number, page in enumerate(getattr(item, "browser_pages", []), start=1):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = SCREENSHOTS / f"{item.name}-{number}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as error:  # a crashed or closed page must not hide the failure
                taken.append(f"{page.url}: no screenshot ({error})")
            else:
                taken.append(f"{page.url}: {path.resolve()}")
        if taken:
            report.sections.append(("screenshots", "\n".join(taken)))


@pytest.fixture
def open_page(request, browser, live_server):
    """`open_page(user, width=1280)`: a logged-in page of its own browser context."""
    contexts = []
    request.node.browser_pages = []
    request.node.csp_violations = violations = []

    def open_as(user, *, width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()

        def note_violation(message) -> None:
            if "Content Security Policy" in message.text:
                violations.append(f"{page.url}: {message.text}")

        page.on("console", note_violation)
        page.set_default_timeout(15_000)
        request.node.browser_pages.append(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.press("#id_password", "Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.base_url = live_server.url
        return page

    yield open_as
    for context in contexts:
        context.close()
