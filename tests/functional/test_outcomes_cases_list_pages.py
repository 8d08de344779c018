"""The cases list and the flag review page meet WCAG 2.1 AA (axe-core) under the strict CSP,
fit a 390 px screen, and a case is found by its reference with the keyboard alone."""

import datetime

import pytest
from django.test import Client

from cradle.directory.models import Service
from cradle.outcomes import actions
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible


def ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


@pytest.mark.browser
def test_cases_list_and_flag_review_are_accessible(reference_geography, browser_page,
                                                   browser_errors, live_server):
    team = Service.objects.get(register_ref="T15")
    user = make_user("practitioner@example.org", team=team)
    for number in range(55):
        actions.create_case(user=user, team=team, team_reference=f"PIT-{number:03d}")
    case = actions.create_case(user=user, team=team, team_reference="FIND-ME-1")
    episode = actions.open_episode(user=user, case=case, started_on=ago(200))
    measure = actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                                     timepoint="baseline", administered_on=ago(190),
                                     items=[0, 0, 0, 0, 0, 0, 0, 0, 1])
    actions.record_contact(user=user, episode=episode, on=ago(180), mode="home_visit",
                           outcome="attended", minutes=60, caregivers_attended=True,
                           delivered_by=user)
    actions.close_episode(user=user, episode=episode, ended_on=ago(100),
                          discharge_reason="planned")

    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    page = browser_page
    paths = [f"/outcomes/teams/{team.pk}/cases/",
             f"/outcomes/teams/{team.pk}/cases/?page=2&sort=-started",
             f"/outcomes/teams/{team.pk}/cases/?status=nonsense",
             f"/outcomes/measures/{measure.pk}/flags/review/",
             f"/outcomes/cases/{case.pk}/?order=newest"]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        for path in paths:
            response = page.goto(path, wait_until="networkidle")
            assert response is not None and response.status == 200, path
            page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(
                state="attached")
            assert page.locator("h1").count() == 1, path
            assert_accessible(page)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} is {scroll} px wide on a {width} px screen"

    # From the caseload's "in all" link to the discharged case, by keyboard alone.
    page.goto(f"/outcomes/teams/{team.pk}/", wait_until="networkidle")
    page.locator("#all-cases").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.locator("#id_ref").focus()
    page.keyboard.type("find-me")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-case]").count() == 1
    assert "Discharged" in page.locator("#cases").inner_text()
    page.locator("#cases a", has_text="FIND-ME-1").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/outcomes/cases/{case.pk}/")
    assert "Held by" in page.locator("[data-delivered-by]").inner_text()
    assert browser_errors == [], "\n".join(browser_errors)
