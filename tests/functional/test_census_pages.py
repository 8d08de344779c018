"""A census in a real browser: a service's contact answers from the emailed link (no account),
a coordinator accepts the change, and the public service page shows it with its date. Every
page meets WCAG 2.1 AA (axe-core), runs no inline script, and the answer form fits 390 px."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cradle.census import actions, links
from cradle.census.models import CensusFact
from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible

PHONE = "0113 496 0123"


@pytest.fixture
def census(reference_geography):
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    today = timezone.localdate()
    census_round = actions.open_round(
        name="Census of services (browser test)", reference_date=today - datetime.timedelta(1),
        closes_on=today + datetime.timedelta(days=30), nation="England", teams_only=True,
        reply_to="census@example.org", by=coordinator, today=today)
    invitation = census_round.invitations.get(service__register_ref="T15")
    return coordinator, census_round, invitation


@pytest.mark.browser
def test_a_service_answers_from_its_link_and_a_coordinator_accepts(
        browser_page, browser_errors, live_server, census):
    coordinator, census_round, invitation = census
    page = browser_page
    page.goto(live_server.url + links.answer_url(invitation), wait_until="networkidle")
    assert page.url.endswith("/census/answer/")  # the token has left the address bar
    assert page.locator("h1").inner_text() == invitation.service.name
    assert page.locator("#id_status_0").is_checked()  # "operating", from the register
    assert_accessible(page)

    page.locator("#id_contact_phone").fill(PHONE)
    page.get_by_role("button", name="Save a draft").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#draft-saved").is_visible()
    assert page.locator("#id_contact_phone").input_value() == PHONE

    page.set_viewport_size({"width": 390, "height": 844})
    # Measured once the browser has laid the page out at the new width (on a loaded machine
    # the resize can land after the call returns, and the old 1280 px layout was measured).
    page.wait_for_function("() => window.innerWidth === 390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the answer form is {width} px wide on a 390 px screen"
    page.set_viewport_size({"width": 1280, "height": 900})

    for box in page.locator("input[name^='confirm_']").all():
        box.check()
    page.locator("input[name='respondent_role'][value='team_manager']").check()
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#answer-sent").is_visible()
    assert_accessible(page)
    service = Service.objects.get(pk=invitation.service_id)
    assert service.contact_phone != PHONE  # nothing reaches the register before review

    client = sign_in(Client(), coordinator)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/census/rounds/{census_round.pk}/", wait_until="networkidle")
    assert page.locator("[data-nation='England'] [data-count='answered']").inner_text() == "1"
    assert_accessible(page)
    page.get_by_role("link", name=f"Review the answer of {service.name}").click()
    page.wait_for_load_state("networkidle")
    card = page.locator("[data-field='contact_phone']")
    assert PHONE in card.locator("[data-after]").inner_text()
    assert_accessible(page)
    for reject in page.locator("input[type='radio'][value='reject']").all():
        reject.check()
    card.get_by_label("Accept").check()
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_load_state("networkidle")
    assert "Review saved: 1 change written" in page.locator(".nhsuk-main-wrapper").inner_text()

    fact = CensusFact.objects.get(service=service, field="contact_phone")
    assert fact.accepted_by == coordinator and fact.respondent_role == "team_manager"
    page.goto(f"{live_server.url}/services/{service.pk}/", wait_until="networkidle")
    text = page.locator("main").inner_text()
    assert PHONE in text and "Census of services (browser test)" in text
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_importing_answers_from_a_file_is_accessible_and_fits_a_phone(
        browser_page, browser_errors, live_server, census):
    from cradle.core.spreadsheets import csv_bytes
    from tests.functional.test_phone_width import PHONE as PHONE_SIZE
    from tests.functional.test_phone_width import width_problem
    from tests.functional.test_signed_in_pages import signed_in_page

    coordinator, census_round, _ = census
    page = signed_in_page(browser_page, live_server, coordinator)
    page.set_viewport_size(PHONE_SIZE)
    page.goto(f"{live_server.url}/census/rounds/{census_round.pk}/", wait_until="networkidle")
    page.get_by_role("link", name="Import answers from a CSV or Excel file").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert width_problem(page, "the import page") is None
    for name, ref in (("bad.csv", "T99"), ("answers.csv", "T15")):
        page.set_input_files("#id_file", files=[{
            "name": name, "mimeType": "text/csv",
            "buffer": csv_bytes(["service", "respondent_role", "contact_phone"],
                                [[ref, "team_manager", PHONE]])}])
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
        assert width_problem(page, f"the check of {name}") is None
    assert "Contact details" in page.locator("#preview").inner_text()
    page.get_by_role("button", name="Import 1 answer for review").click()
    page.wait_for_load_state("networkidle")
    assert "Imported 1 answer from answers.csv" in page.locator("main").inner_text()
    # The bad file's page is a 400, as it should be; nothing else may fail.
    unexpected = [error for error in browser_errors if "400" not in error]
    assert unexpected == [] and len(browser_errors) == 2, "\n".join(browser_errors)
