"""Every main page renders in a real browser, meets WCAG 2.1 AA (axe-core) and has an h1."""

import pytest

from cradle.directory.models import Service
from tests.functional.accessibility import assert_accessible

PAGES = [
    "/", "/areas/", "/data/", "/areas/hb/", "/areas/ccg2019/E38000001/", "/areas/la/E08000014/",
    "/services/", "/services/?q=Leeds", "/services/?q=Atlantis", "/coverage/",
    "/coverage/?on=2019-06-30", "/areas/la/E08000035/",
    "/planning/", "/planning/areas/ccg2019/E38000001/",
    "/planning/areas/ccg2019/E38000001/specification/",
    "/areas/icb2026/", "/areas/icb2026/S1Y5D/",  # today's areas, one derived
    "/api/",  # the open data API's documentation (ADR 0035)
]
#: Service pages, by register reference: their URLs hold database ids, known only once loaded.
SERVICES = ["T15", "C01", "D01"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(reference_geography, browser_page, browser_errors, path):
    _check_page(browser_page, browser_errors, path)


@pytest.mark.browser
@pytest.mark.parametrize("register_ref", SERVICES)
def test_service_page_is_accessible(reference_geography, browser_page, browser_errors,
                                    register_ref):
    service = Service.objects.get(register_ref=register_ref)
    _check_page(browser_page, browser_errors, f"/services/{service.pk}/")


def _check_page(browser_page, browser_errors, path):
    response = browser_page.goto(path, wait_until="networkidle")

    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"GET {path} -> HTTP {response.status}"
    assert browser_page.locator("h1").count() >= 1, f"{path} has no <h1>"
    assert browser_page.title().endswith("– Cradle")
    # NHS.UK frontend's JavaScript ran (static/js/supported.js and init.js).
    browser_page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
    assert_accessible(browser_page)
    assert browser_errors == [], "\n".join(browser_errors)
