"""The pages that carry a case on after its referral: the decision, episodes of work (start,
interventions, end), contacts with who attended, feedback, changes to the case, and the team's
workforce activity. Each writes through its action (audited), refuses bad input without writing,
and hides other teams' records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.models import Contact, Episode, Feedback, WorkforceActivity
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import ago, date_fields

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(practitioner, team):
    return actions.create_case(user=practitioner, team=team, team_reference="PIT-100")


@pytest.fixture
def referral(practitioner, case):
    return actions.record_referral(user=practitioner, case=case, referred_on=ago(60),
                                   referrer_type="midwife")


@pytest.fixture
def episode(practitioner, case, referral):
    return actions.open_episode(user=practitioner, case=case, referral=referral,
                                started_on=ago(40))


def audit_count() -> int:
    """Audit entries other than case reads (every page of a case audits its read)."""
    return AuditEntry.objects.exclude(action=Action.VIEW).count()


def test_deciding_a_referral(signed_in, referral):
    url = reverse("outcomes:referral-decision", args=[referral.pk])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {"decision": "accepted", **date_fields("decided_on", ago(55))})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.decision, referral.decided_on) == ("accepted", ago(55))
    case_page = signed_in.get(response["Location"]).content.decode()
    assert 'data-decision="accepted"' in case_page


def test_a_decision_before_the_referral_is_refused_and_nothing_changes(signed_in, referral):
    before = audit_count()
    response = signed_in.post(reverse("outcomes:referral-decision", args=[referral.pk]),
                              {"decision": "accepted", **date_fields("decided_on", ago(70))})
    assert response.status_code == 400
    assert "before the referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == "" and audit_count() == before


def test_an_episode_from_start_to_end(signed_in, case, referral):
    response = signed_in.post(reverse("outcomes:case-episode", args=[case.pk]), {
        **date_fields("started_on", ago(30)), "referral": str(referral.pk),
        "interventions": ["parent_infant_psychotherapy", "vig"]})
    assert response.status_code == 302, response.content.decode()
    episode = Episode.objects.get(case=case)
    assert episode.referral == referral and episode.is_open
    assert sorted(episode.interventions.values_list("intervention", flat=True)) == [
        "parent_infant_psychotherapy", "vig"]

    response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
        "episode": str(episode.pk), **date_fields("on", ago(25)), "mode": "home_visit",
        "outcome": "attended", "minutes": "60", "attended": ["caregivers", "baby"]})
    assert response.status_code == 302
    contact = Contact.objects.get(episode=episode)
    assert contact.caregivers_attended and contact.baby_attended

    response = signed_in.post(reverse("outcomes:episode-interventions", args=[episode.pk]),
                              {"interventions": ["vig"]})
    assert response.status_code == 302
    assert list(episode.interventions.values_list("intervention", flat=True)) == [
        "vig"]

    response = signed_in.post(reverse("outcomes:episode-close", args=[episode.pk]), {
        **date_fields("ended_on", ago(2)), "discharge_reason": "planned"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.ended_on, episode.discharge_reason) == (ago(2), "planned")

    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    assert "Attended by the caregivers and the baby" in page
    assert 'data-event="episode_end"' in page
    assert reverse("outcomes:episode-close", args=[episode.pk]) not in page  # already ended


def test_interventions_page_shows_what_is_recorded(signed_in, practitioner, episode):
    actions.set_interventions(user=practitioner, episode=episode,
                              interventions=["watch_wait_wonder"])
    page = signed_in.get(reverse("outcomes:episode-interventions", args=[episode.pk]))
    assert 'value="watch_wait_wonder" checked' in page.content.decode()


def test_ending_before_the_start_is_refused_and_the_episode_stays_open(signed_in, episode):
    before = audit_count()
    response = signed_in.post(reverse("outcomes:episode-close", args=[episode.pk]), {
        **date_fields("ended_on", ago(50)), "discharge_reason": "planned"})
    assert response.status_code == 400
    assert "before the start of the episode" in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_open and audit_count() == before


def test_ending_needs_a_reason(signed_in, episode):
    response = signed_in.post(reverse("outcomes:episode-close", args=[episode.pk]),
                              date_fields("ended_on", ago(1)))
    assert response.status_code == 400
    assert "Choose why the work ended" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).is_open


def test_attendance_for_a_contact_that_did_not_happen_is_refused(signed_in, case, episode):
    response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
        "episode": str(episode.pk), **date_fields("on", ago(10)), "mode": "video",
        "outcome": "did_not_attend", "attended": ["baby"]})
    assert response.status_code == 400
    assert "did not take place has no attendees" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize("kind, answers", [
    ("parent", {"answer_1": "certainly_true", "answer_12": "partly_true"}),
    ("referrer", {"answer_helpful": "agree", "answer_would_refer_again": "strongly_agree"}),
])
def test_recording_feedback(signed_in, episode, kind, answers):
    url = reverse("outcomes:episode-feedback", args=[episode.pk, kind])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {**date_fields("received_on", ago(3)), **answers})
    assert response.status_code == 302
    feedback = Feedback.objects.get(episode=episode)
    assert feedback.kind == kind
    assert feedback.answers == {key.removeprefix("answer_"): value
                                for key, value in answers.items()}


def test_feedback_needs_an_answer_and_a_known_form(signed_in, episode):
    url = reverse("outcomes:episode-feedback", args=[episode.pk, "parent"])
    response = signed_in.post(url, date_fields("received_on", ago(3)))
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    assert not Feedback.objects.exists()
    unknown = reverse("outcomes:episode-feedback", args=[episode.pk, "carer"])
    assert signed_in.get(unknown).status_code == 404


def test_changing_the_case(signed_in, case):
    url = reverse("outcomes:case-edit", args=[case.pk])
    assert signed_in.get(url).status_code == 200
    fields = {"nhs_number": "943 476 5919", "baby_birth_month": "2026-03",
              "postcode_district": "LS6 2AB"}
    # A correction needs a reason (corrections.py).
    assert signed_in.post(url, fields).status_code == 400
    response = signed_in.post(url, {**fields, "reason": "details from the referral letter"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.baby_birth_month == "2026-03" and case.postcode_district == "LS6"
    assert case.nhs_number_pseudonym and "9434765919" not in case.nhs_number_pseudonym
    entry = AuditEntry.objects.filter(object_id=str(case.pk)).order_by("-pk").first()
    assert "9434765919" not in str(entry.__dict__) and "LS6" not in str(entry.__dict__)
    assert entry.note == "corrected: details from the referral letter"


def test_an_invalid_nhs_number_is_refused_without_repeating_it(signed_in, case):
    response = signed_in.post(reverse("outcomes:case-edit", args=[case.pk]),
                              {"nhs_number": "943 476 5918", "baby_birth_month": "2026-03",
                               "reason": "number added"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "check digit" in page.lower() or "not a valid nhs number" in page.lower()
    assert "5918" not in page.replace('value="943 476 5918"', "")
    case.refresh_from_db()
    assert case.baby_birth_month == "" and case.nhs_number_pseudonym is None


def test_another_teams_records_are_not_found(client, episode, referral, case):
    other = Service.objects.get(register_ref="T16")
    sign_in(client, make_user("bradford@example.org", team=other))
    for url in (reverse("outcomes:case-edit", args=[case.pk]),
                reverse("outcomes:case-episode", args=[case.pk]),
                reverse("outcomes:referral-decision", args=[referral.pk]),
                reverse("outcomes:episode-close", args=[episode.pk]),
                reverse("outcomes:episode-interventions", args=[episode.pk]),
                reverse("outcomes:episode-feedback", args=[episode.pk, "parent"])):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert Episode.objects.get(pk=episode.pk).is_open


def test_workforce_activity(signed_in, team):
    url = reverse("outcomes:team-workforce", args=[team.pk])
    assert "No activity recorded yet" in signed_in.get(url).content.decode()
    response = signed_in.post(url, {
        "kind": "training", **date_fields("on", ago(7)), "topic": "Understanding infant cues",
        "audience_professions": ["health_visitor", "midwife"], "attendees": "24"})
    assert response.status_code == 302
    activity = WorkforceActivity.objects.get(team=team)
    assert (activity.kind, activity.attendees) == ("training", 24)
    page = signed_in.get(url).content.decode()
    assert "Understanding infant cues" in page and 'data-activity="training"' in page


def test_workforce_activity_refuses_bad_input(signed_in, team):
    response = signed_in.post(reverse("outcomes:team-workforce", args=[team.pk]), {
        "kind": "training", **date_fields("on", TODAY + datetime.timedelta(days=3)),
        "attendees": "-4"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Date must be today or in the past" in page and "Enter 0 or more attending" in page
    assert not WorkforceActivity.objects.exists()

