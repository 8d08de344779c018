"""A self-review in a real browser: a team manager starts one, rates a standard and sees "What
is missing" change; every page meets WCAG 2.1 AA (axe-core) and fits a 390 px screen."""

from __future__ import annotations

import pytest

from cradle.directory.models import Service
from cradle.quality import standards
from tests.accounts_helpers import make_user
from tests.functional.accessibility import assert_accessible
from tests.functional.test_phone_width import PHONE, width_problem
from tests.functional.test_signed_in_pages import signed_in_page


@pytest.mark.browser
def test_a_team_manager_rates_a_standard_and_sees_what_is_missing_change(
        reference_geography, browser_page, browser_errors, live_server):
    standards.load_standards()
    leeds = Service.objects.get(register_ref="T15")
    manager = make_user("manager@example.org", team=leeds, team_role="team_manager")
    page = signed_in_page(browser_page, live_server, manager)
    page.goto(f"{live_server.url}/quality/", wait_until="networkidle")
    assert_accessible(page)
    page.get_by_label("Accreditation").check()
    page.get_by_role("button", name="Start a self-review").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state]").inner_text() == "In progress"
    essential = page.locator("[data-missing] [data-type='1'] [data-met]")
    assert essential.inner_text() == "0"
    assert "Not rated yet" in page.locator("[data-missing-lines]").inner_text()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => window.innerWidth === 390")
    assert width_problem(page, "the review page") is None

    page.locator("[data-standard='1.1'] a").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert width_problem(page, "the standard page") is None
    # Not applicable needs a reason: the error is shown, accessibly.
    page.get_by_label("Not applicable").check()
    page.get_by_role("button", name="Save the rating").click()
    page.wait_for_load_state("networkidle")
    assert "Say why the standard does not apply" in page.locator(
        ".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Save the rating").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-standard='1.1'] [data-rating]").inner_text() == "Met"
    assert page.locator("[data-missing] [data-type='1'] [data-met]").inner_text() == "1"
    assert "1.1," not in page.locator("[data-missing-lines]").inner_text()
    assert_accessible(page)
    # The refused rating was answered 400 on purpose (the page with its error summary).
    unexpected = [e for e in browser_errors if not (
        e.startswith("HTTP 400: ") and "/quality/reviews/" in e or "status of 400" in e)]
    assert unexpected == [], "\n".join(unexpected)


@pytest.mark.browser
def test_the_coordinators_standards_pages_are_accessible_and_fit_a_phone(
        reference_geography, browser_page, browser_errors, live_server):
    standards_set, _ = standards.load_standards()
    standard = standards_set.standards.get(code="1.3")
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    page = signed_in_page(browser_page, live_server, coordinator)
    page.set_viewport_size(PHONE)
    for path in ("/quality/", "/quality/sets/", f"/quality/sets/{standards_set.pk}/",
                 f"/quality/standards/{standard.pk}/edit/"):
        response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert response is not None and response.status == 200, path
        page.wait_for_function("() => window.innerWidth === 390")
        assert_accessible(page)
        assert width_problem(page, path) is None
    assert browser_errors == [], "\n".join(browser_errors)
