"""Answers that cannot be right, refused before they are stored (pure: no Django).

Two rules (ADR 0031):

- **A reply cannot arrive before the letter was sent.** An answer dated before its request's
  sent date is a typing slip, and would make every working-day figure of the campaign wrong.
- **A part cannot exceed its whole.** Children aged 2 and under are some of the children aged
  0 to 18, so the age bands given for the under-3s cannot add up to more than the 0 to 18
  total. The 2019 questions pair each measure's bands with its total (``PAIRS_2019``); a
  campaign's own age-band question names its total with ``part_of`` (question_data). Bodies do
  sometimes send such figures (two systems counting differently), so the rule can be
  overridden, but only by a person confirming with a note that says why the figures stand.

Only the bands that were answered are added up; a band not known or not answered adds nothing,
and a total that is not known is never compared (an unknown is not 0).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from .question_data import AnswerStatus, QuestionKind, TypedQuestion, answer_fields

__all__ = ["CONFIRM_ADVICE", "PAIRS_2019", "TotalProblem", "part_of_problems", "problems_2019",
           "reply_before_letter"]

#: The 2019 questions' (measure words, age-band fields, the 0 to 18 total's field).
PAIRS_2019: tuple[tuple[str, tuple[str, ...], str], ...] = tuple(
    (f"children {measure}", tuple(f"{measure}_{band}" for band in ("0_12m", "12_24m", "24_36m")),
     f"{measure}_0_18")
    for measure in ("referred", "accessed"))


def reply_before_letter(received_on: datetime.date | None,
                        sent_on: datetime.date | None) -> str | None:
    """The problem with an answer received before its letter was sent, or None."""
    if received_on is None or sent_on is None or received_on >= sent_on:
        return None
    return (f"the answer is dated {received_on.day} {received_on:%B %Y}, before the letter was "
            f"sent on {sent_on.day} {sent_on:%B %Y}; check the date the reply arrived")


class TotalProblem(str):
    """A part above its whole: a message, confirmable with a note (so a subclass of str)."""


def _sum_problem(words: str, parts: Mapping[str, int | None], total_name: str,
                 total: int | None) -> TotalProblem | None:
    given = {name: value for name, value in parts.items() if value is not None}
    if total is None or not given:
        return None
    added = sum(given.values())
    if added <= total:
        return None
    return TotalProblem(
        f"{words} ({' + '.join(f'{v} ({k})' for k, v in given.items())} = {added}) is more "
        f"than the total {total} ({total_name})")


#: What a person is told to do about a TotalProblem.
CONFIRM_ADVICE = "correct the figures, or confirm them with a note saying why they stand"


def problems_2019(values: Mapping[str, int | None], where: str = "") -> list[TotalProblem]:
    """The 2019 questions: for referrals and for access, the bands against the total."""
    prefix = f"{where}: " if where else ""
    found = []
    for words, bands, total in PAIRS_2019:
        problem = _sum_problem(f"{words} aged 2 and under", {band: values.get(band) for band in bands}, total,
                               values.get(total))
        if problem:
            found.append(TotalProblem(prefix + problem))
    return found


def _count(cell: Mapping | None) -> int | None:
    if not cell or cell.get("status") != AnswerStatus.ANSWERED:
        return None
    value = cell.get("value")
    return value if type(value) is int else None


def part_of_problems(questions: Sequence[TypedQuestion],
                     answers: Mapping[str, Mapping]) -> list[TotalProblem]:
    """A campaign's own questions: each age-band question with ``part_of``, its answered
    bands against the count question it is part of."""
    fields = answer_fields(questions)
    numbers = {field.question.id: field.number for field in fields}
    found = []
    for question in questions:
        if question.kind != QuestionKind.AGE_BAND_COUNT or not question.part_of:
            continue
        parts = {field.name: _count(answers.get(field.name))
                 for field in fields if field.question.id == question.id}
        problem = _sum_problem(
            f"Question {numbers[question.id]}: the age bands together", parts,
            f"question {numbers[question.part_of]}, {question.part_of}",
            _count(answers.get(question.part_of)))
        if problem:
            found.append(problem)
    return found
