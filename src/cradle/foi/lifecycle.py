"""The FOI lifecycle after a response (pure: no Django, no network; ADR 0032).

Internal review (the body looks again at its own answer):

- FOISA, s.21(1): the authority must comply with a requirement for review "promptly" and in any
  event "not later than the twentieth working day after receipt" of it. Statutory.
- FOIA: the Act sets no time for a review. The code of practice under section 45 (2018, part
  5) says a review should be completed within 20 working days of receipt, and "in exceptional
  circumstances" (complex or voluminous cases) within 40. Guidance, not statute: the page says
  so, and shows the 40-working-day point too.

Both count working days as the request's own regime does (``deadlines.due_date``), so a review
of an English body's answer skips every UK bank holiday (FOIA s.10(6)) and a Scottish one only
Scotland's (FOISA s.73).

Complaints go to the regulator of the request's law: the Information Commissioner's Office for
FOIA, the Scottish Information Commissioner for FOISA (FOIA s.50, FOISA s.47). Both normally
expect an internal review first (FOISA s.47(1) requires it).

Chasers: a body is chased at most once in ``CHASE_INTERVAL_WORKING_DAYS`` working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cradle.foi.deadlines import Regime, due_date, working_days_between

__all__ = [
    "CHASE_INTERVAL_WORKING_DAYS",
    "FOIA_COMPLEX_REVIEW_WORKING_DAYS",
    "REVIEW_WORKING_DAYS",
    "Regulator",
    "ReviewClock",
    "chased_recently",
    "complaint_date_problems",
    "long_date",
    "regulator_for",
    "review_clock",
    "review_date_problems",
    "review_is_overdue",
]

REVIEW_WORKING_DAYS = 20
FOIA_COMPLEX_REVIEW_WORKING_DAYS = 40
CHASE_INTERVAL_WORKING_DAYS = 5


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class ReviewClock:
    """When a review is due, and on what footing."""

    received_on: date
    due_on: date
    #: FOIA only: the code of practice's outer limit for complex cases (None under FOISA).
    complex_due_on: date | None
    statutory: bool
    basis: str


FOISA_BASIS = ("Section 21 of the Freedom of Information (Scotland) Act 2002 requires a review "
               "within 20 working days of receiving the requirement for review (statutory).")
FOIA_BASIS = ("The Freedom of Information Act 2000 sets no time for a review; the code of "
              "practice under section 45 expects one within 20 working days of receiving the "
              "request for review, or 40 in complex cases (guidance, not statute).")


def review_clock(received_on: date, regime: Regime | str) -> ReviewClock:
    """The review's due date: 20 working days after the body received the request for review,
    counted under the request's regime; under FOIA also the 40-working-day point."""
    regime = Regime(regime)
    due = due_date(received_on, regime, REVIEW_WORKING_DAYS)
    if regime is Regime.FOISA:
        return ReviewClock(received_on, due, None, True, FOISA_BASIS)
    return ReviewClock(received_on, due,
                       due_date(received_on, regime, FOIA_COMPLEX_REVIEW_WORKING_DAYS),
                       False, FOIA_BASIS)


def review_is_overdue(due_on: date, decided: bool, today: date) -> bool:
    """A review not decided by the end of its due date is overdue."""
    return not decided and today > due_on


def chased_recently(last_chased: date | None, on: date, regime: Regime | str) -> bool:
    """Whether a chaser sent on `last_chased` is fewer than 5 working days before `on` (the
    same day included), so another must wait."""
    if last_chased is None:
        return False
    return working_days_between(last_chased, on, regime) < CHASE_INTERVAL_WORKING_DAYS


class Regulator(StrEnum):
    ICO = "ico"
    SIC = "sic"

    @property
    def label(self) -> str:
        return REGULATOR_NAMES[self]


REGULATOR_NAMES = {Regulator.ICO: "Information Commissioner's Office",
                   Regulator.SIC: "Scottish Information Commissioner"}


def regulator_for(regime: Regime | str) -> Regulator:
    """The regulator of a request's law: never chosen by hand."""
    return Regulator.SIC if Regime(regime) is Regime.FOISA else Regulator.ICO


# Dates in order: each problem is (field name, message), so a form can put it by its field.

Problem = tuple[str, str]


def _not_before(problems: list[Problem], field: str, label: str, day: date | None,
                earlier: date | None, earlier_label: str) -> None:
    if day is not None and earlier is not None and day < earlier:
        problems.append((field, f"{label} must be on or after {earlier_label} "
                                f"({long_date(earlier)})"))


def review_date_problems(*, sent_on: date | None, asked_on: date | None,
                         received_on: date | None = None,
                         outcome_on: date | None = None) -> list[Problem]:
    """A review is asked no earlier than the request was sent, received no earlier than it
    was asked, and decided no earlier than it was asked."""
    problems: list[Problem] = []
    _not_before(problems, "asked_on", "The date the review was asked for", asked_on, sent_on,
                "the day the request was sent")
    _not_before(problems, "received_on", "The date the body received the request for review",
                received_on, asked_on, "the day it was asked for")
    _not_before(problems, "outcome_on", "The date of the review's outcome", outcome_on,
                asked_on, "the day the review was asked for")
    return problems


def complaint_date_problems(*, sent_on: date | None, made_on: date | None,
                            acknowledged_on: date | None = None,
                            decision_notice_on: date | None = None) -> list[Problem]:
    """A complaint is made no earlier than the request was sent; the regulator acknowledges it
    and decides no earlier than it was made, and decides no earlier than it acknowledged."""
    problems: list[Problem] = []
    _not_before(problems, "made_on", "The date the complaint was made", made_on, sent_on,
                "the day the request was sent")
    _not_before(problems, "acknowledged_on", "The date the regulator acknowledged the "
                "complaint", acknowledged_on, made_on, "the day the complaint was made")
    _not_before(problems, "decision_notice_on", "The date of the decision notice",
                decision_notice_on, made_on, "the day the complaint was made")
    if acknowledged_on and made_on and acknowledged_on >= made_on:
        _not_before(problems, "decision_notice_on", "The date of the decision notice",
                    decision_notice_on, acknowledged_on, "the day the complaint was "
                    "acknowledged")
    return problems
