"""The correction and withdrawal pages, and a timeline showing corrections and withdrawn
records, meet WCAG 2.1 AA (axe-core) under the strict CSP, at desktop width and at 390 px."""

import datetime

import pytest
from django.test import Client

from cradle.directory.models import Service
from cradle.outcomes import actions, corrections
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible


def ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


@pytest.mark.browser
def test_correction_pages_are_accessible(reference_geography, browser_page, browser_errors,
                                         live_server):
    team = Service.objects.get(register_ref="T15")
    user = make_user("practitioner@example.org", team=team)
    case = actions.create_case(user=user, team=team, team_reference="PIT-001")
    referral = actions.record_referral(user=user, case=case, referred_on=ago(40),
                                       referrer_type="midwife", decision="accepted",
                                       decided_on=ago(35))
    episode = actions.open_episode(user=user, case=case, started_on=ago(20), referral=referral)
    contact = actions.record_contact(user=user, episode=episode, on=ago(14), mode="home_visit",
                                     outcome="attended", minutes=60, caregivers_attended=True)
    wrong = actions.record_contact(user=user, episode=episode, on=ago(7), mode="video",
                                   outcome="did_not_attend")
    measure = actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                                     timepoint="baseline", administered_on=ago(14), total=12)
    feedback = actions.record_feedback(user=user, episode=episode, kind="parent",
                                       received_on=ago(3), answers={"1": "certainly_true"})
    activity = actions.record_workforce_activity(user=user, team=team, kind="training",
                                                 on=ago(5), attendees=9)
    corrections.change_contact(user=user, contact=contact, reason="length typed wrong",
                               episode=episode, on=ago(14), mode="home_visit",
                               outcome="attended", minutes=50, caregivers_attended=True)
    corrections.withdraw(user=user, record=wrong, reason="recorded on the wrong case")

    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    page = browser_page
    paths = [f"/outcomes/cases/{case.pk}/", f"/outcomes/cases/{case.pk}/edit/",
             f"/outcomes/records/case/{case.pk}/withdraw/",
             f"/outcomes/records/referral/{referral.pk}/edit/",
             f"/outcomes/records/episode/{episode.pk}/edit/",
             f"/outcomes/records/contact/{contact.pk}/edit/",
             f"/outcomes/records/measure/{measure.pk}/edit/",
             f"/outcomes/records/feedback/{feedback.pk}/edit/",
             f"/outcomes/records/workforce/{activity.pk}/edit/",
             f"/outcomes/records/contact/{contact.pk}/withdraw/",
             f"/outcomes/teams/{team.pk}/workforce/"]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(path, wait_until="networkidle")
            assert response is not None and response.status == 200, path
            assert page.locator("h1").count() == 1, path
            assert_accessible(page)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{path} is {overflow} px wide at {width} px"
    page.goto(f"/outcomes/cases/{case.pk}/", wait_until="networkidle")
    timeline = page.locator("#timeline ~ .nhsuk-card").all_inner_texts()
    assert any("reason: length typed wrong" in text for text in timeline)
    assert any("Withdrawn" in text and "recorded on the wrong case" in text for text in timeline)

    # A missing reason is shown in an accessible error summary.
    page.goto(f"/outcomes/records/measure/{measure.pk}/withdraw/", wait_until="networkidle")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Give the reason" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    browser_errors.clear()  # the refused form's 400 was expected
