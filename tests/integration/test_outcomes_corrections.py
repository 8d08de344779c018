"""Correcting the record (issue 13, item 2): every record kind can be corrected and withdrawn,
with a reason the audit shows, through the creation form's checks; a withdrawn record drops
out of every figure but stays on the timeline and in the audit.

Each test replays what failed before: there was no way to correct a contact, measure,
feedback, referral date or workforce activity at all, no way to withdraw anything, and a case
correction recorded no reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions, corrections
from cradle.outcomes.bulk.held import held_rows
from cradle.outcomes.models import (
    Case,
    Contact,
    Correction,
    Episode,
    Feedback,
    MeasureAdministration,
    Referral,
    WorkforceActivity,
)
from cradle.outcomes.validation import InvalidRecord
from cradle.outcomes.views import caseload_figures
from cradle.pooled.data import Scope
from cradle.pooled.extract import extract
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import ago, date_fields, item_fields

pytestmark = pytest.mark.django_db

REASON = "typed on the wrong day"


@pytest.fixture
def world(practitioner, team):
    """A case with an accepted referral, an open episode, a contact, a baseline measure (so no
    measure is due yet), parent feedback, and a workforce activity."""
    case = actions.create_case(user=practitioner, team=team, team_reference="FIX-1")
    referral = actions.record_referral(
        user=practitioner, case=case, referred_on=ago(60), referrer_type="midwife",
        caregivers=[{"relationship": "mother", "age_at_referral": 24}],
        risk_factors=["isolation"], decision="accepted", decided_on=ago(58))
    episode = actions.open_episode(user=practitioner, case=case, referral=referral,
                                   started_on=ago(40), interventions=["vig"])
    contact = actions.record_contact(user=practitioner, episode=episode, on=ago(30),
                                     mode="home_visit", outcome="attended", minutes=60,
                                     caregivers_attended=True)
    measure = actions.record_measure(user=practitioner, case=case, episode=episode,
                                     instrument="phq9", timepoint="baseline",
                                     administered_on=ago(40),
                                     items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    feedback = actions.record_feedback(user=practitioner, episode=episode, kind="parent",
                                       received_on=ago(20), answers={"1": "certainly_true"})
    activity = actions.record_workforce_activity(user=practitioner, team=team, kind="training",
                                                 on=ago(10), topic="Infant cues",
                                                 attendees=12)
    return {"case": case, "referral": referral, "episode": episode, "contact": contact,
            "measure": measure, "feedback": feedback, "workforce": activity}


def changes_audited() -> list[AuditEntry]:
    return list(AuditEntry.objects.exclude(action=Action.VIEW).in_order())


#: kind -> (the fields to post besides the reason, what must then be true of the record,
#: the field names the correction must name)
EDITS = {
    "referral": (lambda w: {**date_fields("referred_on", ago(61)), "referrer_type": "gp",
                            "relationship": "mother", "age_at_referral": "25",
                            "ethnic_category": "Z", "decision": "accepted",
                            **date_fields("decided_on", ago(58))},  # isolation unticked
                 lambda r: (r.referred_on, r.referrer_type) == (ago(61), "gp"),
                 {"referred_on", "referrer_type", "caregivers", "risk_factors"}),
    "episode": (lambda w: {**date_fields("started_on", ago(41)),
                           "referral": str(w["referral"].pk),
                           "interventions": ["vig", "circle_of_security"]},
                lambda e: e.started_on == ago(41)
                and set(e.interventions.values_list("intervention", flat=True))
                == {"vig", "circle_of_security"},
                {"started_on", "interventions"}),
    "contact": (lambda w: {"episode": str(w["episode"].pk), **date_fields("on", ago(29)),
                           "mode": "video", "outcome": "attended", "minutes": "45",
                           "attended": ["caregivers", "baby"]},
                lambda c: (c.on, c.mode, c.minutes, c.baby_attended)
                == (ago(29), "video", 45, True),
                {"on", "mode", "minutes", "baby_attended"}),
    "measure": (lambda w: {"timepoint": "baseline", **date_fields("administered_on", ago(40)),
                           "episode": str(w["episode"].pk), "entered_as": "items",
                           **item_fields(3, 3, 3, 3, 3, 3, 3, 3, 0)},
                lambda m: m.total == 24 and m.items == [3, 3, 3, 3, 3, 3, 3, 3, 0],
                {"items", "total", "band", "flags"}),  # scored again
    "feedback": (lambda w: {**date_fields("received_on", ago(20)),
                            "answer_1": "partly_true", "answer_2": "certainly_true"},
                 lambda f: f.answers == {"1": "partly_true", "2": "certainly_true"},
                 {"answers"}),
    "workforce": (lambda w: {"kind": "training", **date_fields("on", ago(10)),
                             "topic": "Infant cues", "attendees": "14"},
                  lambda a: a.attendees == 14, {"attendees"}),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_every_record_kind_is_corrected_with_a_reason_the_audit_and_timeline_show(
        signed_in, practitioner, world, kind):
    record = world[kind]
    post, holds, fields = EDITS[kind]
    url = reverse("outcomes:record-edit", args=[kind, record.pk])
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Do not write names" in page.content.decode()

    # Without a reason nothing is written.
    before = len(changes_audited())
    assert signed_in.post(url, post(world)).status_code == 400
    assert len(changes_audited()) == before

    response = signed_in.post(url, {**post(world), "reason": REASON})
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    assert holds(record)
    correction = Correction.objects.get(record_id=record.pk,
                                        record_label=record._meta.label_lower)
    assert correction.action == "change" and correction.reason == REASON
    assert set(correction.fields) == fields and correction.by == practitioner
    assert correction.by_role == "Practitioner"
    entry = AuditEntry.objects.get(model_label=record._meta.label_lower,
                                   object_id=str(record.pk), action=Action.CHANGE)
    assert set(entry.fields) == fields
    assert entry.note == f"corrected: {REASON}"
    assert entry.actor == practitioner.email

    if kind != "workforce":
        timeline = signed_in.get(reverse("outcomes:case", args=[world["case"].pk]))
        text = timeline.content.decode()
        assert "by practitioner — fields:" in text and f"reason: {REASON}" in text


def test_a_correction_runs_the_checks_of_creation(signed_in, world):
    contact, measure, episode = world["contact"], world["measure"], world["episode"]
    before = len(changes_audited())
    response = signed_in.post(reverse("outcomes:record-edit", args=["contact", contact.pk]), {
        "episode": str(episode.pk), **date_fields("on", ago(45)), "mode": "video",
        "outcome": "attended", "minutes": "30", "reason": REASON})
    assert response.status_code == 400
    assert "before the start of the episode" in response.content.decode()
    response = signed_in.post(reverse("outcomes:record-edit", args=["measure", measure.pk]), {
        "instrument": "phq9", "timepoint": "baseline",
        **date_fields("administered_on", ago(40)), "items": "9,9,9,9,9,9,9,9,9",
        "reason": REASON})
    assert response.status_code == 400
    # Moving the episode's start after its contact would leave the contact outside it.
    response = signed_in.post(reverse("outcomes:record-edit", args=["episode", episode.pk]), {
        **date_fields("started_on", ago(25)), "referral": str(world["referral"].pk),
        "interventions": ["vig"], "reason": REASON})
    assert response.status_code == 400
    assert "would be before the start" in response.content.decode()
    assert len(changes_audited()) == before
    contact.refresh_from_db()
    measure.refresh_from_db()
    assert contact.on == ago(30) and measure.total == 11


@pytest.mark.parametrize("reason, problem", [
    ("NHS number 943 476 5919 was wrong", "long number"),
    ("mum's email is someone@example.org", "email address"),
    ("moved to LS6 2AB", "postcode"),
    ("born 3/4/26", "full date"),
    ("", "Give the reason"),
])
def test_a_reason_that_identifies_someone_is_refused_and_never_kept(signed_in, world,
                                                                     reason, problem):
    contact = world["contact"]
    before = len(changes_audited())
    response = signed_in.post(reverse("outcomes:record-withdraw", args=["contact", contact.pk]),
                              {"reason": reason})
    assert response.status_code == 400
    assert problem in response.content.decode()
    contact.refresh_from_db()
    assert contact.withdrawn_at is None and len(changes_audited()) == before
    assert not Correction.objects.exists()
    if reason:
        assert not AuditEntry.objects.filter(note__contains=reason).exists()


def test_nothing_changed_writes_nothing(practitioner, world):
    contact = world["contact"]
    with pytest.raises(InvalidRecord, match="nothing was changed"):
        corrections.change_contact(user=practitioner, contact=contact, reason=REASON,
                                   episode=contact.episode, on=contact.on, mode=contact.mode,
                                   outcome=contact.outcome, minutes=contact.minutes,
                                   caregivers_attended=True, baby_attended=False)
    assert not Correction.objects.exists()


def test_a_reason_is_shown_as_text_never_run_as_a_template(signed_in, world):
    reason = "{{ request.user.email }} <b>oops</b> {% now 'Y' %}"
    response = signed_in.post(reverse("outcomes:record-withdraw",
                                      args=["contact", world["contact"].pk]),
                              {"reason": reason})
    assert response.status_code == 302
    page = signed_in.get(reverse("outcomes:case", args=[world["case"].pk])).content.decode()
    assert "{{ request.user.email }} &lt;b&gt;oops&lt;/b&gt; {% now &#x27;Y&#x27; %}" in page
    assert "<b>oops</b>" not in page


def test_a_withdrawn_record_drops_out_of_every_figure(practitioner, team, world):
    case, contact, measure = world["case"], world["contact"], world["measure"]
    scope = Scope(team_ids=(team.pk,), start=ago(400), end=ago(0))

    figures = caseload_figures(team, practitioner, ago(0))
    assert figures["measures_due"] == []  # the episode has its baseline; no review due yet
    assert figures["dna"]["attended"] == 1 and figures["open_cases"][0]["last_contact"]
    data = extract(scope)
    assert data.contact_outcomes == {"attended": 1} and data.training_events == 1
    key = [(0, contact.episode_id, (contact.on, contact.mode))]
    assert held_rows(team, "contacts", key) == {0: contact.pk}

    corrections.withdraw(user=practitioner, record=contact, reason="entered twice")
    corrections.withdraw(user=practitioner, record=measure, reason="wrong family's form")
    corrections.withdraw(user=practitioner, record=world["workforce"], reason="cancelled")

    figures = caseload_figures(team, practitioner, ago(0))
    # The withdrawn baseline no longer counts: the episode's baseline is due again.
    assert [row["case"] for row in figures["measures_due"]] == [case]
    assert figures["dna"]["attended"] == 0
    assert figures["open_cases"][0]["last_contact"] is None
    data = extract(scope)
    assert data.contact_outcomes == {} and data.training_events == 0
    # A withdrawn contact no longer blocks importing the corrected row again.
    assert held_rows(team, "contacts", key) == {}

    # The case itself: gone from the caseload, the waiting list and the pooled referrals.
    assert extract(scope).referrer_types == {"midwife": 1}
    corrections.withdraw(user=practitioner, record=case, reason="not one of ours")
    figures = caseload_figures(team, practitioner, ago(0))
    assert figures["open_cases"] == [] and figures["case_count"] == 0
    data = extract(scope)
    assert data.referrer_types == {} and data.risk_factors == {}
    assert data.primary_caregiver_ages == {}


def test_ended_episodes_withdrawn_leave_the_outcome_pairs(practitioner, team, world):
    episode = world["episode"]
    actions.record_measure(user=practitioner, case=world["case"], episode=episode,
                           instrument="phq9", timepoint="discharge", administered_on=ago(5),
                           total=4)
    actions.close_episode(user=practitioner, episode=episode, ended_on=ago(5),
                          discharge_reason="planned")
    scope = Scope(team_ids=(team.pk,), start=ago(400), end=ago(0))
    assert sum(sums.with_baseline for sums in extract(scope).change.values()) == 1
    assert extract(scope).interventions == {"vig": 1}
    corrections.withdraw(user=practitioner, record=Episode.objects.get(pk=episode.pk),
                         reason="opened on the wrong case")
    data = extract(scope)
    assert data.discharge_reasons == {} and data.interventions == {}
    assert data.contact_outcomes == {}  # its contacts went with it


def test_withdrawing_a_case_withdraws_what_hangs_off_it_and_the_audit_says_so(
        signed_in, practitioner, world):
    case = world["case"]
    response = signed_in.post(reverse("outcomes:record-withdraw", args=["case", case.pk]),
                              {"reason": "a duplicate of another case"})
    assert response.status_code == 302
    for model in (Case, Referral, Episode, Contact, MeasureAdministration, Feedback):
        assert not model.objects.current().filter(pk=world[
            {"Case": "case", "Referral": "referral", "Episode": "episode",
             "Contact": "contact", "MeasureAdministration": "measure",
             "Feedback": "feedback"}[model.__name__]].pk).exists(), model
    entry = AuditEntry.objects.get(model_label="outcomes.case", object_id=str(case.pk),
                                   action=Action.CHANGE)
    assert entry.fields == ["withdrawn_at"]
    assert entry.note == "withdrawn: a duplicate of another case"
    cascaded = AuditEntry.objects.filter(note=f"withdrawn with case {case.pk}")
    assert {e.model_label for e in cascaded} == {
        "outcomes.referral", "outcomes.episode", "outcomes.contact",
        "outcomes.measureadministration", "outcomes.feedback"}

    # The case stays readable, marked withdrawn; nothing more can be recorded on it.
    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    assert "This case was withdrawn" in page and "a duplicate of another case" in page
    assert page.count("data-withdrawn") >= 5
    assert reverse("outcomes:case-contact", args=[case.pk]) not in page
    for url in (reverse("outcomes:case-contact", args=[case.pk]),
                reverse("outcomes:case-edit", args=[case.pk]),
                reverse("outcomes:record-edit", args=["contact", world["contact"].pk]),
                reverse("outcomes:record-withdraw", args=["case", case.pk])):
        assert signed_in.get(url).status_code == 404, url
    with pytest.raises(InvalidRecord, match="withdrawn"):
        actions.record_contact(user=practitioner, episode=world["episode"], on=ago(1),
                               mode="video", outcome="attended")
    with pytest.raises(InvalidRecord, match="withdrawn"):
        corrections.withdraw(user=practitioner, record=case, reason="again")
    # Its reference is not reused by accident.
    with pytest.raises(InvalidRecord, match="withdrawn"):
        actions.create_case(user=practitioner, team=case.team, team_reference="FIX-1")


def test_a_referral_that_episodes_follow_is_not_withdrawn(signed_in, practitioner, world):
    referral = world["referral"]
    response = signed_in.post(reverse("outcomes:record-withdraw",
                                      args=["referral", referral.pk]), {"reason": REASON})
    assert response.status_code == 400
    assert "1 episode of work follow this referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.withdrawn_at is None
    corrections.withdraw(user=practitioner, record=world["episode"], reason="wrong case")
    corrections.withdraw(user=practitioner, record=referral, reason="wrong case")
    assert Referral.objects.current().count() == 0


def test_a_decision_made_is_corrected_with_a_reason_not_replaced(signed_in, practitioner,
                                                                  world):
    referral = world["referral"]
    response = signed_in.get(reverse("outcomes:referral-decision", args=[referral.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:record-edit",
                                           args=["referral", referral.pk])
    with pytest.raises(InvalidRecord, match="already decided"):
        actions.decide_referral(user=practitioner, referral=referral, decision="declined",
                                decided_on=ago(50))


def test_an_ended_episode_is_corrected_on_its_page(signed_in, practitioner, world):
    episode = world["episode"]
    actions.close_episode(user=practitioner, episode=episode, ended_on=ago(5),
                          discharge_reason="planned")
    for name in ("outcomes:episode-close", "outcomes:episode-interventions"):
        response = signed_in.get(reverse(name, args=[episode.pk]))
        assert response["Location"] == reverse("outcomes:record-edit",
                                               args=["episode", episode.pk])
    response = signed_in.post(reverse("outcomes:record-edit", args=["episode", episode.pk]), {
        **date_fields("started_on", ago(40)), "referral": str(world["referral"].pk),
        "interventions": ["vig"], **date_fields("ended_on", ago(35)),
        "discharge_reason": "planned", "reason": "ended earlier than recorded"})
    assert response.status_code == 400  # the contact of 30 days ago would be after the end
    assert "would be after the end" in response.content.decode()
    response = signed_in.post(reverse("outcomes:record-edit", args=["episode", episode.pk]), {
        **date_fields("started_on", ago(40)), "referral": str(world["referral"].pk),
        "interventions": ["vig"], **date_fields("ended_on", ago(15)),
        "discharge_reason": "disengaged", "reason": "ended earlier than recorded"})
    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert (episode.ended_on, episode.discharge_reason) == (ago(15), "disengaged")


def test_another_teams_records_cannot_be_corrected_or_withdrawn(client, world):
    sign_in(client, make_user("bradford@example.org",
                              team=Service.objects.get(register_ref="T16")))
    for kind, record in world.items():
        for name in ("outcomes:record-edit", "outcomes:record-withdraw"):
            url = reverse(name, args=[kind, record.pk])
            assert client.post(url, {"reason": REASON}).status_code in (404, 302), url
            if not (kind == "case" and name == "outcomes:record-edit"):
                assert client.get(url).status_code == 404, url
    assert not Correction.objects.exists()
    assert AuditEntry.objects.filter(action=Action.REFUSED).exists()
    assert not AuditEntry.objects.filter(action=Action.CHANGE).exists()


def test_a_team_manager_corrects_and_a_viewer_cannot(client, team, world):
    manager = make_user("manager@example.org", team=team, team_role="team_manager")
    with pytest.raises(Exception, match="case_edit"):
        corrections.withdraw(user=make_user("analyst@example.org", network_role="analyst"),
                             record=world["contact"], reason=REASON)
    corrections.withdraw(user=manager, record=world["contact"], reason=REASON)
    assert Correction.objects.get().by_role == "Team manager"


def test_the_workforce_page_offers_corrections_and_hides_withdrawn_activity(signed_in,
                                                                           world, team):
    activity = world["workforce"]
    url = reverse("outcomes:team-workforce", args=[team.pk])
    assert reverse("outcomes:record-edit", args=["workforce", activity.pk]) in (
        signed_in.get(url).content.decode())
    response = signed_in.post(reverse("outcomes:record-withdraw",
                                      args=["workforce", activity.pk]), {"reason": "cancelled"})
    assert response["Location"] == url
    assert 'data-activity="training"' not in signed_in.get(url).content.decode()
    assert WorkforceActivity.objects.withdrawn().get() == activity


def test_the_withdrawal_of_a_day_old_record_dates_the_correction(practitioner, world):
    corrections.withdraw(user=practitioner, record=world["feedback"], reason="wrong episode")
    correction = Correction.objects.get()
    assert correction.action == "withdraw"
    assert abs((correction.at - world["feedback"].__class__.objects.get(
        pk=world["feedback"].pk).withdrawn_at).total_seconds()) < 1
    assert correction.at.date() >= datetime.date.today() - datetime.timedelta(days=1)
