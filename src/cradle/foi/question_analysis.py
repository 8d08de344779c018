"""Figures for a campaign with its own questions (pure: no Django).

The 2019 preset keeps its own analysis (analysis.py). For any other campaign, each answer
field (question_data.answer_fields) is summarised over the bodies' answer sets:

- Each body counts once: its latest structured answer (the caller passes one set per body).
- Every field states its denominator: the bodies that sent a structured answer. Among them,
  how many answered the field, said it was not known, refused it, or left it unanswered.
- A yes/no field gives how many said yes and no, of those who answered.
- A count gives the total and the median of the numbers given, over the bodies that gave a
  number; "not known", "refused" and unanswered are left out of both, never counted as 0.
  The median of an even number of counts is the mean of the middle two (it may end in .5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .question_data import AnswerField, AnswerStatus, QuestionKind, TypedQuestion, answer_fields

__all__ = ["RULES", "FieldSummary", "summarise_answers"]

RULES: tuple[str, ...] = (
    "Each body counts once, by its latest checked structured answer; answers entered and not "
    "yet checked by a second coordinator are in no figure.",
    "Every figure is over the bodies that sent a structured answer; among them, each question "
    "was answered, not known, refused or not answered.",
    "Yes and no are counted over the bodies that answered the question.",
    "Totals and medians of counts are over the bodies that gave a number; not known, refused "
    "and unanswered are left out, never counted as 0.",
    "The median of an even number of counts is the mean of the middle two.",
)


@dataclass(frozen=True)
class FieldSummary:
    field: AnswerField
    bodies: int  # the denominator: bodies with a structured answer
    answered: int
    not_known: int
    refused: int
    yes: int | None = None
    no: int | None = None
    total: int | None = None
    median: Decimal | None = None

    @property
    def not_answered(self) -> int:
        return self.bodies - self.answered - self.not_known - self.refused


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def summarise_answers(questions: Sequence[TypedQuestion],
                      answer_sets: Sequence[Mapping[str, Mapping]]) -> list[FieldSummary]:
    summaries = []
    for field in answer_fields(questions):
        cells = [answers.get(field.name) for answers in answer_sets]
        statuses = [cell["status"] if cell else None for cell in cells]
        values = [cell["value"] for cell in cells
                  if cell and cell["status"] == AnswerStatus.ANSWERED]
        extra = {}
        if field.value_kind == QuestionKind.YES_NO:
            extra = {"yes": sum(1 for v in values if v is True),
                     "no": sum(1 for v in values if v is False)}
        elif field.value_kind == QuestionKind.COUNT:
            extra = {"total": sum(values) if values else None, "median": _median(values)}
        summaries.append(FieldSummary(
            field=field, bodies=len(answer_sets),
            answered=statuses.count(AnswerStatus.ANSWERED),
            not_known=statuses.count(AnswerStatus.NOT_KNOWN),
            refused=statuses.count(AnswerStatus.REFUSED), **extra))
    return summaries
