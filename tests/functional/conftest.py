"""Browser tests: headless Chromium (Debian's package) driven by Playwright against live_server.

Playwright's own browser download (`playwright install`) is not used: the machines that run these
tests can reach package registries only. Install the browser with

    apt-get install -y chromium fonts-liberation

Set CRADLE_CHROMIUM to use a Chromium binary somewhere other than /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CRADLE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000

#: Added to HTML pages that come without a Content-Security-Policy of their own, so the browser
#: tests catch inline scripts and styles (reported as console errors) before the app sends one.
#: A policy the app sends itself is left as it is.
STRICT_CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for the whole test session."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Browser tests need Debian's Chromium: "
            "`apt-get update && apt-get install -y chromium fonts-liberation` "
            "(or set CRADLE_CHROMIUM to a Chromium binary).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is not installed: `pip install -e '.[dev]'`. "
            "Do not run `playwright install`; the tests use Debian's Chromium.",
            pytrace=False,
        )

    # Playwright's sync API runs an asyncio loop in this thread, which makes Django refuse ORM
    # calls from test code ("You cannot call this from an async context"). Test code here is
    # synchronous, so allow it while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_errors() -> list[str]:
    """What went wrong in browser_page: console errors, uncaught exceptions, failed or blocked
    requests and HTTP errors. Tests assert it is empty when they expect a clean page."""
    return []


@pytest.fixture
def browser_page(chromium_browser, live_server, settings, browser_errors) -> Iterator[object]:
    """A fresh Playwright page whose relative URLs go to live_server.

    Requests anywhere but the live server are blocked and recorded in browser_errors: the app
    must work with no CDN or other outside service. HTML pages without a CSP get STRICT_CSP.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    # live_server serves static files from the finders, not STATIC_ROOT, so the hashed names
    # of the production manifest storage would 404. Serve the source files under their names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    origin = urlsplit(live_server.url)

    def only_live_server(route):
        url = urlsplit(route.request.url)
        if (url.scheme, url.netloc) != (origin.scheme, origin.netloc):
            browser_errors.append(f"blocked request to another origin: {route.request.url}")
            route.abort("blockedbyclient")
        elif route.request.resource_type == "document":
            response = route.fetch(max_redirects=0)
            headers = dict(response.headers)
            if "content-security-policy" not in {name.lower() for name in headers}:
                headers["content-security-policy"] = STRICT_CSP
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()

    def on_console(message):
        if message.type == "error":
            browser_errors.append(f"console error: {message.text}")

    def on_response(response):
        if response.status >= 400:
            browser_errors.append(f"HTTP {response.status}: {response.url}")

    def on_request_failed(request):
        if urlsplit(request.url).netloc == origin.netloc:
            browser_errors.append(f"request failed ({request.failure}): {request.url}")

    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route("**/*", only_live_server)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_errors.append(f"uncaught exception: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    try:
        yield page
    finally:
        # Let requests the page started finish before the test's database is torn down, so
        # the live server's threads do not touch it afterwards.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()


@pytest.fixture
def reference_geography(live_server, django_db_blocker):
    """The shipped reference data (geography, and the 2019 register of services with the
    published team counts), (re)loaded for this browser test.

    live_server makes every test transactional, and pytest-django empties the database after
    each one, so the copy loaded once in tests/conftest.py is there only for the first browser
    test. Loading is idempotent: when the data is still there this changes nothing.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("data", "load", verbosity=0)
