"""Every outcomes form shows all its errors at once: a body with both an error of the form's
own fields and an error that only the action's rules find gets both in the one 400 response.
On the old pages the action's rules ran only once the fields were right, so the user fixed one
set of errors and then met another."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.outcomes import actions
from cradle.outcomes.models import Case, Episode, Feedback, MeasureAdministration, Referral
from tests.outcomes_helpers import ago, date_fields, item_fields

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEXT_MONTH = (TODAY.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
FUTURE_MONTH = "The month of birth is in the future"


def refused(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


@pytest.fixture
def case(practitioner, team):
    return actions.create_case(user=practitioner, team=team, team_reference="PIT-A1")


@pytest.fixture
def episode(practitioner, case):
    return actions.open_episode(user=practitioner, case=case, started_on=ago(10))


def test_the_case_form_shows_the_month_and_postcode_rules_with_a_missing_reference(
        signed_in, team):
    page = refused(signed_in.post(reverse("outcomes:team-case-new", args=[team.pk]), {
        "team_reference": "", "baby_birth_month": NEXT_MONTH, "postcode_district": "99 ZZ",
        "nhs_number": "943 476 5918"}))
    for anchor in ("#id_team_reference", "#id_baby_birth_month", "#id_postcode_district",
                   "#id_nhs_number"):
        assert f'href="{anchor}"' in page, anchor
    assert FUTURE_MONTH in page
    assert not Case.objects.exists()


def test_the_case_form_shows_the_reference_rule_with_the_field_errors(signed_in, team):
    page = refused(signed_in.post(reverse("outcomes:team-case-new", args=[team.pk]), {
        "team_reference": "943 476 5919", "nhs_number": "x" * 21}))
    assert "This looks like an NHS number" in page
    assert 'href="#id_nhs_number"' in page
    assert not Case.objects.exists()


def test_the_case_edit_form_shows_the_month_rule_with_its_own_errors(signed_in, case):
    page = refused(signed_in.post(reverse("outcomes:case-edit", args=[case.pk]), {
        "nhs_number": "9" * 21, "baby_birth_month": NEXT_MONTH, "postcode_district": ""}))
    assert 'href="#id_nhs_number"' in page and 'href="#id_baby_birth_month"' in page
    assert FUTURE_MONTH in page
    case.refresh_from_db()
    assert case.baby_birth_month == ""


def test_the_referral_form_shows_the_decision_and_caregiver_rules_with_its_own_errors(
        signed_in, case):
    page = refused(signed_in.post(reverse("outcomes:case-referral", args=[case.pk]), {
        **date_fields("referred_on", ago(3)), "referrer_type": "",
        "relationship": "mother", "age_at_referral": "120", "ethnic_category": "Z",
        "decision": "accepted"}))
    assert 'href="#id_referrer_type"' in page
    assert "Give the date of the decision" in page
    assert "Caregiver 1: age at referral must be a whole number" in page
    assert not Referral.objects.exists()


def test_the_decision_form_shows_the_date_rule_with_a_missing_decision(signed_in,
                                                                       practitioner, case):
    referral = actions.record_referral(user=practitioner, case=case, referred_on=ago(5),
                                       referrer_type="gp")
    page = refused(signed_in.post(reverse("outcomes:referral-decision", args=[referral.pk]),
                                  {**date_fields("decided_on", ago(8))}))
    assert "Choose the decision" in page
    assert "The date is before the referral" in page
    referral.refresh_from_db()
    assert referral.decision == "" and referral.decided_on is None


def test_the_episode_form_shows_the_open_episode_rule_with_a_bad_start(signed_in,
                                                                      practitioner, case):
    referral = actions.record_referral(user=practitioner, case=case, referred_on=ago(30),
                                       referrer_type="gp")
    actions.open_episode(user=practitioner, case=case, started_on=ago(20), referral=referral)
    page = refused(signed_in.post(reverse("outcomes:case-episode", args=[case.pk]), {
        "started_on_0": "31", "started_on_1": "2", "started_on_2": str(TODAY.year),
        "referral": referral.pk}))
    assert 'href="#id_started_on_0"' in page
    assert "already has an open episode" in page
    assert Episode.objects.count() == 1


def test_the_close_form_shows_the_end_rule_with_a_missing_reason(signed_in, episode):
    page = refused(signed_in.post(reverse("outcomes:episode-close", args=[episode.pk]),
                                  {**date_fields("ended_on", ago(12))}))
    assert "Choose why the work ended" in page
    assert "The date is before the start of the episode" in page
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_the_feedback_form_shows_the_date_rule_with_no_answers(signed_in, episode):
    page = refused(signed_in.post(
        reverse("outcomes:episode-feedback", args=[episode.pk, "parent"]),
        {**date_fields("received_on", ago(12))}))
    assert "Answer at least one question" in page
    assert "The date is before the start of the episode" in page
    assert not Feedback.objects.exists()


def test_the_episode_correction_shows_the_end_rule_with_a_missing_reason(signed_in,
                                                                        practitioner, episode):
    actions.close_episode(user=practitioner, episode=episode, ended_on=ago(2),
                          discharge_reason="planned")
    page = refused(signed_in.post(reverse("outcomes:record-edit", args=["episode", episode.pk]), {
        **date_fields("started_on", ago(10)), **date_fields("ended_on", ago(11)),
        "discharge_reason": "planned", "reason": ""}))
    assert 'href="#id_reason"' in page
    assert "The date is before the start of the episode" in page
    episode.refresh_from_db()
    assert episode.ended_on == ago(2)


def test_the_measure_form_shows_the_scoring_rule_with_a_missing_timepoint(signed_in, case):
    page = refused(signed_in.post(
        reverse("outcomes:case-measure", args=[case.pk]) + "?instrument=core10", {
            "timepoint": "", **date_fields("administered_on", ago(1)), "entered_as": "items",
            **item_fields(None, None, 1, 1, 1, 1, 1, 1, 1, 1)}))
    assert "Choose the timepoint" in page
    assert "the CORE-10 can be scored only with at most 1 item missing" in page
    assert 'href="#id_item_1_0"' in page
    assert not MeasureAdministration.objects.exists()
