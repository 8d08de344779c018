"""Outcomes case records against the database: minimised by construction, written only through
audited actions that validate first and write nothing on error, and scoped by team."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from cradle.audit.models import AuditEntry
from cradle.core.field_classes import IDENTIFYING, PSEUDONYMOUS, field_class
from cradle.directory.models import Service
from cradle.geography.models import Nation
from cradle.outcomes import actions, identifiers, models, validation
from cradle.outcomes.actions import InvalidRecord
from cradle.outcomes.instruments import score
from tests.accounts_helpers import make_user

pytestmark = pytest.mark.django_db

KEY = "a test pseudonym key that is long enough for HMAC-SHA256"
NHS = "943 476 5919"
BAD_NHS = "943 476 5918"  # check digit does not match
DAY = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 11, 26)
OUTCOME_MODELS = [models.Case, models.Referral, models.Caregiver, models.ReferralRiskFactor,
                  models.Episode, models.EpisodeIntervention, models.Contact,
                  models.MeasureAdministration, models.Feedback, models.WorkforceActivity]


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch):
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", KEY)


def make_team(name: str) -> Service:
    return Service.objects.create(name=name, kind="team", nation=Nation.values[0])


@pytest.fixture
def team():
    return make_team("Test parent-infant team")


@pytest.fixture
def other_team():
    return make_team("Another parent-infant team")


@pytest.fixture
def practitioner(team):
    return make_user("practitioner@example.org", team=team)


def newest() -> int:
    return AuditEntry.objects.aggregate(top=Max("sequence"))["top"] or 0


def entries_after(sequence: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence"))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in OUTCOME_MODELS}


def new_case(user, team, reference="PIT-001", **extra):
    return actions.create_case(user=user, team=team, team_reference=reference, **extra)


def full_referral(user, case, **extra):
    arguments = {
        "referred_on": DAY, "referrer_type": "health_visitor",
        "caregivers": [{"relationship": "mother", "age_at_referral": 29, "ethnic_category": "A"},
                       {"relationship": "father", "age_at_referral": 31}],
        "single_caregiver_household": False, "first_time_parent": True,
        "risk_factors": ["perinatal_mental_illness", "isolation", "birth_trauma"],
        "decision": "accepted", "decided_on": DAY + datetime.timedelta(days=7)} | extra
    return actions.record_referral(user=user, case=case, **arguments)


# --------------------------------------------------------------------------------------------
# Minimisation
# --------------------------------------------------------------------------------------------

FORBIDDEN = ("name", "address", "birth_date", "date_of_birth", "dob", "postcode", "phone",
             "email", "street", "nhs_number")


@pytest.mark.parametrize("model", OUTCOME_MODELS, ids=lambda m: m.__name__)
def test_no_names_addresses_or_dates_of_birth(model):
    for field in model._meta.concrete_fields:
        name = field.name
        if name in ("postcode_district", "nhs_number_pseudonym"):
            continue  # the minimised forms, classified below
        assert not any(word in name for word in FORBIDDEN), name
        assert field_class(model._meta.label, name) != IDENTIFYING, name
    assert field_class("outcomes.Case", "nhs_number_pseudonym") == PSEUDONYMOUS
    assert field_class("outcomes.Case", "postcode_district") == PSEUDONYMOUS


def test_no_outcomes_field_is_identifying():
    for model in OUTCOME_MODELS:
        classes = {field_class(model._meta.label, f.name) for f in model._meta.concrete_fields}
        assert IDENTIFYING not in classes, model.__name__
        assert None not in classes, model.__name__


def test_case_keeps_only_the_minimised_forms(team, practitioner):
    case = new_case(practitioner, team, nhs_number=NHS,
                    baby_birth_month=datetime.date(2026, 5, 17), postcode="LS1 4AP",
                    today=TODAY)
    case.refresh_from_db()
    assert case.baby_birth_month == "2026-05"
    assert case.postcode_district == "LS1"
    assert case.nhs_number_pseudonym == identifiers.nhs_number_pseudonym(NHS, KEY.encode())
    stored = " ".join(str(getattr(case, f.attname)) for f in case._meta.concrete_fields)
    assert "9434765919" not in stored and "4AP" not in stored and "2026-05-17" not in stored


def test_due_month_is_flagged(team, practitioner):
    case = new_case(practitioner, team, baby_birth_month="2027-02",
                    birth_month_is_due_month=True, today=TODAY)
    assert (case.baby_birth_month, case.birth_month_is_due_month) == ("2027-02", True)
    with pytest.raises(InvalidRecord) as error:
        new_case(practitioner, team, "PIT-002", birth_month_is_due_month=True)
    assert error.value.field == "baby_birth_month"


def test_a_reference_that_is_an_nhs_number_is_refused(team, practitioner):
    with pytest.raises(InvalidRecord) as error:
        new_case(practitioner, team, reference="9434765919")
    assert error.value.field == "team_reference"
    assert "9434765919" not in str(error.value)
    assert counts()["Case"] == 0


# --------------------------------------------------------------------------------------------
# NHS number and pseudonym
# --------------------------------------------------------------------------------------------

def test_invalid_nhs_number_is_refused_and_nothing_written(team, practitioner):
    before, sequence = counts(), newest()
    with pytest.raises(InvalidRecord) as error:
        new_case(practitioner, team, nhs_number=BAD_NHS)
    assert error.value.field == "nhs_number"
    assert isinstance(error.value, ValueError)
    assert "check digit" in str(error.value)
    assert "9434765918" not in str(error.value) and BAD_NHS not in str(error.value)
    assert counts() == before and newest() == sequence


def test_pseudonym_is_deterministic_and_keyed(team, other_team, practitioner, monkeypatch):
    first = new_case(practitioner, team, nhs_number=NHS)
    other = make_user("other@example.org", team=other_team)
    second = new_case(other, other_team, nhs_number="9434765919")
    assert first.nhs_number_pseudonym == second.nhs_number_pseudonym
    assert len(first.nhs_number_pseudonym) == 64
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", KEY + " rotated")
    assert identifiers.nhs_number_pseudonym(NHS, validation.pseudonym_key()) != (
        first.nhs_number_pseudonym)


def test_one_case_per_nhs_number_per_team(team, practitioner):
    new_case(practitioner, team, nhs_number=NHS)
    with pytest.raises(InvalidRecord) as error:
        new_case(practitioner, team, "PIT-002", nhs_number=NHS)
    assert error.value.field == "nhs_number"


@pytest.mark.parametrize("value", [None, "", "too short"])
def test_missing_or_short_key_is_a_configuration_error(team, practitioner, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CRADLE_PSEUDONYM_KEY")
    else:
        monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="CRADLE_PSEUDONYM_KEY"):
        validation.pseudonym_key()
    with pytest.raises(ImproperlyConfigured):
        new_case(practitioner, team, nhs_number=NHS)
    assert counts()["Case"] == 0


def test_set_nhs_number_later(team, practitioner):
    case = new_case(practitioner, team)
    assert case.nhs_number_pseudonym is None
    sequence = newest()
    actions.set_nhs_number(user=practitioner, case=case, nhs_number=NHS)
    case.refresh_from_db()
    assert case.nhs_number_pseudonym
    [entry] = entries_after(sequence)
    assert (entry.action, entry.fields) == ("change", ["nhs_number_pseudonym"])


# --------------------------------------------------------------------------------------------
# Check constraints
# --------------------------------------------------------------------------------------------

def test_decision_and_its_date_go_together(team, practitioner):
    case = new_case(practitioner, team)
    for decision, decided_on in (("accepted", None), ("", DAY)):
        with pytest.raises(IntegrityError), transaction.atomic():
            models.Referral.objects.create(case=case, referred_on=DAY, referrer_type="gp",
                                           decision=decision, decided_on=decided_on)
    models.Referral.objects.create(case=case, referred_on=DAY, referrer_type="gp")
    models.Referral.objects.create(case=case, referred_on=DAY, referrer_type="gp",
                                   decision="declined", decided_on=DAY)


def test_decision_validated_by_the_action(team, practitioner):
    case = new_case(practitioner, team)
    with pytest.raises(InvalidRecord) as error:
        full_referral(practitioner, case, decided_on=None)
    assert error.value.field == "decided_on"
    with pytest.raises(InvalidRecord) as error:
        full_referral(practitioner, case, decision="", decided_on=DAY)
    assert error.value.field == "decision"
    assert counts()["Referral"] == counts()["Caregiver"] == 0


def test_episode_end_not_before_start(team, practitioner):
    case = new_case(practitioner, team)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Episode.objects.create(case=case, started_on=DAY,
                                      ended_on=DAY - datetime.timedelta(days=1),
                                      discharge_reason="planned")
    episode = actions.open_episode(user=practitioner, case=case, started_on=DAY)
    with pytest.raises(InvalidRecord) as error:
        actions.close_episode(user=practitioner, episode=episode,
                              ended_on=DAY - datetime.timedelta(days=1),
                              discharge_reason="planned")
    assert error.value.field == "ended_on"


@pytest.mark.parametrize("fields", [
    {"minutes": -1},
    {"mode": "carrier pigeon"},
    {"outcome": "maybe"},
])
def test_contact_constraints(team, practitioner, fields):
    case = new_case(practitioner, team)
    episode = actions.open_episode(user=practitioner, case=case, started_on=DAY)
    values = {"on": DAY, "mode": "video", "outcome": "attended", "minutes": 50} | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Contact.objects.create(episode=episode, **values)


def test_unknown_vocabulary_refused_by_the_database(team, practitioner):
    case = new_case(practitioner, team)
    referral = models.Referral.objects.create(case=case, referred_on=DAY, referrer_type="gp")
    attempts = [
        lambda: models.Caregiver.objects.create(referral=referral, relationship="mother",
                                                ethnic_category="I"),
        lambda: models.ReferralRiskFactor.objects.create(referral=referral, factor="unknown"),
        lambda: models.MeasureAdministration.objects.create(
            case=case, instrument="nope", timepoint="baseline", administered_on=DAY,
            entered_as="total", total=3),
        lambda: models.Referral.objects.create(case=case, referred_on=DAY, referrer_type="x"),
        lambda: models.Case.objects.create(team=team, team_reference=""),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()


def test_team_reference_unique_per_team(team, other_team, practitioner):
    new_case(practitioner, team)
    with pytest.raises(InvalidRecord) as error:
        new_case(practitioner, team)
    assert error.value.field == "team_reference"
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Case.objects.create(team=team, team_reference="PIT-001")
    models.Case.objects.create(team=other_team, team_reference="PIT-001")


# --------------------------------------------------------------------------------------------
# The whole journey, and what the audit log says of it
# --------------------------------------------------------------------------------------------

def test_referral_episode_contacts_measures_feedback(team, practitioner):
    case = new_case(practitioner, team, nhs_number=NHS, postcode="LS1")
    sequence = newest()
    referral = full_referral(practitioner, case)
    assert [c.relationship for c in referral.caregivers.all()] == ["mother", "father"]
    assert referral.caregivers.get(relationship="father").ethnic_category == "Z"
    assert {r.domain for r in referral.risk_factors.all()} == {"caregiver", "socio_demographic"}
    episode = actions.open_episode(user=practitioner, case=case, referral=referral,
                                   started_on=DAY + datetime.timedelta(days=14),
                                   interventions=["vig", "parent_infant_psychotherapy"])
    actions.set_interventions(user=practitioner, episode=episode,
                              interventions=["vig", "circle_of_security"])
    assert sorted(episode.interventions.values_list("intervention", flat=True)) == [
        "circle_of_security", "vig"]
    contact = actions.record_contact(user=practitioner, episode=episode,
                                     on=DAY + datetime.timedelta(days=21), mode="home_visit",
                                     outcome="attended", minutes=60, caregivers_attended=True,
                                     baby_attended=True)
    actions.record_contact(user=practitioner, episode=episode,
                           on=DAY + datetime.timedelta(days=28), mode="video",
                           outcome="did_not_attend")
    measure = actions.record_measure(user=practitioner, case=case, episode=episode,
                                     instrument="phq9", timepoint="baseline",
                                     administered_on=DAY + datetime.timedelta(days=14),
                                     items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    feedback = actions.record_feedback(user=practitioner, episode=episode, kind="parent",
                                       received_on=DAY + datetime.timedelta(days=30),
                                       answers={"1": "certainly_true", 2: "partly_true"})
    actions.close_episode(user=practitioner, episode=episode,
                          ended_on=DAY + datetime.timedelta(days=60),
                          discharge_reason="planned")
    assert feedback.answers == {"1": "certainly_true", "2": "partly_true"}
    assert contact.minutes == 60
    summary = [(e.action, e.model_label) for e in entries_after(sequence)]
    assert summary[:6] == [("create", "outcomes.referral"), ("create", "outcomes.caregiver"),
                           ("create", "outcomes.caregiver"),
                           ("create", "outcomes.referralriskfactor"),
                           ("create", "outcomes.referralriskfactor"),
                           ("create", "outcomes.referralriskfactor")]
    assert ("delete", "outcomes.episodeintervention") in summary
    assert summary[-1] == ("change", "outcomes.episode")
    assert ("create", "outcomes.measureadministration") in summary
    measure_entry = next(e for e in entries_after(sequence)
                         if e.model_label == "outcomes.measureadministration")
    assert measure_entry.object_id == str(measure.pk)
    assert "items" in measure_entry.fields and "total" in measure_entry.fields


def test_audit_entries_carry_names_never_values(team, practitioner):
    sequence = newest()
    case = new_case(practitioner, team, reference="FAMILY-REF-77", nhs_number=NHS,
                    baby_birth_month="2026-05", postcode="LS1 4AP", today=TODAY)
    [entry] = entries_after(sequence)
    assert (entry.actor, entry.action, entry.model_label) == (
        "practitioner@example.org", "create", "outcomes.case")
    assert entry.actor_id == str(practitioner.pk)
    assert set(entry.fields) >= {"team", "team_reference", "nhs_number_pseudonym",
                                 "baby_birth_month", "postcode_district"}
    text = " ".join([*entry.fields, entry.note, entry.object_id])
    for value in ("FAMILY-REF-77", "9434765919", case.nhs_number_pseudonym, "2026-05", "LS1"):
        assert value not in text


def test_read_case_is_audited(team, other_team, practitioner):
    case = new_case(practitioner, team)
    sequence = newest()
    assert actions.read_case(user=practitioner, case=case) == case
    [entry] = entries_after(sequence)
    assert (entry.action, entry.model_label, entry.object_id, entry.fields) == (
        "view", "outcomes.case", str(case.pk), [])
    outsider = make_user("outsider@example.org", team=other_team)
    with pytest.raises(PermissionDenied):
        actions.read_case(user=outsider, case=case)
    assert newest() == sequence + 1


def test_rollback_writes_no_audit_entry(team, practitioner):
    sequence = newest()
    with pytest.raises(RuntimeError), transaction.atomic():
        new_case(practitioner, team)
        raise RuntimeError("the surrounding work fails")
    assert newest() == sequence and counts()["Case"] == 0


def test_bad_caregiver_writes_nothing(team, practitioner):
    case = new_case(practitioner, team)
    before, sequence = counts(), newest()
    with pytest.raises(InvalidRecord) as error:
        full_referral(practitioner, case, caregivers=[
            {"relationship": "mother", "age_at_referral": 29},
            {"relationship": "father", "name": "A Person"}])
    assert error.value.field == "caregivers" and "caregiver 2" in str(error.value)
    assert "A Person" not in str(error.value)
    with pytest.raises(InvalidRecord) as error:
        full_referral(practitioner, case, risk_factors=["isolation", "unknown"])
    assert error.value.field == "risk_factors"
    assert counts() == before and newest() == sequence


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------

def test_measure_is_scored_and_stored(team, practitioner):
    case = new_case(practitioner, team)
    measure = actions.record_measure(user=practitioner, case=case, instrument="phq9",
                                     timepoint="baseline", administered_on=DAY,
                                     items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    measure.refresh_from_db()
    assert (measure.total, measure.band, measure.entered_as) == (11, "moderate", "items")
    assert measure.items == [1, 2, 1, 0, 3, 1, 0, 2, 1]
    expected = score("phq9", items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    assert measure.flags == list(expected.flags) and measure.flags  # item 9 above zero
    assert (measure.caseness, measure.complete) == (expected.caseness, True)
    flagged = actions.record_measure(user=practitioner, case=case, instrument="phq9",
                                     timepoint="review", administered_on=DAY,
                                     items=[0, 0, 0, 0, 0, 0, 0, 0, 2])
    assert flagged.flags and flagged.caseness is False
    by_total = actions.record_measure(user=practitioner, case=case, instrument="gad7",
                                      timepoint="discharge", administered_on=DAY, total=12)
    assert (by_total.items, by_total.total, by_total.caseness) == (None, 12, True)
    hads = actions.record_measure(user=practitioner, case=case, instrument="hads",
                                  timepoint="baseline", administered_on=DAY,
                                  subscales={"anxiety": 9, "depression": 4})
    assert hads.subscales == {"anxiety": 9, "depression": 4}


def test_invalid_item_names_the_item_and_writes_nothing(team, practitioner):
    case = new_case(practitioner, team)
    before, sequence = counts(), newest()
    with pytest.raises(ValueError, match="item 3"):
        actions.record_measure(user=practitioner, case=case, instrument="phq9",
                               timepoint="baseline", administered_on=DAY,
                               items=[1, 2, 4, 0, 3, 1, 0, 2, 1])
    with pytest.raises(InvalidRecord) as error:
        actions.record_measure(user=practitioner, case=case, instrument="nope",
                               timepoint="baseline", administered_on=DAY, total=1)
    assert error.value.field == "instrument"
    with pytest.raises(InvalidRecord) as error:
        actions.record_measure(user=practitioner, case=case, instrument="phq9",
                               timepoint="sometime", administered_on=DAY, total=3)
    assert error.value.field == "timepoint"
    assert counts() == before and newest() == sequence


# --------------------------------------------------------------------------------------------
# Workforce activity and feedback
# --------------------------------------------------------------------------------------------

def test_workforce_activity(team, practitioner):
    activity = actions.record_workforce_activity(
        user=practitioner, team=team, kind="training", on=DAY, topic="Infant mental health",
        audience_professions=["health_visitor", "midwife", "health_visitor"], attendees=24)
    assert activity.audience_professions == ["health_visitor", "midwife"]
    with pytest.raises(InvalidRecord) as error:
        actions.record_workforce_activity(user=practitioner, team=team, kind="training",
                                          on=DAY, audience_professions=["astronaut"])
    assert error.value.field == "audience_professions"
    with pytest.raises(InvalidRecord) as error:
        actions.record_workforce_activity(user=practitioner, team=team, kind="party", on=DAY)
    assert error.value.field == "kind"


def test_feedback_takes_fixed_answers_only(team, practitioner):
    case = new_case(practitioner, team)
    episode = actions.open_episode(user=practitioner, case=case, started_on=DAY)
    with pytest.raises(InvalidRecord) as error:
        actions.record_feedback(user=practitioner, episode=episode, kind="parent",
                                received_on=DAY, answers={"1": "They were lovely, Dr X"})
    assert error.value.field == "answers" and "Dr X" not in str(error.value)
    referrer = actions.record_feedback(user=practitioner, episode=episode, kind="referrer",
                                       received_on=DAY, answers={"helpful": "agree"})
    assert referrer.answers == {"helpful": "agree"}


# --------------------------------------------------------------------------------------------
# Scoping and permissions
# --------------------------------------------------------------------------------------------

def test_another_teams_records_are_invisible(team, other_team, practitioner):
    case = new_case(practitioner, team)
    full_referral(practitioner, case)
    episode = actions.open_episode(user=practitioner, case=case, started_on=DAY,
                                   interventions=["vig"])
    actions.record_contact(user=practitioner, episode=episode, on=DAY, mode="video",
                           outcome="attended", minutes=30, baby_attended=True)
    actions.record_measure(user=practitioner, case=case, instrument="gad7",
                           timepoint="baseline", administered_on=DAY, total=5)
    actions.record_feedback(user=practitioner, episode=episode, kind="referrer",
                            received_on=DAY, answers={"helpful": "agree"})
    actions.record_workforce_activity(user=practitioner, team=team, kind="supervision", on=DAY)
    outsider = make_user("outsider@example.org", team=other_team, team_role="team_manager")
    analyst = make_user("analyst@example.org", network_role="analyst")
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    for model in OUTCOME_MODELS:
        assert model.objects.visible_to(practitioner).count() >= 1, model.__name__
        assert model.objects.visible_to(analyst).count() == model.objects.count()
        assert not model.objects.visible_to(outsider).exists(), model.__name__
        assert not model.objects.visible_to(coordinator).exists(), model.__name__
        assert not model.objects.visible_to(None).exists()
    # what a case page will do: another team's case is a 404
    assert not models.Case.objects.visible_to(outsider).filter(pk=case.pk).exists()
    practitioner.is_active = False
    assert not models.Case.objects.visible_to(practitioner).exists()


def test_only_the_teams_editors_can_write(team, other_team, practitioner):
    case = new_case(practitioner, team)
    outsider = make_user("outsider@example.org", team=other_team)
    analyst = make_user("analyst@example.org", network_role="analyst")
    before, sequence = counts(), newest()
    for user in (outsider, analyst):
        with pytest.raises(PermissionDenied):
            new_case(user, team, "PIT-009")
        with pytest.raises(PermissionDenied):
            actions.record_measure(user=user, case=case, instrument="gad7",
                                   timepoint="baseline", administered_on=DAY, total=5)
        with pytest.raises(PermissionDenied):
            actions.record_workforce_activity(user=user, team=team, kind="training", on=DAY)
    assert counts() == before and newest() == sequence
