"""The census's pure rules with plain data: the per-field diff, review decisions, edited
values, duplicate suggestions and the reminder schedule."""

from __future__ import annotations

import datetime

import pytest

from cradle.census.diff import (
    DecisionError,
    OtherSource,
    changes,
    conflicts,
    decided_values,
)
from cradle.census.fields import FIELDS_BY_KEY, in_words, parse_value
from cradle.census.matching import Candidate, postcode_district, suggest_duplicates
from cradle.census.schedule import LinkState, is_overdue, reminder_due

REGISTER = {"status": "operating", "contact_phone": "0113 000", "website": "",
            "staffing.clinical_psychologist": "1.00", "interventions": ["vig"],
            "criterion.dyad_or_triad_focus": True, "professional_referral": None}


@pytest.mark.parametrize("answer, expected", [
    ({}, []),
    (dict(REGISTER), []),
    ({"contact_phone": "0113 999"}, ["contact_phone"]),
    # "Not known" proposes nothing: blank text, None for yes/no or criteria.
    ({"contact_phone": "", "criterion.dyad_or_triad_focus": None}, []),
    # A blank WTE is "none of that profession": it removes the register's figure.
    ({"staffing.clinical_psychologist": None}, ["staffing.clinical_psychologist"]),
    ({"interventions": ["vig", "vipp"], "professional_referral": True},
     ["interventions", "professional_referral"]),
])
def test_changes_are_the_fields_an_answer_changes(answer, expected):
    assert [change.key for change in changes(REGISTER, answer)] == expected


def test_changes_say_before_and_after_in_words():
    (change,) = changes(REGISTER, {"professional_referral": True})
    assert (change.before_words, change.after_words) == ("Not known", "Yes")


def test_a_source_that_says_something_else_is_a_conflict():
    found = changes(REGISTER, {"status": "closed"})
    others = [OtherSource("status", "operating", "a public source", "2025-11"),
              OtherSource("status", "closed", "an earlier census", "2025-03-31"),
              OtherSource("website", "x", "a public source", "2025")]
    (change,) = conflicts(found, others)
    assert [o.source for o in change.conflicts] == ["a public source"]


def test_decisions_accept_edit_and_reject_each_field():
    found = changes(REGISTER, {"status": "paused", "contact_phone": "0113 999",
                               "website": "https://a.example"})
    values = decided_values(found, {"status": ("edit", "closed"),
                                    "contact_phone": ("accept", None),
                                    "website": ("reject", None)})
    assert values == {"status": "closed", "contact_phone": "0113 999"}


@pytest.mark.parametrize("decisions, message", [
    ({"contact_phone": ("accept", None)}, "Website: accept, edit or reject"),
    ({"contact_phone": ("accept", None), "website": ("maybe", None)}, "not a decision"),
    ({"contact_phone": ("accept", None), "website": ("reject", None),
      "status": ("accept", None)}, "no such change"),
])
def test_a_review_with_a_missing_or_bad_decision_is_refused(decisions, message):
    found = changes(REGISTER, {"contact_phone": "0113 999", "website": "https://a.example"})
    with pytest.raises(DecisionError, match=message):
        decided_values(found, decisions)


def test_paused_is_a_register_status_and_an_unknown_status_must_be_edited():
    (paused,) = changes(REGISTER, {"status": "paused"})
    assert not paused.needs_edit
    assert decided_values([paused], {"status": ("accept", None)}) == {"status": "paused"}
    (unknown,) = changes(REGISTER, {"status": "merged"})
    assert unknown.needs_edit
    with pytest.raises(DecisionError, match="planned, operating, paused or closed"):
        decided_values([unknown], {"status": ("accept", None)})


def test_lists_cannot_be_edited_only_accepted_or_rejected():
    found = changes(REGISTER, {"interventions": ["vipp"]})
    with pytest.raises(DecisionError, match="only be accepted or rejected"):
        decided_values(found, {"interventions": ("edit", ["mellow"])})


@pytest.mark.parametrize("key, text, value", [
    ("staffing.clinical_psychologist", "1.2", "1.20"),
    ("staffing.clinical_psychologist", "", None),
    ("accepts_to_months", "24", 24),
    ("self_referral", "Yes", True),
    ("status", "closed", "closed"),
    ("contact_phone", " 0113 ", "0113"),
])
def test_edited_values_are_read_as_the_field_holds_them(key, text, value):
    assert parse_value(FIELDS_BY_KEY[key], text) == value


@pytest.mark.parametrize("key, text", [
    ("staffing.clinical_psychologist", "lots"), ("staffing.clinical_psychologist", "0"),
    ("accepts_to_months", "300"), ("self_referral", "maybe"), ("status", "paused!"),
])
def test_bad_edited_values_are_refused(key, text):
    with pytest.raises(ValueError):
        parse_value(FIELDS_BY_KEY[key], text)


def test_unknown_is_not_known_never_zero():
    assert in_words(FIELDS_BY_KEY["accepts_to_months"], None) == "Not known"
    assert in_words(FIELDS_BY_KEY["interventions"], ["vig"]).startswith("Video Interaction")


CANDIDATES = [
    Candidate(1, "Leeds Infant Mental Health Service", ("Leeds IMHS",), ("Leeds",)),
    Candidate(2, "Little Minds Matter", (), ("Bradford",)),
    Candidate(3, "Parent Infant Mental Health Service", (), ("Sheffield",), ("S1",)),
]


def test_duplicates_are_found_by_name_and_place():
    found = suggest_duplicates("Infant mental health team, Leeds", "Leeds", "", CANDIDATES)
    assert [match.id for match in found][:1] == [1]
    assert "same place" in found[0].why


def test_postcode_district_adds_weight():
    with_postcode = suggest_duplicates("Parent infant mental health", "", "S1 2AB", CANDIDATES)
    without = suggest_duplicates("Parent infant mental health", "", "", CANDIDATES)
    score = {m.id: m.score for m in with_postcode}[3]
    assert score > {m.id: m.score for m in without}[3]


def test_an_unlike_name_elsewhere_is_no_duplicate():
    assert suggest_duplicates("Bumps and Babies Wellbeing", "Exeter", "EX1 1AA",
                              CANDIDATES) == []


@pytest.mark.parametrize("text, district", [("ls1 4ap", "LS1"), ("SW1A 1AA", "SW1A"),
                                            ("LS1", "LS1"), ("not a postcode", "")])
def test_postcode_district(text, district):
    assert postcode_district(text) == district


CLOSES = datetime.date(2027, 4, 30)


def state(sent=None, reminded=None, answered=False, revoked=False):
    return LinkState(sent, reminded, answered, revoked, datetime.date(2027, 5, 28))


@pytest.mark.parametrize("link, today, due", [
    (state(), datetime.date(2027, 4, 1), False),                     # never sent
    (state(datetime.date(2027, 4, 1)), datetime.date(2027, 4, 7), False),
    (state(datetime.date(2027, 4, 1)), datetime.date(2027, 4, 8), True),
    (state(datetime.date(2027, 4, 1), datetime.date(2027, 4, 8)), datetime.date(2027, 4, 10),
     False),
    (state(datetime.date(2027, 4, 1), answered=True), datetime.date(2027, 4, 20), False),
    (state(datetime.date(2027, 4, 1), revoked=True), datetime.date(2027, 4, 20), False),
    # One last reminder a week after closing, then no more.
    (state(datetime.date(2027, 4, 1), datetime.date(2027, 4, 29)), datetime.date(2027, 5, 6),
     True),
    (state(datetime.date(2027, 4, 1), datetime.date(2027, 5, 6)), datetime.date(2027, 5, 20),
     False),
    (state(datetime.date(2027, 4, 1)), datetime.date(2027, 5, 29), False),  # expired
])
def test_reminder_schedule(link, today, due):
    assert reminder_due(link, CLOSES, today) is due


def test_overdue_means_sent_unanswered_and_past_closing():
    sent = state(datetime.date(2027, 4, 1))
    assert not is_overdue(sent, CLOSES, CLOSES)
    assert is_overdue(sent, CLOSES, CLOSES + datetime.timedelta(days=1))
    assert not is_overdue(state(), CLOSES, CLOSES + datetime.timedelta(days=1))
