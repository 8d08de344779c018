"""Checks and helpers shared by the outcomes actions: every message names the field."""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from cradle.accounts.permissions import Permission
from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.forms import is_confirmed
from cradle.directory import vocabulary as directory_vocabulary

from . import identifiers
from . import vocabulary as v
from .instruments import Score
from .instruments import score as score_instrument
from .models import (
    Caregiver,
    Case,
    WorkforceActivity,
)
from .name_like import looks_like_a_name

MAX_REFERENCE = Case._meta.get_field("team_reference").max_length
MAX_TOPIC = WorkforceActivity._meta.get_field("topic").max_length


class InvalidRecord(ValidationError, ValueError):
    """Input an action refuses; `error_dict` maps the field at fault to its message(s)."""

    def __init__(self, field: str | dict, message: str = ""):
        messages = field if isinstance(field, dict) else {field: [message]}
        super().__init__(messages)
        self.field = next(iter(messages))

    def __str__(self) -> str:
        return "; ".join(f"{field}: {' '.join(messages)}"
                         for field, messages in self.message_dict.items())


class Problems:
    """Run several checks and report every refusal at once, not only the first."""

    FAILED = object()

    def __init__(self):
        self.messages: dict[str, list[str]] = {}

    def check(self, rule, *args, **kwargs):
        """rule(*args, **kwargs), or FAILED once its refusal is noted."""
        try:
            return rule(*args, **kwargs)
        except InvalidRecord as error:
            for field, messages in error.message_dict.items():
                self.messages.setdefault(field, []).extend(messages)
            return self.FAILED

    def raise_any(self) -> None:
        if self.messages:
            raise InvalidRecord(self.messages)


class NeedsConfirmation(Exception):
    """Input that may be right but usually is not: the user must confirm it. `warnings` is a
    list of (field, message) pairs."""

    def __init__(self, warnings: list[tuple[str, str]]):
        super().__init__("; ".join(message for _field, message in warnings))
        self.warnings = warnings


def confirm(confirmed: bool | str, warnings: list[tuple[str, str]]) -> None:
    """Refuse unconfirmed warnings; an action calls this once its errors are all checked.
    `confirmed`: True, or the digest a form posted (it covers only the warnings it showed)."""
    if warnings and not is_confirmed(confirmed, warnings):
        raise NeedsConfirmation(warnings)


def raise_invalid(field: str, message: str) -> None:
    raise InvalidRecord(field, message)


def pseudonym_key() -> bytes:
    """The NHS-number pseudonym key, from the environment variable CRADLE_PSEUDONYM_KEY.

    Read here and nowhere else, so it can be rotated independently of the secret key
    (docs/security.md). Raises ImproperlyConfigured, without the key, if it is unset or short.
    """
    try:
        return identifiers.load_pseudonym_key(os.environ)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{error}. Set it to a random secret of at least {identifiers.MIN_KEY_BYTES} "
            "bytes, e.g. python -c \"import secrets; print(secrets.token_urlsafe(48))\"."
        ) from None


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

def require_team_permission(user, team_id: int, permission: Permission = Permission.CASE_EDIT) -> None:
    if not (user is not None and user.is_authenticated and user.is_active
            and team_id in user.team_ids(permission)):
        raise PermissionDenied(f"the user does not hold {permission} for this team")


def checked_choice(field: str, value, pairs, *, blank: bool = False) -> str:
    if blank and value in ("", None):
        return ""
    if value not in v.keys(pairs):
        raise InvalidRecord(field, "choose one of: " + ", ".join(v.keys(pairs)))
    return value


def checked_date(field: str, value, *, not_before: datetime.date | None = None,
          before_what: str = "") -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InvalidRecord(field, "give a date")
    if value > datetime.date.today():
        raise InvalidRecord(field, "the date is in the future")
    if not_before is not None and value < not_before:
        raise InvalidRecord(field, f"the date is before {before_what}")
    return value


def checked_optional_bool(field: str, value) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidRecord(field, "answer yes, no or not known")
    return value


def checked_bool(field: str, value) -> bool:
    if not isinstance(value, bool):
        raise InvalidRecord(field, "answer yes or no")
    return value


def checked_keys(field: str, values: Iterable[str], allowed: Sequence[str]) -> list[str]:
    if isinstance(values, str | bytes):
        raise InvalidRecord(field, "give a list of choices")
    chosen = list(dict.fromkeys(values))
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        raise InvalidRecord(field, f"{len(unknown)} unknown choice(s); choose from: "
                            + ", ".join(allowed))
    return chosen


def nhs_number_digits(nhs_number: str) -> str:
    try:
        return identifiers.validate_nhs_number(nhs_number)
    except (TypeError, ValueError) as error:
        raise InvalidRecord("nhs_number", str(error)) from None


def nhs_number_pseudonym(nhs_number: str) -> str:
    return identifiers.nhs_number_pseudonym(nhs_number_digits(nhs_number), pseudonym_key())


@functools.cache
def _settable_fields(model) -> tuple[tuple[str, str], ...]:
    """(attribute, name) of each of the model's stored fields but its primary key."""
    return tuple((field.attname, field.name) for field in model._meta.concrete_fields
                 if not field.primary_key)


def _created_fields(obj) -> list[str]:
    """The names of the fields an action set on a new record (never their values)."""
    return [name for attname, name in _settable_fields(type(obj))
            if getattr(obj, attname) not in (None, "", [], {})]


def audit_created(user, objects: Iterable) -> None:
    recorder.append_many(user, [recorder.event_for(obj, Action.CREATE, _created_fields(obj))
                                for obj in objects])


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

def checked_reference(team, team_reference) -> str:
    reference = checked_reference_text(team_reference)
    held = Case.objects.filter(team=team, team_reference=reference).first()
    if held is not None:
        raise InvalidRecord("team_reference", "the team already has a case with this reference"
                            + (" (withdrawn): give the family a new reference"
                               if held.withdrawn_at else ""))
    return reference


def checked_reference_text(team_reference) -> str:
    """The reference's own checks, without asking whether the team has it already (the bulk
    import attaches rows to an existing case instead)."""
    if not isinstance(team_reference, str) or not team_reference.strip():
        raise InvalidRecord("team_reference", "give the team's reference for the family")
    reference = team_reference.strip()
    if len(reference) > MAX_REFERENCE:
        raise InvalidRecord("team_reference",
                            f"the reference is longer than {MAX_REFERENCE} characters")
    if identifiers.is_valid_nhs_number(reference):
        raise InvalidRecord("team_reference", "this looks like an NHS number: give the team's "
                            "own reference here, and the NHS number in its own field")
    return reference


def team_reference_warnings(reference: str) -> list[tuple[str, str]]:
    if looks_like_a_name(reference):
        return [("team_reference", "the team reference looks like a person's name: use the "
                 "team's own code for the family, never a name")]
    return []


def checked_birth_month(value, today, *, due: bool | None = None) -> str:
    """The month as YYYY-MM. With `due` given (the case's due-month answer), a month after
    the current one is refused unless it is marked as the expected due month."""
    if value in (None, ""):
        return ""
    try:
        month = identifiers.month_of_birth(value, today=today)
    except (TypeError, ValueError) as error:
        raise InvalidRecord("baby_birth_month", str(error)) from None
    if due is False:
        birth_month_not_in_future(month, today)
    return month


def birth_month_not_in_future(month: str, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    if month > f"{today.year:04d}-{today.month:02d}":
        raise InvalidRecord("baby_birth_month", "the month of birth is in the future: if the "
                            "baby is not born yet, tick that this is the expected due month")


def checked_postcode(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return identifiers.postcode_district(value)
    except (TypeError, ValueError) as error:
        raise InvalidRecord("postcode_district", str(error)) from None


def unique_pseudonym(team, pseudonym: str, *, exclude: int | None = None) -> None:
    others = Case.objects.filter(team=team, nhs_number_pseudonym=pseudonym)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise InvalidRecord("nhs_number", "the team already has a case with this NHS number")



# --------------------------------------------------------------------------------------------
# Episodes and contacts: the per-field rules of actions.open_episode, close_episode and
# record_contact, kept here so the bulk import applies the very same ones column by column.
# --------------------------------------------------------------------------------------------

INTERVENTION_KEYS = v.keys(directory_vocabulary.INTERVENTIONS)
MAX_CONTACT_MINUTES = 24 * 60
EPISODE_START = "the start of the episode"


def episode_start(started_on) -> datetime.date:
    return checked_date("started_on", started_on)


def episode_interventions(interventions: Iterable[str]) -> list[str]:
    return checked_keys("interventions", interventions, INTERVENTION_KEYS)


def episode_end(ended_on, *, started_on: datetime.date) -> datetime.date:
    return checked_date("ended_on", ended_on, not_before=started_on, before_what=EPISODE_START)


def episode_discharge_reason(reason) -> str:
    return checked_choice("discharge_reason", reason, v.DISCHARGE_REASONS)


def contact_date(on, *, started_on: datetime.date,
                 ended_on: datetime.date | None) -> datetime.date:
    """Within the episode: not before its start, not after its end (if it has ended)."""
    on = checked_date("on", on, not_before=started_on, before_what=EPISODE_START)
    if ended_on is not None and on > ended_on:
        raise InvalidRecord("on", "the date is after the end of the episode")
    return on


def contact_minutes(minutes) -> int:
    if (isinstance(minutes, bool) or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_CONTACT_MINUTES):
        raise InvalidRecord("minutes", "give the length in whole minutes, from 0 to "
                            f"{MAX_CONTACT_MINUTES}")
    return minutes


def contact_outcome(outcome) -> str:
    return checked_choice("outcome", outcome, v.CONTACT_OUTCOMES)


def contact_took_place(outcome: str, *, minutes: int, caregivers_attended: bool,
                       baby_attended: bool) -> None:
    """A contact the family did not attend, or that was cancelled, has nobody and no time; an
    attended one has its length and someone who attended (both problems named at once)."""
    if outcome != "attended" and (caregivers_attended or baby_attended or minutes):
        raise InvalidRecord("outcome", "a contact that did not take place has no attendees "
                            "and no minutes")
    problems = {}
    if outcome == "attended" and not minutes:
        problems["minutes"] = ["give the length of the contact in minutes"]
    if outcome == "attended" and not (caregivers_attended or baby_attended):
        problems["attended"] = ["say who attended: the caregivers, the baby or both"]
    if problems:
        raise InvalidRecord(problems)


def episode_after_referral(started_on: datetime.date, referred_on: datetime.date) -> None:
    if started_on < referred_on:
        raise InvalidRecord("started_on", "the work cannot start before the referral it "
                            f"follows ({referred_on:%-d %B %Y})")


def one_open_episode(open_episodes: int) -> None:
    """A referral has at most one episode open at a time."""
    if open_episodes:
        raise InvalidRecord("referral", "the referral already has an open episode: close it "
                            "first, or add to it")


def contact_mode(mode) -> str:
    return checked_choice("mode", mode, v.CONTACT_MODES)


# --------------------------------------------------------------------------------------------
# Referrals
# --------------------------------------------------------------------------------------------

def caregiver(index: int, data: Mapping) -> Caregiver:
    """An unsaved caregiver from {relationship, age_at_referral, ethnic_category}; `index`
    (0-based) names it in messages."""
    which = f"caregiver {index + 1}"
    if not isinstance(data, Mapping):
        raise InvalidRecord("caregivers", f"{which}: give relationship, age and ethnic category")
    unknown = set(data) - {"relationship", "age_at_referral", "ethnic_category"}
    if unknown:
        raise InvalidRecord("caregivers", f"{which}: only relationship, age_at_referral and "
                            "ethnic_category are recorded")
    relationship = data.get("relationship")
    if relationship not in v.keys(v.RELATIONSHIPS):
        raise InvalidRecord("caregivers", f"{which}: relationship must be one of: "
                            + ", ".join(v.keys(v.RELATIONSHIPS)))
    age = data.get("age_at_referral")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)
                            or not 10 <= age <= 99):
        raise InvalidRecord("caregivers", f"{which}: age at referral must be a whole number "
                            "of years from 10 to 99")
    ethnic = data.get("ethnic_category", "Z")
    if ethnic not in v.keys(v.ETHNIC_CATEGORIES):
        raise InvalidRecord("caregivers", f"{which}: ethnic category must be an NHS Data "
                            "Dictionary code: " + ", ".join(v.keys(v.ETHNIC_CATEGORIES)))
    return Caregiver(relationship=relationship, age_at_referral=age, ethnic_category=ethnic)


def referral_decision(decision, decided_on, referred_on) -> tuple[str, datetime.date | None]:
    """The decision and its date: both or neither, the date not before the referral."""
    decision = checked_choice("decision", decision, v.DECISIONS, blank=True)
    if decision and decided_on is None:
        raise InvalidRecord("decided_on", "give the date of the decision")
    if not decision and decided_on is not None:
        raise InvalidRecord("decision", "give the decision for the date")
    if decided_on is not None:
        decision_date(decided_on, referred_on)
    return decision, decided_on


def decision_date(decided_on, referred_on: datetime.date | None) -> datetime.date:
    return checked_date("decided_on", decided_on, not_before=referred_on, before_what="the referral")


def feedback_date(received_on, *, started_on: datetime.date) -> datetime.date:
    return checked_date("received_on", received_on, not_before=started_on, before_what=EPISODE_START)


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------

def measure_score(instrument: str, entered_as: str, *, items=None, total=None,
                  subscales=None) -> Score:
    """The instrument's score; a refusal is named by how the scores were entered (`entered_as`:
    items, total or subscales)."""
    try:
        return score_instrument(instrument, items=None if items is None else list(items),
                                total=total, subscales=subscales)
    except ValueError as error:
        raise InvalidRecord(entered_as, str(error)) from None


# --------------------------------------------------------------------------------------------
# Measures: warnings (the user confirms; the bulk import lists them in its preview)
# --------------------------------------------------------------------------------------------

def measure_warnings(*, instrument_name: str, timepoint: str, administered_on: datetime.date,
                     case_started_on: datetime.date | None,
                     earlier_baseline_on: datetime.date | None) -> list[tuple[str, str]]:
    """`case_started_on`: the case's first referral or episode, if any; `earlier_baseline_on`:
    the date of a baseline of the same measure already recorded for the same episode."""
    warnings = []
    if case_started_on is not None and administered_on < case_started_on:
        warnings.append(("administered_on", "the date is before the case started (its first "
                         f"referral or episode, {case_started_on:%-d %B %Y})"))
    if timepoint == "baseline" and earlier_baseline_on is not None:
        warnings.append(("timepoint", f"a baseline {instrument_name} is already recorded "
                         f"({earlier_baseline_on:%-d %B %Y}): is this a review?"))
    return warnings
