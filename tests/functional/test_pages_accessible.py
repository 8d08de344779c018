"""Every main page renders in a real browser, meets WCAG 2.1 AA (axe-core) and has an h1."""

import pytest

from tests.functional.accessibility import assert_accessible

PAGES = ["/", "/areas/", "/data/", "/areas/hb/", "/areas/ccg2019/E38000001/", "/areas/la/E08000014/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(reference_geography, browser_page, browser_errors, path):
    response = browser_page.goto(path, wait_until="networkidle")

    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"GET {path} -> HTTP {response.status}"
    assert browser_page.locator("h1").count() >= 1, f"{path} has no <h1>"
    assert browser_page.title().endswith("– Cradle")
    # NHS.UK frontend's JavaScript ran (static/js/supported.js and init.js).
    browser_page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
    assert_accessible(browser_page)
    assert browser_errors == [], "\n".join(browser_errors)
