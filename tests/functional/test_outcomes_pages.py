"""The outcomes pages (caseload, case timeline and the recording forms) meet WCAG 2.1 AA
(axe-core) under the strict CSP, with a flagged measure on the timeline."""

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
def test_caseload_and_timeline_are_accessible(reference_geography, browser_page, browser_errors,
                                              live_server):
    team = Service.objects.get(register_ref="T15")
    user = make_user("practitioner@example.org", team=team)
    case = actions.create_case(user=user, team=team, team_reference="PIT-001",
                               baby_birth_month="2026-01", postcode="LS1 4AP")
    referral = actions.record_referral(
        user=user, case=case, referred_on=ago(40), referrer_type="midwife",
        caregivers=[{"relationship": "mother", "age_at_referral": 31}],
        risk_factors=["birth_trauma", "isolation"], decision="accepted", decided_on=ago(35))
    episode = actions.open_episode(user=user, case=case, started_on=ago(20), referral=referral)
    actions.record_contact(user=user, episode=episode, on=ago(14), mode="home_visit",
                           outcome="attended", minutes=60, caregivers_attended=True)
    actions.record_contact(user=user, episode=episode, on=ago(7), mode="video",
                           outcome="did_not_attend")
    actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                           timepoint="baseline", administered_on=ago(14),
                           items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    waiting = actions.create_case(user=user, team=team, team_reference="PIT-002")
    actions.record_referral(user=user, case=waiting, referred_on=ago(10), referrer_type="gp",
                            decision="accepted", decided_on=ago(9))

    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    page = browser_page
    for path in [f"/outcomes/teams/{team.pk}/", f"/outcomes/cases/{case.pk}/",
                 f"/outcomes/teams/{team.pk}/cases/new/",
                 f"/outcomes/cases/{case.pk}/referrals/new/",
                 f"/outcomes/cases/{case.pk}/contacts/new/",
                 f"/outcomes/cases/{case.pk}/measures/new/",
                 f"/outcomes/cases/{case.pk}/measures/new/?instrument=phq9",
                 f"/outcomes/cases/{case.pk}/measures/new/?instrument=epds",
                 f"/outcomes/cases/{case.pk}/measures/new/?instrument=hads",
                 f"/outcomes/cases/{case.pk}/edit/",
                 f"/outcomes/cases/{case.pk}/episodes/new/",
                 f"/outcomes/referrals/{referral.pk}/decision/",
                 f"/outcomes/episodes/{episode.pk}/close/",
                 f"/outcomes/episodes/{episode.pk}/interventions/",
                 f"/outcomes/episodes/{episode.pk}/feedback/parent/",
                 f"/outcomes/episodes/{episode.pk}/feedback/referrer/",
                 f"/outcomes/teams/{team.pk}/workforce/"]:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    page.goto(f"/outcomes/cases/{case.pk}/", wait_until="networkidle")
    assert "self-harm" in page.locator("#flags").inner_text()

    # A second baseline PHQ-9, item by item by keyboard: the warning to confirm is accessible.
    page.goto(f"/outcomes/cases/{case.pk}/measures/new/?instrument=phq9",
              wait_until="networkidle")
    page.locator("#id_timepoint_0").check()
    for number in range(1, 10):
        page.locator(f"#id_item_{number}_1").check()
    page.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "A baseline PHQ-9 is already recorded" in page.locator("#warnings").inner_text()
    assert_accessible(page)
    page.locator("#id_confirm_warnings").check()
    page.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/outcomes/cases/{case.pk}/")
    assert "PHQ-9 recorded." in page.locator("main").inner_text()

    # Ending the episode by keyboard alone; a missing reason is shown in an accessible summary.
    page.goto(f"/outcomes/episodes/{episode.pk}/close/", wait_until="networkidle")
    page.locator("#id_ended_on_0").focus()
    with page.expect_navigation():  # wait for the form's answer, not the page already shown
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "Choose why the work ended" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    assert browser_errors == [f"HTTP 400: {live_server.url}/outcomes/episodes/{episode.pk}/close/",
                              "console error: Failed to load resource: the server responded "
                              "with a status of 400 (Bad Request)"]
    browser_errors.clear()  # the refused form's 400 was expected
    page.locator("#id_discharge_reason_0").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():  # not only networkidle: on a busy machine that came first
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/outcomes/cases/{case.pk}/")
    assert "Episode closed." in page.locator("main").inner_text()
    assert browser_errors == [], "\n".join(browser_errors)
