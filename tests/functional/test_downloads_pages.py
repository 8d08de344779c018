"""The bulk downloads pages (ADR 0037) with a snapshot present: WCAG 2.1 AA (axe), an h1, and
no wider than a 390 px phone (the files' table scrolls in its own labelled region)."""

import datetime

import pytest

from cradle.opendata import snapshots
from tests.functional.accessibility import assert_accessible
from tests.functional.test_phone_width import PHONE, visit


@pytest.mark.browser
def test_downloads_pages_are_accessible_and_fit_a_phone(reference_geography, browser_page,
                                                        browser_errors, settings, tmp_path):
    settings.CRADLE_OPENDATA_DIR = tmp_path / "opendata"
    snapshots.build(datetime.date(2026, 1, 5))
    for path in ("/downloads/", "/downloads/2026-01-05/"):
        browser_page.set_viewport_size({"width": 1280, "height": 900})
        response = browser_page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        assert browser_page.locator("h1").count() == 1
        assert browser_page.locator("[data-sha256]").count() >= 12
        assert_accessible(browser_page)
        browser_page.set_viewport_size(PHONE)
        assert visit(browser_page, path) is None
    assert browser_errors == [], "\n".join(browser_errors)
