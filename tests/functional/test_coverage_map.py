"""The coverage map draws every area of the schemes in force from the app's own boundaries,
shaded by status, and each area links to its page."""

import re

import pytest

from tests.functional.accessibility import assert_accessible

MAP = ".cradle-coverage-map"
SHAPES = f"{MAP} path.leaflet-interactive"


@pytest.mark.browser
def test_coverage_map_draws_every_area_in_force_and_clicks_through(
    reference_geography, browser_page, browser_errors
):
    browser_page.goto("/coverage/?on=2019-06-30", wait_until="networkidle")
    browser_page.locator(f"{MAP}[data-map-ready='true']").wait_for(state="attached")

    shapes = browser_page.locator(SHAPES)
    assert shapes.count() == 217  # 191 CCGs (April 2019), 7 LHBs, 14 boards, 5 HSC trusts
    fills = browser_page.eval_on_selector_all(SHAPES, "paths => paths.map(p => p.getAttribute('fill'))")

    def in_table(shade):  # the table alternative lists the same areas with the same shades
        return browser_page.locator(f"#every-area tr[data-shade='{shade}']").count()

    # Counted from the table, not fixed: the 2019 areas are being rebuilt from exact lookups.
    assert fills.count("#005eb8") == in_table("covered") > 0  # solid blue
    assert fills.count("url(#cradle-coverage-partly-stripes)") == in_table("partly_covered") > 0
    assert fills.count("url(#cradle-coverage-stripes)") == in_table("specialists") > 0
    assert fills.count("#ffffff") == in_table("not_covered") > 0
    assert browser_page.locator("#cradle-coverage-stripes").count() == 1
    assert browser_page.locator("#cradle-coverage-partly-stripes").count() == 1
    covered = int(browser_page.locator("[data-areas-covered='UK']").inner_text())
    assert covered == in_table("covered")  # the nation table counts the same areas

    with browser_page.expect_navigation():
        shapes.nth(0).dispatch_event("click")
    assert re.search(r"/areas/(ccg2019|lhb|hb|nitrust)/[^/]+/$", browser_page.url)
    assert "Services covering this area" in browser_page.locator("main").inner_text()
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_choosing_a_date_redraws_the_map_for_that_date(
    reference_geography, browser_page, browser_errors
):
    browser_page.goto("/coverage/", wait_until="networkidle")
    browser_page.fill("#on-day", "1")
    browser_page.fill("#on-month", "1")
    browser_page.fill("#on-year", "2023")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Show coverage on this date").click()
    browser_page.locator(f"{MAP}[data-map-ready='true']").wait_for(state="attached")
    assert browser_page.locator(SHAPES).count() == 106 + 7 + 14 + 5  # sub-ICB locations by then
    assert "On 1 January 2023" in browser_page.locator("h2#coverage-on").inner_text()
    assert_accessible(browser_page)
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_a_bad_date_is_reported_in_an_error_summary(reference_geography, browser_page):
    browser_page.goto("/coverage/?on-day=31&on-month=2&on-year=2020", wait_until="networkidle")
    summary = browser_page.locator(".nhsuk-error-summary")
    assert "Date must be a real date" in summary.inner_text()
    assert browser_page.locator(MAP).count() == 0
    assert_accessible(browser_page)
