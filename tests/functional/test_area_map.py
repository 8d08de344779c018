"""The scheme map draws every area from the app's own boundaries and links to area pages."""

import re

import pytest


@pytest.mark.browser
def test_scheme_map_draws_every_area_and_clicks_through(
    reference_geography, browser_page, browser_errors
):
    browser_page.goto("/areas/hb/", wait_until="networkidle")
    shapes = browser_page.locator(".cradle-map path.leaflet-interactive")
    shapes.nth(13).wait_for(state="attached")
    assert shapes.count() == 14

    with browser_page.expect_navigation():
        shapes.nth(0).dispatch_event("click")
    assert re.search(r"/areas/hb/S08\d{6}/$", browser_page.url)
    assert browser_page.locator("h1").inner_text()
    assert browser_errors == [], "\n".join(browser_errors)
