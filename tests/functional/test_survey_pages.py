"""A professional answers a survey from its public link on a 390 px phone, with no account:
the form passes axe and fits the screen, the answers are saved once, a second try is turned
away; then the published results (charts beside tables) pass axe and fit the screen too."""

import pytest

from cradle.surveys import actions
from cradle.surveys.models import SurveyResponse
from cradle.surveys.questions import shipped_sets
from tests.accounts_helpers import make_user
from tests.functional.accessibility import assert_accessible
from tests.functional.test_phone_width import PHONE, width_problem


@pytest.mark.browser
def test_answering_a_survey_from_its_public_link(reference_geography, browser_page,
                                                 browser_errors):
    coordinator = make_user("survey-browser@example.org", network_role="coordinator")
    question_set = shipped_sets()[("professionals-2019", 1)]
    survey = actions.open_survey(user=coordinator, survey=actions.create_survey(
        user=coordinator, name="Professionals 2026", year=2026, question_set=question_set,
        question_ids=[q.id for q in question_set.questions]))
    page = browser_page
    page.set_viewport_size(PHONE)
    link = f"/surveys/s/{survey.public_token}/"

    assert page.goto(link, wait_until="networkidle").status == 200
    assert_accessible(page)
    assert width_problem(page, link) is None
    page.select_option("#id_area", "E08000035")
    page.check("input[name=camhs_under_2][value=dont_know]")
    page.check("input[name=support_available][value=camhs]")
    page.check("input[name=support_available][value=voluntary]")
    page.fill("#id_trained_last_year", "6")
    page.fill("#id_comments", "Health visitors have no one to ask.")
    with page.expect_navigation(wait_until="networkidle"):
        page.click("button[type=submit]:has-text('Send my answers')")
    assert page.locator("[data-thanks]").is_visible()
    assert_accessible(page)

    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.answers == {"area": "E08000035", "camhs_under_2": "dont_know",
                              "support_available": ["camhs", "voluntary"],
                              "trained_last_year": 6}
    assert stored.free_text.get().text == "Health visitors have no one to ask."

    # The same browser opening the link again is told it has answered.
    page.goto(link, wait_until="networkidle")
    assert page.get_by_text("You have already answered this survey").is_visible()
    assert SurveyResponse.objects.count() == 1

    for _ in range(12):
        actions.submit_response(survey=survey, answers={"area": "E08000035",
                                                        "camhs_under_2": "no"},
                                guard_token=actions.secrets.token_urlsafe(32))
    actions.publish_results(user=coordinator, survey=actions.close_survey(user=coordinator,
                                                                          survey=survey))
    results = f"/surveys/published/{survey.pk}/"
    assert page.goto(results, wait_until="networkidle").status == 200
    assert page.locator("[data-question=camhs_under_2] [data-row=UK]").is_visible()
    assert page.locator("svg.cradle-chart").count() >= 3
    assert page.get_by_text("Health visitors have no one to ask.").count() == 0
    assert_accessible(page)
    assert width_problem(page, results) is None

    page.select_option("#area", "E08000035")
    with page.expect_navigation(wait_until="networkidle"):
        page.click("button[type=submit]:has-text('Show the area')")
    assert page.locator("[data-question=camhs_under_2] [data-row=Leeds]").is_visible()
    assert_accessible(page)
    assert width_problem(page, "results for Leeds") is None
    assert browser_errors == []


@pytest.mark.browser
def test_a_coordinators_survey_pages_are_accessible(reference_geography, browser_page,
                                                    browser_errors, live_server):
    from tests.functional.test_signed_in_pages import signed_in_page

    coordinator = make_user("survey-pages@example.org", network_role="coordinator")
    question_set = shipped_sets()[("professionals-2019", 2)]
    survey = actions.open_survey(user=coordinator, survey=actions.create_survey(
        user=coordinator, name="Professionals 2027", year=2027, question_set=question_set,
        question_ids=[q.id for q in question_set.questions]))
    actions.submit_response(survey=survey, answers={"comments": "A coordinator reads this."},
                            guard_token=actions.secrets.token_urlsafe(32))
    page = signed_in_page(browser_page, live_server, coordinator)
    page.set_viewport_size(PHONE)
    for path in ["/surveys/", "/surveys/new/", "/surveys/new/?set=professionals-2019.v2",
                 f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/results/"]:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
        assert width_problem(page, path) is None
    page.click("summary:has-text('Read the answers')")
    assert page.get_by_text("A coordinator reads this.").is_visible()
    assert browser_errors == [], "\n".join(browser_errors)
