"""The checks a clinician expects, as plain tables: the same rules the forms, the actions and
the bulk import call (outcomes.validation, outcomes.name_like)."""

from __future__ import annotations

import datetime

import pytest

from cradle.core.forms import is_confirmed, warnings_digest
from cradle.outcomes import validation
from cradle.outcomes.name_like import looks_like_a_name

D = datetime.date

NAMES = [
    ("PIT-001", False), ("LS-2026-04", False), ("ABC123", False), ("FAM 12", False),
    ("PIMH/0042", False), ("T15-7", False), ("A1", False), ("ABC", False),
    ("PIT-WAIT", False), ("PIT-OPEN-1", False), ("LEEDS_A", False), ("Jane-Smith", True),
    ("Jane Smith", True), ("jane smith", True), ("JANE SMITH", True), ("Smith, J", True),
    ("Baby Smith", True), ("Smith", True), ("smith", True), ("Smith 12", True),
    ("O'Brien-Kelly", True), ("McDonald 3", True), ("Case 12", False), ("Baby 2", False),
    ("Zoë Brown", True),
]


@pytest.mark.parametrize(("reference", "name_like"), NAMES)
def test_a_reference_that_looks_like_a_name(reference, name_like):
    assert looks_like_a_name(reference) is name_like


@pytest.mark.parametrize(("reference", "warned"), [("PIT-001", False), ("Jane Smith", True)])
def test_a_name_like_reference_is_a_warning_naming_the_field(reference, warned):
    warnings = validation.team_reference_warnings(reference)
    assert bool(warnings) is warned
    assert all(field == "team_reference" and "name" in message for field, message in warnings)


TODAY = D(2026, 12, 1)
BIRTH_MONTHS = [
    ("2026-12", False, None), ("2026-11", False, None), ("2027-01", False, "in the future"),
    ("2027-01", True, None), ("2027-09", True, None), ("2027-11", True, "too far ahead"),
    ("2026-13", False, "outside 01-12"),
]


@pytest.mark.parametrize(("month", "due", "refused"), BIRTH_MONTHS)
def test_a_birth_month_in_the_future_only_as_a_due_month(month, due, refused):
    if refused is None:
        assert validation.checked_birth_month(month, TODAY, due=due) == month
    else:
        with pytest.raises(validation.InvalidRecord) as error:
            validation.checked_birth_month(month, TODAY, due=due)
        assert error.value.field == "baby_birth_month"
        assert refused in str(error.value)


@pytest.mark.parametrize(("started", "referred", "refused"), [
    (D(2026, 5, 2), D(2026, 5, 1), False), (D(2026, 5, 1), D(2026, 5, 1), False),
    (D(2026, 4, 30), D(2026, 5, 1), True)])
def test_an_episode_starts_on_or_after_its_referral(started, referred, refused):
    if refused:
        with pytest.raises(validation.InvalidRecord, match="before the referral") as error:
            validation.episode_after_referral(started, referred)
        assert error.value.field == "started_on"
    else:
        validation.episode_after_referral(started, referred)


@pytest.mark.parametrize(("open_episodes", "refused"), [(0, False), (1, True), (2, True)])
def test_one_open_episode_per_referral(open_episodes, refused):
    if refused:
        with pytest.raises(validation.InvalidRecord, match="already has an open episode"):
            validation.one_open_episode(open_episodes)
    else:
        validation.one_open_episode(open_episodes)


MEASURES = [
    # timepoint, administered, case started, earlier baseline, fields warned
    ("baseline", D(2026, 5, 1), D(2026, 5, 1), None, []),
    ("baseline", D(2026, 4, 30), D(2026, 5, 1), None, ["administered_on"]),
    ("baseline", D(2026, 4, 30), None, None, []),
    ("baseline", D(2026, 6, 1), D(2026, 5, 1), D(2026, 5, 2), ["timepoint"]),
    ("review", D(2026, 6, 1), D(2026, 5, 1), D(2026, 5, 2), []),
    ("baseline", D(2026, 4, 1), D(2026, 5, 1), D(2026, 5, 2), ["administered_on", "timepoint"]),
]


@pytest.mark.parametrize(("timepoint", "on", "started", "baseline", "fields"), MEASURES)
def test_measure_warnings(timepoint, on, started, baseline, fields):
    warnings = validation.measure_warnings(
        instrument_name="PHQ-9", timepoint=timepoint, administered_on=on,
        case_started_on=started, earlier_baseline_on=baseline)
    assert [field for field, _message in warnings] == fields


def test_problems_reports_every_refusal_at_once():
    problems = validation.Problems()
    assert problems.check(validation.episode_after_referral, D(2026, 1, 1),
                          D(2026, 2, 1)) is validation.Problems.FAILED
    problems.check(validation.one_open_episode, 1)
    problems.check(validation.contact_took_place, "attended", minutes=0,
                   caregivers_attended=False, baby_attended=False)
    with pytest.raises(validation.InvalidRecord) as error:
        problems.raise_any()
    assert sorted(error.value.message_dict) == ["attended", "minutes", "referral", "started_on"]


def test_a_confirmation_covers_exactly_the_warnings_it_was_shown():
    shown = [("team_reference", "looks like a name")]
    other = [("team_reference", "looks like a name"), ("timepoint", "a second baseline")]
    assert is_confirmed(warnings_digest(shown), shown)
    assert not is_confirmed(warnings_digest(shown), other)
    assert not is_confirmed("", shown) and not is_confirmed(False, shown)
    assert is_confirmed(True, shown)
    with pytest.raises(validation.NeedsConfirmation) as error:
        validation.confirm(warnings_digest(shown), other)
    assert error.value.warnings == other
    validation.confirm(warnings_digest(other), other)
