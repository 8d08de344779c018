"""The FOI campaign, request and report pages in a real browser, as a staff user: they meet
WCAG 2.1 AA (axe-core), run no inline script or style, and the report's map draws."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cradle.foi import actions, actions_answers
from cradle.foi.forms import known_area_codes
from cradle.foi.models import Body, BodyKind, FoiRequest
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.responses_csv import HEADER, parse_responses
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import check_all
from tests.functional.accessibility import assert_accessible

# Dated today, after the letters were sent (an earlier reply is refused: ADR 0031).
RESPONSES = ",".join(HEADER) + """
02N,ccg,02N,{today},yes,yes,yes,2,3,4,900,1,2,3,700,
09C,ccg,09C,{today},no,no,no,,,,500,,,,400,
RX3,trust,07L,{today},no,yes,yes,0,1,2,1000,0,1,1,800,a comment
""".format(today=timezone.localdate().isoformat())


@pytest.fixture
def staff_page(browser_page, live_server, django_user_model):
    """browser_page, signed in as a staff user (the session cookie of a test client login)."""
    client = sign_in(Client(), make_user("coordinator@example.org", network_role="coordinator"))
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    return browser_page


@pytest.fixture
def campaign(reference_geography):
    campaign = actions.create_campaign(
        name="CAMHS under-3s", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="A. Researcher", reply_to="foi@cradle.example.org")
    actions.add_commissioners()
    provider = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX3", nation="England",
                                   name="Tees Esk and Wear Valleys NHS Foundation Trust",
                                   email="foi@tewv.example.org")
    bodies = [*Body.objects.filter(ods_code__in=["02N", "09C", "07L"]), provider]
    actions.add_recipients(campaign=campaign, bodies=bodies, by="test", on=timezone.localdate())
    actions.send_requests(requests=list(campaign.requests.exclude(body=provider)),
                          on=timezone.localdate() - datetime.timedelta(days=60), by="test",
                          email=False)
    actions_answers.import_responses(
        campaign=campaign, by="entered@example.org",
        rows=list(parse_responses(RESPONSES, known_area_codes()).rows))
    check_all(campaign)
    return campaign


def _open(page, errors, path):
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    assert page.title().endswith("– Cradle")
    page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
    return response


@pytest.mark.browser
def test_campaign_pages_are_accessible(staff_page, browser_errors, campaign):
    _open(staff_page, browser_errors, "/foi/")
    assert staff_page.locator("a.nhsuk-header__navigation-link", has_text="FOI campaigns").count()
    assert_accessible(staff_page)

    _open(staff_page, browser_errors, "/foi/new/")
    assert_accessible(staff_page)

    _open(staff_page, browser_errors, f"/foi/{campaign.pk}/")
    assert staff_page.locator("[data-reminders='long-overdue'] tbody tr").count() == 3
    assert_accessible(staff_page)

    unsent = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    _open(staff_page, browser_errors,
          f"/foi/{campaign.pk}/letter-preview/?request={unsent.pk}")
    letter = staff_page.locator("[data-letter-preview]").inner_text()
    assert "Dear Tees Esk and Wear Valleys NHS Foundation Trust," in letter
    staff_page.locator("#placeholders summary").click()
    assert_accessible(staff_page)
    staff_page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/foi/{campaign.pk}/letter-preview/?request={unsent.pk}", "/foi/new/"):
        _open(staff_page, browser_errors, path)
        staff_page.locator("#placeholders summary").click()
        width = staff_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_request_page_with_errors_is_accessible(staff_page, browser_errors, campaign):
    foi_request = FoiRequest.objects.get(campaign=campaign, body__ods_code="02N")
    _open(staff_page, browser_errors, f"/foi/requests/{foi_request.pk}/")
    assert_accessible(staff_page)

    # A refusal without its exemption: the error summary, linked to the field.
    staff_page.locator("#id_state-state").select_option("refused")
    staff_page.get_by_role("button", name="Change the state").click()
    staff_page.wait_for_load_state("networkidle")
    summary = staff_page.locator(".nhsuk-error-summary")
    assert "Enter the exemption the refusal relies on" in summary.inner_text()
    assert_accessible(staff_page)
    # The form answers 400 Bad Request, as it should; the browser reports that too.
    browser_errors[:] = [e for e in browser_errors if "400" not in e]
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_report_page_is_accessible_and_its_map_draws(staff_page, browser_errors, campaign):
    _open(staff_page, browser_errors, f"/foi/{campaign.pk}/report/")
    area_map = staff_page.locator("[data-foi-map-url]")
    area_map.and_(staff_page.locator("[data-map-ready]")).wait_for()
    assert area_map.get_attribute("data-map-ready") == "true"
    assert area_map.get_attribute("data-map-features") == "191"
    assert staff_page.locator("[data-headline='accepting-none']").inner_text().startswith(
        "1 of 3 CCG areas (33%) do not accept")
    assert_accessible(staff_page)
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_a_second_coordinator_checks_an_entered_answer(staff_page, browser_errors, campaign):
    row = parse_responses(RESPONSES, known_area_codes()).rows[0]
    actions_answers.import_responses(campaign=campaign, by="entered@example.org", rows=[row])
    entered = campaign.responses.to_check().get()
    _open(staff_page, browser_errors, f"/foi/{campaign.pk}/answers/check/")
    assert staff_page.locator("[data-to-check]").get_attribute("data-to-check") == "1"
    assert_accessible(staff_page)
    # Opened again at phone width: the header lays its navigation out when the page loads.
    staff_page.set_viewport_size({"width": 390, "height": 844})
    _open(staff_page, browser_errors, f"/foi/{campaign.pk}/answers/check/")
    width = staff_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the answers to check are {width} px wide on a 390 px screen"
    staff_page.locator(f"label[for='response-{entered.pk}']").click()
    staff_page.get_by_role("button", name="Mark the chosen answers checked").click()
    staff_page.wait_for_load_state("networkidle")
    assert "1 answer checked" in staff_page.locator(".nhsuk-inset-text, [role=status], "
                                                    "main").first.inner_text()
    entered.refresh_from_db()
    assert (entered.review_state, entered.checked_by) == ("checked", "coordinator@example.org")
    assert_accessible(staff_page)
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_statistics_page_is_accessible_and_fits_a_phone(staff_page, browser_errors, campaign):
    refused = FoiRequest.objects.get(campaign=campaign, body__ods_code="09C")
    actions.change_state(request=refused, state="refused", on=timezone.localdate(), by="test",
                         exemption="s.40(2) and s.43")
    path = f"/foi/{campaign.pk}/statistics/"
    _open(staff_page, browser_errors, path)
    assert staff_page.locator("svg.cradle-stat-bar[role='img']").count() == 2
    assert "Section 43 (FOIA, commercial interests)" in staff_page.locator(
        "#exemption-table").inner_text()
    assert_accessible(staff_page)
    staff_page.set_viewport_size({"width": 390, "height": 844})
    _open(staff_page, browser_errors, path)
    width = staff_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
    assert_accessible(staff_page)
    assert browser_errors == [], "\n".join(browser_errors)
