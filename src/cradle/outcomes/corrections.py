"""Correcting the record: change any record a team keeps, or withdraw it, always with a reason.

Each `change_<kind>` takes the same arguments as the action that records that kind and runs
them through the same checks (`actions.<kind>_values` and validation.py), then saves only the
fields whose values differ. `withdraw` takes a record out of every figure and page list
(`.current()` in querysets.py) without deleting it. Both, in one transaction:
- write a `Correction` row (who, in which role, when, which fields by name, why) that the case
  timeline shows; and
- append to the audit chain an entry naming the fields changed, with the reason in its note
  ("corrected: …" or "withdrawn: …"), so the sealed log says who, when, why and what.

A reason is required for every correction and withdrawal, and is checked for identifiers
(reasons.py). A withdrawn record cannot be changed or withdrawn again.

Withdrawing a case withdraws its referrals, episodes, contacts, measures and feedback;
withdrawing an episode withdraws its contacts and feedback (measures belong to the case and
stay). A referral that episodes follow is not withdrawn: the episodes must be withdrawn, or
linked to another referral, first (an episode's referral is corrected on its page).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from cradle.accounts.models import TeamMembership
from cradle.accounts.permissions import ROLES
from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.pooled.summaries import keeps_summaries

from . import actions
from . import vocabulary as v
from .models import (
    Caregiver,
    Case,
    Contact,
    Correction,
    Episode,
    EpisodeIntervention,
    Feedback,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
    WorkforceActivity,
)
from .reasons import BadReason, check_reason
from .validation import (
    InvalidRecord,
    birth_month_not_in_future,
    caregiver,
    checked_birth_month,
    checked_bool,
    checked_keys,
    checked_postcode,
    episode_discharge_reason,
    episode_end,
    episode_interventions,
    episode_start,
    nhs_number_pseudonym,
    require_team_permission,
    unique_pseudonym,
)

NOTHING_CHANGED = "nothing was changed: change a value, or go back to the case"


def owner(record) -> tuple[int, Case | None]:
    """The team id and the case (None for workforce activity) a record belongs to."""
    if isinstance(record, Case):
        return record.team_id, record
    if isinstance(record, WorkforceActivity):
        return record.team_id, None
    if isinstance(record, Referral | Episode | MeasureAdministration):
        return record.case.team_id, record.case
    return record.episode.case.team_id, record.episode.case


def _checked_reason(reason) -> str:
    try:
        return check_reason(reason)
    except BadReason as error:
        raise InvalidRecord("reason", str(error)) from None


def _role_name(user, team_id: int) -> str:
    role = (TeamMembership.objects.filter(user=user, service_id=team_id)
            .values_list("role", flat=True).first())
    return ROLES[role].name if role in ROLES else "Team member"


def _fresh(record):
    """The record as stored, locked for this transaction, and refused if withdrawn."""
    stored = type(record).objects.select_for_update().get(pk=record.pk)
    if stored.withdrawn_at is not None:
        raise InvalidRecord("record", "the record was withdrawn: it cannot be changed")
    return stored


def _apply(record, values: Mapping) -> list[str]:
    changed = []
    for name, value in values.items():
        field = record._meta.get_field(name)
        if getattr(record, field.attname if field.is_relation else name) != (
                value.pk if field.is_relation and value is not None else value):
            setattr(record, name, value)
            changed.append(name)
    return changed


def _correct(user, record, changed: Sequence[str], reason: str,
             more: Iterable[recorder.Event] = ()) -> None:
    """Save the record's changed fields, and write the correction and the audit entries."""
    changed = list(changed)
    if not changed:
        raise InvalidRecord("record", NOTHING_CHANGED)
    own = [name for name in changed if name not in ("caregivers", "risk_factors",
                                                    "interventions")]
    if own:
        record.save(update_fields=own)
    _write(user, record, Correction.CHANGE, changed, reason, more)


def _write(user, record, action: str, fields: Sequence[str], reason: str,
           more: Iterable[recorder.Event] = ()) -> Correction:
    team_id, case = owner(record)
    correction = Correction.objects.create(
        team_id=team_id, case=case, record_label=record._meta.label_lower,
        record_id=record.pk, action=action, fields=list(fields), reason=reason, by=user,
        by_role=_role_name(user, team_id), at=timezone.now())
    verb = "corrected" if action == Correction.CHANGE else "withdrawn"
    recorder.record_many(user, [recorder.event_for(record, Action.CHANGE, fields,
                                                   note=f"{verb}: {reason}"), *more])
    return correction


def _begin(user, record, reason):
    """Check the user may correct the record and the reason; the fresh, locked record."""
    team_id, _case = owner(record)
    require_team_permission(user, team_id)
    reason = _checked_reason(reason)
    return _fresh(record), reason


# --------------------------------------------------------------------------------------------
# Changes, one per record kind
# --------------------------------------------------------------------------------------------

@transaction.atomic
def change_case(*, user, case: Case, reason: str, baby_birth_month=None,
                birth_month_is_due_month=None, postcode=None, nhs_number: str | None = None,
                today: datetime.date | None = None) -> Case:
    """Correct a case's month of birth, due-month flag or district, or add or correct its NHS
    number (kept as its pseudonym only). None leaves a value as it is; "" clears the month or
    the district (an NHS number cannot be cleared). The team reference stays."""
    case, reason = _begin(user, case, reason)
    values = {}
    if nhs_number not in (None, ""):
        values["nhs_number_pseudonym"] = nhs_number_pseudonym(nhs_number)
        unique_pseudonym(case.team, values["nhs_number_pseudonym"], exclude=case.pk)
    if baby_birth_month is not None:
        values["baby_birth_month"] = checked_birth_month(baby_birth_month, today)
    if birth_month_is_due_month is not None:
        values["birth_month_is_due_month"] = checked_bool("birth_month_is_due_month",
                                                   birth_month_is_due_month)
    if postcode is not None:
        values["postcode_district"] = checked_postcode(postcode)
    changed = _apply(case, values)
    if case.birth_month_is_due_month and not case.baby_birth_month:
        raise InvalidRecord("baby_birth_month", "give the expected due month")
    if case.baby_birth_month and not case.birth_month_is_due_month and (
            {"baby_birth_month", "birth_month_is_due_month"} & set(changed)):
        birth_month_not_in_future(case.baby_birth_month, today)
    _correct(user, case, changed, reason)
    return case


def _people(referral: Referral) -> list[dict]:
    return [{"relationship": p.relationship, "age_at_referral": p.age_at_referral,
             "ethnic_category": p.ethnic_category} for p in referral.caregivers.all()]


@transaction.atomic
@keeps_summaries("referral")
def change_referral(*, user, referral: Referral, reason: str, referred_on, referrer_type: str,
                    caregivers: Sequence[Mapping] | None = None,
                    single_caregiver_household=None, first_time_parent=None,
                    risk_factors: Iterable[str] | None = None, decision: str = "",
                    decided_on=None) -> Referral:
    """Correct a referral: its date and who referred, the household, the decision and its
    date; `caregivers` and `risk_factors` (if given) replace what is recorded."""
    referral, reason = _begin(user, referral, reason)
    changed = _apply(referral, actions.referral_values(
        referred_on=referred_on, referrer_type=referrer_type,
        single_caregiver_household=single_caregiver_household,
        first_time_parent=first_time_parent, decision=decision, decided_on=decided_on))
    events = []
    if caregivers is not None:
        people = [caregiver(i, data) for i, data in enumerate(caregivers)]
        wanted = [{"relationship": p.relationship, "age_at_referral": p.age_at_referral,
                   "ethnic_category": p.ethnic_category} for p in people]
        if wanted != _people(referral):
            old = list(referral.caregivers.all())
            events += [recorder.event_for(row, Action.DELETE) for row in old]
            Caregiver.objects.filter(pk__in=[row.pk for row in old]).delete()
            for person in people:
                person.referral = referral
            events += [recorder.event_for(row, Action.CREATE, ["referral", "relationship",
                                                               "age_at_referral",
                                                               "ethnic_category"])
                       for row in Caregiver.objects.bulk_create(people)]
            changed.append("caregivers")
    if risk_factors is not None:
        replaced = actions.replace_keyed_rows(
            referral.risk_factors.all(), ReferralRiskFactor, parent_field="referral",
            parent=referral, key_field="factor",
            wanted=checked_keys("risk_factors", risk_factors, tuple(v.RISK_FACTOR_DOMAIN)))
        if replaced:
            events += replaced
            changed.append("risk_factors")
    _correct(user, referral, changed, reason, events)
    return referral


def _outside(episode: Episode, started_on: datetime.date,
             ended_on: datetime.date | None) -> None:
    """Refuse new dates that would leave a contact or feedback outside the episode."""
    contacts = Contact.objects.current().filter(episode=episode)
    early = contacts.filter(on__lt=started_on).order_by("on").first()
    if early is not None:
        raise InvalidRecord("started_on", f"a contact on {early.on:%-d %B %Y} would be before "
                            "the start: correct or withdraw it first")
    feedback = Feedback.objects.current().filter(episode=episode, received_on__lt=started_on)
    if feedback.exists():
        raise InvalidRecord("started_on", "feedback would be before the start: correct or "
                            "withdraw it first")
    if ended_on is not None:
        late = contacts.filter(on__gt=ended_on).order_by("-on").first()
        if late is not None:
            raise InvalidRecord("ended_on", f"a contact on {late.on:%-d %B %Y} would be after "
                                "the end: correct or withdraw it first")


@transaction.atomic
@keeps_summaries("episode")
def change_episode(*, user, episode: Episode, reason: str, started_on,
                   referral: Referral | None = None, interventions: Iterable[str] | None = None,
                   ended_on=None, discharge_reason: str = "") -> Episode:
    """Correct an episode's start, the referral it follows, its interventions and (for an
    ended episode) its end and why it ended. An end of None (re)opens the episode."""
    episode, reason = _begin(user, episode, reason)
    if referral is not None and (referral.case_id != episode.case_id
                                 or referral.withdrawn_at is not None):
        raise InvalidRecord("referral", "choose one of the case's referrals")
    started_on = episode_start(started_on)
    if ended_on is None:
        if discharge_reason:
            raise InvalidRecord("ended_on", "give the date the work ended")
    else:
        ended_on = episode_end(ended_on, started_on=started_on)
        discharge_reason = episode_discharge_reason(discharge_reason)
    _outside(episode, started_on, ended_on)
    changed = _apply(episode, {"started_on": started_on, "referral": referral,
                               "ended_on": ended_on, "discharge_reason": discharge_reason})
    events = []
    if interventions is not None:
        replaced = actions.replace_keyed_rows(
            episode.interventions.all(), EpisodeIntervention, parent_field="episode",
            parent=episode, key_field="intervention",
            wanted=episode_interventions(interventions))
        if replaced:
            events += replaced
            changed.append("interventions")
    _correct(user, episode, changed, reason, events)
    return episode


@transaction.atomic
@keeps_summaries("contact")
def change_contact(*, user, contact: Contact, reason: str, episode: Episode, on, mode: str,
                   outcome: str, minutes: int = 0, caregivers_attended: bool = False,
                   baby_attended: bool = False, delivered_by=None) -> Contact:
    contact, reason = _begin(user, contact, reason)
    if episode.case_id != contact.episode.case_id or episode.withdrawn_at is not None:
        raise InvalidRecord("episode", "choose one of the case's episodes")
    changed = _apply(contact, {**actions.contact_values(
        episode, on=on, mode=mode, outcome=outcome, minutes=minutes,
        caregivers_attended=caregivers_attended, baby_attended=baby_attended),
        "delivered_by": actions.contact_holder(episode, delivered_by)})
    _correct(user, contact, changed, reason)
    return contact


@transaction.atomic
@keeps_summaries("measure")
def change_measure(*, user, measure: MeasureAdministration, reason: str, instrument: str,
                   timepoint: str, administered_on, items=None, total=None, subscales=None,
                   episode: Episode | None = None) -> MeasureAdministration:
    """Correct a measure; it is scored again from what is given, as when it was recorded."""
    measure, reason = _begin(user, measure, reason)
    if episode is not None and episode.withdrawn_at is not None:
        raise InvalidRecord("episode", "choose one of the case's episodes")
    changed = _apply(measure, actions.measure_values(
        measure.case, instrument=instrument, timepoint=timepoint,
        administered_on=administered_on, items=items, total=total, subscales=subscales,
        episode=episode))
    _correct(user, measure, changed, reason)
    return measure


@transaction.atomic
def change_feedback(*, user, feedback: Feedback, reason: str, kind: str, received_on,
                    answers: Mapping[str, str]) -> Feedback:
    feedback, reason = _begin(user, feedback, reason)
    changed = _apply(feedback, actions.feedback_values(
        feedback.episode, kind=kind, received_on=received_on, answers=answers))
    _correct(user, feedback, changed, reason)
    return feedback


@transaction.atomic
@keeps_summaries("activity")
def change_workforce_activity(*, user, activity: WorkforceActivity, reason: str, kind: str,
                              on, topic: str = "", audience_professions: Iterable[str] = (),
                              attendees: int | None = None) -> WorkforceActivity:
    activity, reason = _begin(user, activity, reason)
    changed = _apply(activity, actions.workforce_values(
        kind=kind, on=on, topic=topic, audience_professions=audience_professions,
        attendees=attendees))
    _correct(user, activity, changed, reason)
    return activity


# --------------------------------------------------------------------------------------------
# Withdrawal
# --------------------------------------------------------------------------------------------

def _hanging_off(record) -> list:
    """The current querysets withdrawn with the record."""
    if isinstance(record, Case):
        return [Referral.objects.filter(case=record), Episode.objects.filter(case=record),
                Contact.objects.filter(episode__case=record),
                MeasureAdministration.objects.filter(case=record),
                Feedback.objects.filter(episode__case=record)]
    if isinstance(record, Episode):
        return [Contact.objects.filter(episode=record), Feedback.objects.filter(episode=record)]
    return []


@transaction.atomic
@keeps_summaries("record")
def withdraw(*, user, record, reason: str):
    """Withdraw a record (and what hangs off it) from every figure and list, with a reason.
    It is kept, with the correction, for the timeline and the audit."""
    record, reason = _begin(user, record, reason)
    if isinstance(record, Referral):
        following = Episode.objects.current().filter(referral=record).count()
        if following:
            raise InvalidRecord("record", f"{following} episode{'s' if following > 1 else ''} "
                                "of work follow this referral: withdraw them, or link them to "
                                "another referral, first")
    now = timezone.now()
    events = []
    for queryset in _hanging_off(record):
        rows = list(queryset.current().select_for_update().values_list("pk", flat=True))
        if rows:
            queryset.filter(pk__in=rows).update(withdrawn_at=now)
            label = queryset.model._meta.label_lower
            events += [recorder.Event(Action.CHANGE, label, pk, ("withdrawn_at",),
                                      f"withdrawn with {record._meta.verbose_name} {record.pk}")
                       for pk in rows]
    record.withdrawn_at = now
    record.save(update_fields=["withdrawn_at"])
    _write(user, record, Correction.WITHDRAW, ["withdrawn_at"], reason, events)
    return record
