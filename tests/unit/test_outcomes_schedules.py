"""The measures-due rules (outcomes/schedules.py) as tables, the schedule every instrument
carries in the registry, and the identifiers a flag-review note must not hold."""

from __future__ import annotations

import datetime

import pytest

from cradle.outcomes.free_text import note_problem
from cradle.outcomes.instruments import REGISTRY
from cradle.outcomes.instruments.model import Schedule
from cradle.outcomes.schedules import Due, Given, measures_due

TODAY = datetime.date(2027, 3, 1)
DAY = datetime.timedelta(days=1)
QUARTERLY = Schedule(baseline_within_days=28, review_every_days=84, at_discharge=True,
                     source="test")
NO_REVIEW = Schedule(baseline_within_days=42, review_every_days=None, at_discharge=False,
                     source="test")
SCHEDULES = {"phq9": QUARTERLY, "gbo": NO_REVIEW}


def days_ago(n: int) -> datetime.date:
    return TODAY - n * DAY


@pytest.mark.parametrize("started, ended, given, expected", [
    # Open, nothing recorded: a baseline of any instrument, late after the longest window (42).
    (10, None, [], [Due(None, "baseline", days_ago(10), days_ago(10) + 42 * DAY)]),
    # A baseline before this episode started does not count.
    (10, None, [("phq9", "baseline", 400)],
     [Due(None, "baseline", days_ago(10), days_ago(10) + 42 * DAY)]),
    # Baseline 83 days ago: the review falls due tomorrow, so nothing yet.
    (90, None, [("phq9", "baseline", 83)], []),
    # Baseline 84 days ago: due today.
    (90, None, [("phq9", "baseline", 84)], [Due("phq9", "review", TODAY)]),
    # The review is counted from the latest baseline or review.
    (200, None, [("phq9", "baseline", 190), ("phq9", "review", 100)],
     [Due("phq9", "review", days_ago(16))]),
    (200, None, [("phq9", "baseline", 190), ("phq9", "review", 50)], []),
    # An instrument without reviews is never due while open.
    (200, None, [("gbo", "baseline", 190)], []),
    # Ended 5 days ago with a baseline and no discharge measure: discharge due.
    (200, 5, [("phq9", "baseline", 190)],
     [Due("phq9", "discharge", days_ago(5), days_ago(5) + 28 * DAY)]),
    # ... unless one was recorded, or the instrument has none, or it ended too long ago.
    (200, 5, [("phq9", "baseline", 190), ("phq9", "discharge", 3)], []),
    (200, 5, [("gbo", "baseline", 190)], []),
    (200, 29, [("phq9", "baseline", 190)], []),
    # A measure after the episode ended is no baseline of it.
    (200, 100, [("phq9", "baseline", 50)], []),
])
def test_measures_due(started, ended, given, expected):
    found = measures_due(
        started_on=days_ago(started), ended_on=None if ended is None else days_ago(ended),
        given=[Given(i, t, days_ago(d)) for i, t, d in given], schedules=SCHEDULES,
        today=TODAY)
    assert found == expected


def test_late_is_after_the_window():
    due = Due(None, "baseline", days_ago(10), days_ago(1))
    assert due.is_late(TODAY) and not due.is_late(days_ago(1))
    assert not Due("phq9", "review", days_ago(30)).is_late(TODAY)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_instrument_has_a_sourced_schedule(code):
    schedule = REGISTRY[code].schedule
    assert schedule.source
    assert schedule.baseline_within_days > 0
    assert schedule.review_every_days is None or schedule.review_every_days > 0
    if schedule.cradle_default:
        assert schedule.source.startswith("Cradle default")
    else:
        assert "MEASURES-AND-RULES" in schedule.source and "Cradle default" in schedule.source


@pytest.mark.parametrize("note, refused", [
    ("", False),
    ("Risk discussed; safety plan agreed; GP told.", False),
    ("Seen 3 times in 12 weeks, score 14 of 27", False),
    ("Phoned 07700 900123", True),
    ("0113 496 0000", True),
    ("9434765919", True),
    ("943-476-5919", True),
    ("lives at ls1 4ap", True),
    ("LS14AP", True),
    ("district LS1 only", False),
    ("write to a.person@example.org", True),
])
def test_notes_that_hold_identifiers(note, refused):
    assert (note_problem(note) is not None) is refused
