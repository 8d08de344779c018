"""Writes (and audited reads) of outcomes case records: the only way records are made.

Every action is keyword-only, runs in one transaction and writes the audit log inside it
(field *names* only, never values; the actor is the user), so an action that fails writes
neither records nor audit entries. The user must hold `case_edit` for the record's team
(`case_view` to read a case); otherwise `PermissionDenied`.

Bad input raises `InvalidRecord`, a `ValidationError` (so a form can show it against the field)
that is also a `ValueError`, keyed by the name of the field at fault. Messages never repeat an
NHS number or a postcode (identifiers.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from cradle.accounts.permissions import Permission
from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory import vocabulary as directory_vocabulary
from cradle.pooled.summaries import keeps_summaries

from . import vocabulary as v
from .instruments import REGISTRY
from .models import (
    Caregiver,
    Case,
    Contact,
    Episode,
    EpisodeIntervention,
    Feedback,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
    WorkforceActivity,
)
from .validation import (
    MAX_TOPIC,
    InvalidRecord,
    Problems,
    audit_created,
    caregiver,
    checked_birth_month,
    checked_bool,
    checked_choice,
    checked_date,
    checked_keys,
    checked_optional_bool,
    checked_postcode,
    checked_reference,
    confirm,
    contact_date,
    contact_minutes,
    contact_mode,
    contact_outcome,
    contact_took_place,
    episode_after_referral,
    episode_discharge_reason,
    episode_end,
    episode_interventions,
    episode_start,
    feedback_date,
    measure_score,
    measure_warnings,
    nhs_number_pseudonym,
    one_open_episode,
    raise_invalid,
    referral_decision,
    require_team_permission,
    team_reference_warnings,
    unique_pseudonym,
)


def not_withdrawn(record, field: str = "record"):
    """Refuse to add to, or change, a withdrawn record (corrections.withdraw). Asks the
    database: the caller's copy may have been read before the withdrawal."""
    if (record.withdrawn_at is not None
            or type(record).objects.withdrawn().filter(pk=record.pk).exists()):
        raise InvalidRecord(field, f"the {record._meta.verbose_name} was withdrawn: nothing "
                            "more can be recorded on it")
    return record


@transaction.atomic
def create_case(*, user, team, team_reference: str, nhs_number: str | None = None,
                baby_birth_month: str | datetime.date | None = None,
                birth_month_is_due_month: bool = False, postcode: str | None = None,
                today: datetime.date | None = None, confirmed: bool | str = False) -> Case:
    """Open a case. The NHS number (optional) is validated and kept only as its pseudonym; a
    date of birth keeps only its month; a postcode keeps only its district."""
    require_team_permission(user, team.pk)
    problems = Problems()
    due = checked_bool("birth_month_is_due_month", birth_month_is_due_month)
    case = Case(team=team, birth_month_is_due_month=due)
    case.team_reference = problems.check(checked_reference, team, team_reference)
    case.baby_birth_month = problems.check(checked_birth_month, baby_birth_month, today, due=due)
    case.postcode_district = problems.check(checked_postcode, postcode)
    if case.birth_month_is_due_month and not case.baby_birth_month:
        problems.check(raise_invalid, "baby_birth_month", "give the expected due month")
    if nhs_number not in (None, ""):
        case.nhs_number_pseudonym = problems.check(nhs_number_pseudonym, nhs_number)
        if case.nhs_number_pseudonym is not Problems.FAILED:
            problems.check(unique_pseudonym, team, case.nhs_number_pseudonym)
    problems.raise_any()
    confirm(confirmed, team_reference_warnings(case.team_reference))
    case.save()
    audit_created(user, [case])
    return case


@transaction.atomic
def set_nhs_number(*, user, case: Case, nhs_number: str) -> Case:
    """Add or correct a case's NHS number (stored as its pseudonym only)."""
    require_team_permission(user, case.team_id)
    pseudonym = nhs_number_pseudonym(nhs_number)
    unique_pseudonym(case.team, pseudonym, exclude=case.pk)
    case.nhs_number_pseudonym = pseudonym
    case.save(update_fields=["nhs_number_pseudonym"])
    recorder.record_changes(user, case, ["nhs_number_pseudonym"], Action.CHANGE)
    return case


@transaction.atomic
def read_case(*, user, case: Case) -> Case:
    """Record that the user viewed a case (case-level reads are audited); return the case.
    Raise PermissionDenied for a case outside the user's scope (views look cases up through
    `Case.objects.visible_to(user)` first, so there it is a 404)."""
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied("the case is not visible to the user")
    recorder.record(actor=user, action=Action.VIEW, model_label=case._meta.label_lower,
                    object_id=case.pk)
    return case


@transaction.atomic
def read_caseload(*, user, team, case_ids: Iterable[int], listing: str = "caseload") -> None:
    """Record that the user was shown a list of the team's cases: one entry for the team,
    naming the cases listed by their database ids (never a reference or any other value), so
    "who has seen case N" can be answered from list pages too. `listing` names the page
    ("caseload", "cases list")."""
    require_team_permission(user, team.pk, Permission.CASE_VIEW)
    listed = sorted(set(case_ids))
    recorder.record(actor=user, action=Action.VIEW, model_label=team._meta.label_lower,
                    object_id=team.pk, fields=["caseload"],
                    note=f"{listing} listing {len(listed)} case{'' if len(listed) == 1 else 's'}"
                         + (f": {', '.join(map(str, listed))}" if listed else ""))


@transaction.atomic
def refuse_read(*, user, model_label: str, object_id: int) -> None:
    """Record a refused attempt to reach a case record (another team's, or one that does not
    exist: the user cannot tell which, and neither does the entry). `object_id` is the id
    asked for, never anything the user typed into a form."""
    recorder.record(actor=user, action=Action.REFUSED, model_label=model_label,
                    object_id=int(object_id), note="not visible to the user: not found (404)")


# --------------------------------------------------------------------------------------------
# Referrals
# --------------------------------------------------------------------------------------------

@transaction.atomic
@keeps_summaries("case")
def record_referral(*, user, case: Case, referred_on: datetime.date, referrer_type: str,
                    caregivers: Sequence[Mapping] = (),
                    single_caregiver_household: bool | None = None,
                    first_time_parent: bool | None = None, risk_factors: Iterable[str] = (),
                    decision: str = "", decided_on: datetime.date | None = None) -> Referral:
    """A referral with its caregivers (relationship, age, ethnic category) and risk factors
    (keys of vocabulary.RISK_FACTORS) and, if made yet, the decision with its date."""
    require_team_permission(user, not_withdrawn(case).team_id)
    referral = Referral(case=case, **referral_values(
        referred_on=referred_on, referrer_type=referrer_type,
        single_caregiver_household=single_caregiver_household,
        first_time_parent=first_time_parent, decision=decision, decided_on=decided_on))
    people = [caregiver(i, data) for i, data in enumerate(caregivers)]
    factors = checked_keys("risk_factors", risk_factors, tuple(v.RISK_FACTOR_DOMAIN))
    referral.save()
    for person in people:
        person.referral = referral
    people = Caregiver.objects.bulk_create(people)
    rows = ReferralRiskFactor.objects.bulk_create(
        [ReferralRiskFactor(referral=referral, factor=factor) for factor in factors])
    audit_created(user, [referral, *people, *rows])
    return referral


def referral_values(*, referred_on, referrer_type, single_caregiver_household=None,
                    first_time_parent=None, decision="", decided_on=None) -> dict:
    """A referral's own fields, checked (record_referral, corrections.change_referral)."""
    referred_on = checked_date("referred_on", referred_on)
    decision, decided_on = referral_decision(decision, decided_on, referred_on)
    return {"referred_on": referred_on,
            "referrer_type": checked_choice("referrer_type", referrer_type, v.REFERRER_TYPES),
            "single_caregiver_household": checked_optional_bool("single_caregiver_household",
                                                         single_caregiver_household),
            "first_time_parent": checked_optional_bool("first_time_parent", first_time_parent),
            "decision": decision, "decided_on": decided_on}


@transaction.atomic
@keeps_summaries("referral")
def decide_referral(*, user, referral: Referral, decision: str,
                    decided_on: datetime.date) -> Referral:
    """Record the decision on a referral not yet decided, and its date (a decision made is
    corrected with `corrections.change_referral`, with a reason)."""
    require_team_permission(user, not_withdrawn(referral).case.team_id)
    if referral.decision:
        raise InvalidRecord("decision", "the referral is already decided: correct the "
                            "decision on the referral's page, with a reason")
    referral.decision, referral.decided_on = referral_decision(decision, decided_on,
                                                       referral.referred_on)
    referral.save(update_fields=["decision", "decided_on"])
    recorder.record_changes(user, referral, ["decision", "decided_on"], Action.CHANGE)
    return referral


# --------------------------------------------------------------------------------------------
# Episodes and contacts
# --------------------------------------------------------------------------------------------

@transaction.atomic
def open_episode(*, user, case: Case, started_on: datetime.date,
                 referral: Referral | None = None,
                 interventions: Iterable[str] = ()) -> Episode:
    require_team_permission(user, not_withdrawn(case).team_id)
    if referral is not None and referral.withdrawn_at is not None:
        raise InvalidRecord("referral", "the referral was withdrawn")
    if referral is not None and referral.case_id != case.pk:
        raise InvalidRecord("referral", "the referral belongs to another case")
    problems = Problems()
    started_on = problems.check(episode_start, started_on)
    if referral is not None:
        if started_on is not Problems.FAILED:
            problems.check(episode_after_referral, started_on, referral.referred_on)
        problems.check(one_open_episode, Episode.objects.current().filter(
            referral=referral, ended_on__isnull=True).count())
    keys = problems.check(episode_interventions, interventions)
    problems.raise_any()
    episode = Episode(case=case, referral=referral, started_on=started_on)
    episode.save()
    rows = EpisodeIntervention.objects.bulk_create(
        [EpisodeIntervention(episode=episode, intervention=key) for key in keys])
    audit_created(user, [episode, *rows])
    return episode


@transaction.atomic
def set_interventions(*, user, episode: Episode, interventions: Iterable[str]) -> Episode:
    """Replace the list of interventions delivered in an open episode (an ended episode's are
    corrected with `corrections.change_episode`, with a reason)."""
    require_team_permission(user, not_withdrawn(episode).case.team_id)
    if episode.ended_on is not None:
        raise InvalidRecord("interventions", "the episode has ended: correct its "
                            "interventions on the episode's page, with a reason")
    events = replace_keyed_rows(episode.interventions.all(), EpisodeIntervention,
                                parent_field="episode", parent=episode, key_field="intervention",
                                wanted=episode_interventions(interventions))
    recorder.record_many(user, events)
    return episode


def replace_keyed_rows(rows, model, *, parent_field: str, parent, key_field: str,
                       wanted: Iterable[str]) -> list:
    """Make a record's child rows of one key each (interventions, risk factors) exactly
    `wanted`: rows no longer wanted are deleted, new ones created; returns the audit events
    for both (none when nothing changed). Shared by set_interventions and the corrections."""
    wanted = set(wanted)
    current = {getattr(row, key_field): row for row in rows}
    removed = [row for key, row in current.items() if key not in wanted]
    events = [recorder.event_for(row, Action.DELETE) for row in removed]
    model.objects.filter(pk__in=[row.pk for row in removed]).delete()
    added = model.objects.bulk_create(
        [model(**{parent_field: parent, key_field: key}) for key in sorted(wanted - set(current))])
    events += [recorder.event_for(row, Action.CREATE, [parent_field, key_field]) for row in added]
    return events


@transaction.atomic
@keeps_summaries("episode")
def close_episode(*, user, episode: Episode, ended_on: datetime.date,
                  discharge_reason: str) -> Episode:
    require_team_permission(user, not_withdrawn(episode).case.team_id)
    if episode.ended_on is not None:
        raise InvalidRecord("ended_on", "the episode is already closed")
    episode.ended_on = episode_end(ended_on, started_on=episode.started_on)
    episode.discharge_reason = episode_discharge_reason(discharge_reason)
    episode.save(update_fields=["ended_on", "discharge_reason"])
    recorder.record_changes(user, episode, ["ended_on", "discharge_reason"], Action.CHANGE)
    return episode


@transaction.atomic
@keeps_summaries("episode")
def record_contact(*, user, episode: Episode, on: datetime.date, mode: str, outcome: str,
                   minutes: int = 0, caregivers_attended: bool = False,
                   baby_attended: bool = False, delivered_by=None) -> Contact:
    """A contact in the episode; `delivered_by` is the team member who held it (a user who
    can record the team's cases), or None when not known (an import, an older record)."""
    require_team_permission(user, not_withdrawn(episode, "episode").case.team_id)
    contact = Contact.objects.create(**contact_values(
        episode, on=on, mode=mode, outcome=outcome, minutes=minutes,
        caregivers_attended=caregivers_attended, baby_attended=baby_attended),
        delivered_by=contact_holder(episode, delivered_by))
    audit_created(user, [contact])
    return contact


def contact_holder(episode: Episode, delivered_by):
    """Who held the contact, checked: a member of the episode's team who can record its cases,
    or None (not recorded). Shared by record_contact and corrections.change_contact."""
    if delivered_by is not None and episode.case.team_id not in delivered_by.team_ids(
            Permission.CASE_EDIT):
        raise InvalidRecord("delivered_by", "choose a member of the team")
    return delivered_by


def contact_values(episode: Episode, *, on, mode, outcome, minutes=0,
                   caregivers_attended=False, baby_attended=False) -> dict:
    """A contact's fields, checked, every problem at once (record_contact, and
    corrections.change_contact)."""
    problems = Problems()
    on = problems.check(contact_date, on, started_on=episode.started_on,
                        ended_on=episode.ended_on)
    minutes = problems.check(contact_minutes, minutes)
    outcome = problems.check(contact_outcome, outcome)
    mode = problems.check(contact_mode, mode)
    caregivers_attended = problems.check(checked_bool, "caregivers_attended", caregivers_attended)
    baby_attended = problems.check(checked_bool, "baby_attended", baby_attended)
    if Problems.FAILED not in (minutes, outcome, caregivers_attended, baby_attended):
        problems.check(contact_took_place, outcome, minutes=minutes,
                       caregivers_attended=caregivers_attended, baby_attended=baby_attended)
    problems.raise_any()
    return {"episode": episode, "on": on, "mode": mode, "outcome": outcome,
            "minutes": minutes, "caregivers_attended": caregivers_attended,
            "baby_attended": baby_attended}


# --------------------------------------------------------------------------------------------
# Measures and feedback
# --------------------------------------------------------------------------------------------

@transaction.atomic
@keeps_summaries("case")
def record_measure(*, user, case: Case, instrument: str, timepoint: str,
                   administered_on: datetime.date, items=None, total=None,
                   subscales: Mapping[str, float] | None = None,
                   episode: Episode | None = None,
                   confirmed: bool | str = False) -> MeasureAdministration:
    """Score one administration with `instruments.score` and store the result. Give exactly
    one of item scores (a list, item 1 first, None for a missing item), a total, or subscale
    totals. Invalid scores raise InvalidRecord (a ValueError) naming the item. A date before
    the case started, or a second baseline, needs `confirmed` (NeedsConfirmation)."""
    require_team_permission(user, not_withdrawn(case).team_id)
    if episode is not None:
        not_withdrawn(episode, "episode")
    values = measure_values(
        case, instrument=instrument, timepoint=timepoint, administered_on=administered_on,
        items=items, total=total, subscales=subscales, episode=episode)
    confirm(confirmed, measure_warnings(
        instrument_name=REGISTRY[instrument].short_name, timepoint=values["timepoint"],
        administered_on=values["administered_on"], case_started_on=case_started_on(case),
        earlier_baseline_on=earlier_baseline(case, instrument, episode)))
    measure = MeasureAdministration.objects.create(case=case, **values)
    audit_created(user, [measure])
    return measure


def measure_values(case: Case, *, instrument: str, timepoint: str, administered_on, items=None,
                   total=None, subscales=None, episode: Episode | None = None) -> dict:
    """A measure's fields, scored and checked, every problem at once (record_measure,
    corrections.change_measure)."""
    if instrument not in REGISTRY:
        raise InvalidRecord("instrument", "choose one of: " + ", ".join(
            inst.name for inst in REGISTRY.values()))
    if episode is not None and episode.case_id != case.pk:
        raise InvalidRecord("episode", "the episode belongs to another case")
    if items is not None and (isinstance(items, str | bytes | Mapping)
                              or not isinstance(items, Sequence)):
        raise InvalidRecord("items", "give the item scores as a list, item 1 first")
    problems = Problems()
    timepoint = problems.check(checked_choice, "timepoint", timepoint, v.TIMEPOINTS)
    administered_on = problems.check(checked_date, "administered_on", administered_on)
    entered_as = "items" if items is not None else "total" if total is not None else "subscales"
    result = problems.check(measure_score, instrument, entered_as, items=items, total=total,
                            subscales=subscales)
    problems.raise_any()
    return {"episode": episode, "instrument": instrument, "timepoint": timepoint,
            "administered_on": administered_on, "entered_as": entered_as,
            "items": None if items is None else list(items), "total": result.total,
            "subscales": dict(result.subscales), "band": result.band or "",
            "caseness": result.caseness, "flags": list(result.flags),
            "complete": result.complete}


def earlier_baseline(case: Case, instrument: str,
                     episode: Episode | None) -> datetime.date | None:
    """The first baseline of the measure already recorded for the case, other than one
    belonging to another episode (a new episode of work has a baseline of its own)."""
    baselines = MeasureAdministration.objects.current().filter(
        case=case, instrument=instrument, timepoint="baseline")
    if episode is not None:
        baselines = baselines.filter(Q(episode__isnull=True) | Q(episode=episode))
    return baselines.order_by("administered_on").values_list("administered_on",
                                                            flat=True).first()


def case_started_on(case: Case) -> datetime.date | None:
    """The case's first referral or episode start, if it has either."""
    dates = [day for day in (
        case.referrals.current().order_by("referred_on").values_list("referred_on", flat=True).first(),
        case.episodes.current().order_by("started_on").values_list("started_on", flat=True).first(),
    ) if day is not None]
    return min(dates) if dates else None


@transaction.atomic
def record_feedback(*, user, episode: Episode, kind: str, received_on: datetime.date,
                    answers: Mapping[str, str]) -> Feedback:
    """Parent experience (ESQ answers: item "1".."12" -> answer key) or referrer feedback
    (question key -> answer key). Fixed answers only: free text is not accepted."""
    require_team_permission(user, not_withdrawn(episode).case.team_id)
    feedback = Feedback.objects.create(episode=episode, **feedback_values(
        episode, kind=kind, received_on=received_on, answers=answers))
    audit_created(user, [feedback])
    return feedback


def feedback_values(episode: Episode, *, kind: str, received_on, answers) -> dict:
    """Feedback's fields, checked (record_feedback, corrections.change_feedback)."""
    kind = checked_choice("kind", kind, v.FEEDBACK_KINDS)
    questions, allowed = v.FEEDBACK_FORMS[kind]
    if not isinstance(answers, Mapping) or not answers:
        raise InvalidRecord("answers", "give at least one answer")
    clean = {}
    for question, answer in answers.items():
        question = str(question)
        if question not in questions:
            raise InvalidRecord("answers", "unknown question; the questions are: "
                                + ", ".join(questions))
        if answer not in allowed:
            raise InvalidRecord("answers", f"question {question}: answer one of: "
                                + ", ".join(allowed))
        clean[question] = answer
    return {"kind": kind,
            "received_on": feedback_date(received_on, started_on=episode.started_on),
            "answers": clean}


# --------------------------------------------------------------------------------------------
# Workforce activity
# --------------------------------------------------------------------------------------------

PROFESSION_KEYS = v.keys(directory_vocabulary.PROFESSIONS)


@transaction.atomic
@keeps_summaries(new_activity=True)
def record_workforce_activity(*, user, team, kind: str, on: datetime.date, topic: str = "",
                              audience_professions: Iterable[str] = (),
                              attendees: int | None = None) -> WorkforceActivity:
    require_team_permission(user, team.pk)
    activity = WorkforceActivity.objects.create(team=team, **workforce_values(
        kind=kind, on=on, topic=topic, audience_professions=audience_professions,
        attendees=attendees))
    audit_created(user, [activity])
    return activity


def workforce_values(*, kind: str, on, topic: str = "", audience_professions=(),
                     attendees=None) -> dict:
    """Workforce activity's fields, checked (record_workforce_activity and its correction)."""
    if not isinstance(topic, str) or len(topic.strip()) > MAX_TOPIC:
        raise InvalidRecord("topic", f"give the topic in at most {MAX_TOPIC} characters")
    if attendees is not None and (isinstance(attendees, bool) or not isinstance(attendees, int)
                                  or attendees < 0):
        raise InvalidRecord("attendees", "give the number of attendees as a whole number")
    return {"kind": checked_choice("kind", kind, v.WORKFORCE_KINDS), "on": checked_date("on", on),
            "topic": topic.strip(),
            "audience_professions": checked_keys("audience_professions", audience_professions,
                                               PROFESSION_KEYS),
            "attendees": attendees}
