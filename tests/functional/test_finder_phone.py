"""Find help near you on a 390 px phone: type a postcode, get the answer, nothing wider than
the screen, axe finds nothing; the same for a misspelling and a place with no service."""

import pytest

from tests.functional.accessibility import assert_accessible
from tests.functional.test_phone_width import PHONE, width_problem


def ask(page, text: str):
    page.fill("#q", text)
    with page.expect_navigation(wait_until="networkidle"):
        page.click("button[type=submit]:has-text('Find help')")


@pytest.mark.browser
def test_the_finder_on_a_phone(reference_geography, browser_page, browser_errors):
    page = browser_page
    page.set_viewport_size(PHONE)
    response = page.goto("/find-help/", wait_until="networkidle")
    assert response.status == 200
    assert_accessible(page)
    assert width_problem(page, "/find-help/") is None

    ask(page, "ls1 4ap")
    assert page.locator("[data-answer='E08000035']").count() == 1
    assert page.locator("[data-covering] ~ [data-found='T15']").count() == 1
    assert page.get_by_text("How to refer").first.is_visible()
    # The postcode never reaches the address bar.
    assert "ls1" not in page.url.lower() and page.url.endswith("/find-help/")
    assert_accessible(page)
    assert width_problem(page, "answer for LS1 4AP") is None

    ask(page, "Cardiff")
    assert page.locator("[data-covering='0']").count() == 1
    assert page.get_by_text("What you can do instead").is_visible()
    assert_accessible(page)
    assert width_problem(page, "answer for Cardiff") is None

    ask(page, "Manchster")
    assert page.get_by_text("Did you mean Manchester?").first.is_visible()
    assert_accessible(page)
    assert width_problem(page, "Manchster") is None
    with page.expect_navigation(wait_until="networkidle"):
        page.click("[data-suggestions] button[value='Manchester']")
    assert page.locator("[data-found='T08']").count() == 1
    assert_accessible(page)
    # HTTP 400 for the misspelling is expected; nothing else may go wrong.
    assert [e for e in browser_errors if "400" not in e] == []
