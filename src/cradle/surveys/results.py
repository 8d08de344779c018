"""A survey's results per question, per nation and for one area, under disclosure control
(pure: no Django imports).

Every published figure is cut from one protected family (ADR 0007, "Release families"):
- the nations (and "Nation not known", for answers with no area) partition the UK, so each
  question's counts are one two-way table, nations by categories, protected by
  `stats.families.protect_partition`; the UK's figures are its totals;
- a multiple-choice question is one such table per choice (chosen, not chosen), and the
  number who answered, shown in each, is hidden in all of them when any hides it;
- an area's figures sit inside its nation's, which are fixed: `protect_within`;
- a median or mean needs more than 7 answers, and is withheld with the smallest others until
  what is withheld cannot be worked out from the UK's (`withheld_summaries`);
- percentages are worked out from the shown counts, never the true ones.
Free text is counted here, never shown: coordinators read it on their own page.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cradle.stats.disclosure import NHS_DIGITAL, SUPPRESSED, DisclosurePolicy
from cradle.stats.families import (
    Shown,
    protect_partition,
    protect_within,
    summary_exposed_within,
    withheld_summaries,
)

from .questions import MULTIPLE, NUMBER, SINGLE, Question

NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
NOT_KNOWN = "Nation not known"
UK = "UK"
ANSWERED, CHOSEN, NOT_CHOSEN = "answered", "chosen", "not chosen"
HIDDEN_STATUS = ("suppressed: a count from 1 to 7, or withheld so that such a count cannot be "
                 "worked out from the others")


@dataclass(frozen=True)
class Reply:
    """One response as the builder needs it: the nation and area it came from (None when the
    respondent did not say) and its answers by question id."""

    nation: str | None
    area: str | None
    answers: Mapping[str, object]


@dataclass
class Row:
    label: str
    cells: list[str]              # shown count per column: a whole number as text, or "*"
    total: str                    # shown number who answered
    percents: list[str | None]    # from the shown counts; "*" when either is hidden
    median: str | None = None     # number questions
    mean: str | None = None

    @property
    def pairs(self) -> list[tuple[str, str | None]]:
        return list(zip(self.cells, self.percents, strict=True))


@dataclass
class QuestionResult:
    question: Question
    columns: list[tuple[str, str]]
    uk: Row
    nations: list[Row] = field(default_factory=list)
    area: Row | None = None

    @property
    def rows(self) -> list[Row]:
        return [self.uk, *self.nations, *([self.area] if self.area else [])]


def percent(shown: str, of: str, places: int = 0) -> str | None:
    """A share from two shown counts: None when the denominator is 0, "*" when either is
    hidden."""
    if of == "0":
        return None
    if SUPPRESSED in (shown, of):
        return SUPPRESSED
    share = Decimal(int(shown)) * 100 / Decimal(int(of))
    return str(share.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def nation_of(reply: Reply) -> str:
    return reply.nation if reply.nation in NATIONS else NOT_KNOWN


def _categories(question: Question, value) -> list[str]:
    if value is None:
        return []
    if question.kind == SINGLE:
        return [value]
    if question.kind == MULTIPLE:
        return list(value)
    return [ANSWERED]


def _tables(question: Question, replies: Iterable[Reply]) -> dict[str, dict[str, dict]]:
    """Per table (one for most questions, one per choice for multiple choice): per part (a
    nation), counts by label."""
    keys = question.choice_keys if question.kind == MULTIPLE else ("",)
    tables = {key: {nation: {} for nation in (*NATIONS, NOT_KNOWN)} for key in keys}
    for reply in replies:
        value = reply.answers.get(question.id)
        if value is None or value == []:
            continue
        chosen = _categories(question, value)
        part = nation_of(reply)
        if question.kind == MULTIPLE:
            for key in keys:
                label = CHOSEN if key in chosen else NOT_CHOSEN
                counts = tables[key][part]
                counts[label] = counts.get(label, 0) + 1
        else:
            counts = tables[""][part]
            for label in chosen:
                counts[label] = counts.get(label, 0) + 1
    return tables


def _labels(question: Question) -> list[str]:
    if question.kind == SINGLE:
        return list(question.choice_keys)
    if question.kind == MULTIPLE:
        return [CHOSEN, NOT_CHOSEN]
    return [ANSWERED]


def _filled(parts: dict[str, dict], labels: list[str]) -> dict[str, dict]:
    return {part: {label: counts.get(label, 0) for label in labels}
            for part, counts in parts.items()}


def _hide_totals_everywhere(shown: dict[str, tuple[dict[str, Shown], Shown]]) -> None:
    """One count, one shown value: a nation's (or the UK's) number who answered is shown in
    every choice's table, so it is hidden in all when any table hides it."""
    hidden = {part for by_part, _ in shown.values() for part, s in by_part.items()
              if s.total == SUPPRESSED}
    uk_hidden = any(whole.total == SUPPRESSED for _, whole in shown.values())
    for key, (by_part, whole) in shown.items():
        by_part = {part: Shown(s.cells, SUPPRESSED if part in hidden else s.total)
                   for part, s in by_part.items()}
        shown[key] = (by_part, Shown(whole.cells, SUPPRESSED if uk_hidden else whole.total))


def _summary(values: Sequence[int], withheld: bool, policy: DisclosurePolicy,
             shown_total: str) -> tuple[str | None, str | None]:
    if not values:
        return None, None
    if withheld or shown_total == SUPPRESSED:
        return SUPPRESSED, SUPPRESSED
    people = len(values)
    median = policy.summary(statistics.median(values), people, places=0)
    mean = policy.summary(statistics.fmean(values), people,
                          places=policy.mean_places(people, 1))
    return median, mean


def question_result(question: Question, replies: Sequence[Reply], *,
                    area: tuple[str, str, str] | None = None,
                    policy: DisclosurePolicy = NHS_DIGITAL) -> QuestionResult:
    """The protected figures of one question for the UK and each nation and, with `area` as
    (code, name, nation), for the answers from that area inside its nation's."""
    labels = _labels(question)
    tables = {key: _filled(parts, labels) for key, parts in _tables(question, replies).items()}
    shown = {key: protect_partition(parts, policy=policy) for key, parts in tables.items()}
    if question.kind == MULTIPLE:
        _hide_totals_everywhere(shown)
    columns = [(key, question.label_of(key)) for key in question.choice_keys] \
        if question.kind in (SINGLE, MULTIPLE) else []

    def row(label: str, per_table: Mapping[str, Shown], values: Sequence[int],
            withheld: bool) -> Row:
        if question.kind == MULTIPLE:
            cells = [per_table[key].cells[CHOSEN] for key in question.choice_keys]
            total = per_table[question.choice_keys[0]].total
        else:
            only = per_table[""]
            cells = [only.cells[key] for key in question.choice_keys] if columns else []
            total = only.total
        result = Row(label=label, cells=cells, total=total,
                     percents=[percent(cell, total) for cell in cells])
        if question.kind == NUMBER:
            result.median, result.mean = _summary(values, withheld, policy, total)
        return result

    numbers = _numbers_by_part(question, replies)
    people = {part: len(values) for part, values in numbers.items()}
    withheld = withheld_summaries(people, policy=policy) if question.kind == NUMBER else set()
    nations = [row(part, {key: shown[key][0][part] for key in shown}, numbers[part],
                   part in withheld) for part in (*NATIONS, NOT_KNOWN)]
    uk = row(UK, {key: shown[key][1] for key in shown},
             [v for values in numbers.values() for v in values], False)
    result = QuestionResult(question=question, columns=columns, uk=uk, nations=nations)
    if area is not None:
        result.area = _area_row(question, replies, area, tables, shown, numbers, withheld,
                                row, policy)
    return result


def _numbers_by_part(question: Question, replies: Iterable[Reply]) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = {part: [] for part in (*NATIONS, NOT_KNOWN)}
    if question.kind == NUMBER:
        for reply in replies:
            value = reply.answers.get(question.id)
            if value is not None:
                numbers[nation_of(reply)].append(int(value))
    return numbers


def _area_row(question, replies, area, tables, shown, numbers, withheld, row, policy) -> Row:
    code, name, nation = area
    inside = [reply for reply in replies if reply.area == code]
    labels = _labels(question)
    child_tables = {key: _filled(parts, labels)[nation]
                    for key, parts in _tables(question, inside).items()}
    per_table = {}
    for key, child in child_tables.items():
        primary = protect_partition({code: child}, policy=policy)[0][code]
        per_table[key] = protect_within(child, primary, tables[key][nation],
                                        shown[key][0][nation], policy=policy)
    if question.kind == MULTIPLE and any(s.total == SUPPRESSED for s in per_table.values()):
        per_table = {key: Shown(s.cells, SUPPRESSED) for key, s in per_table.items()}
    values = _numbers_by_part(question, inside)[nation]
    summary_withheld = (nation in withheld or summary_exposed_within(
        len(values), len(numbers[nation]), policy=policy))
    return row(name, per_table, values, summary_withheld)


# Year on year ----------------------------------------------------------------------------

@dataclass(frozen=True)
class YearColumn:
    label: str                     # the survey's year or name
    asked: bool                    # False: this survey did not ask the question
    total: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    percents: dict[str, str | None] = field(default_factory=dict)
    median: str | None = None


def year_on_year(question: Question,
                 earlier: Sequence[tuple[str, Mapping[str, QuestionResult]]],
                 current: tuple[str, QuestionResult]) -> list[YearColumn]:
    """The UK's published figures of the same question id in each survey, oldest first: each
    survey's own protected release, read by choice key (a choice a survey did not offer is
    absent from its column)."""
    columns = []
    for label, results in [*earlier, (current[0], {question.id: current[1]})]:
        result = results.get(question.id)
        if result is None:
            columns.append(YearColumn(label=label, asked=False))
            continue
        keys = [key for key, _ in result.columns]
        columns.append(YearColumn(
            label=label, asked=True, total=result.uk.total,
            cells=dict(zip(keys, result.uk.cells, strict=True)),
            percents=dict(zip(keys, result.uk.percents, strict=True)),
            median=result.uk.median))
    return columns


def csv_rows(results: Iterable[QuestionResult]) -> list[list]:
    """One figure a row: a hidden one is an empty value with its status (never "*")."""
    out = []
    for result in results:
        q = result.question
        for r in result.rows:
            categories = result.columns or [("", "answered")]
            for index, (key, label) in enumerate(categories):
                count = r.cells[index] if result.columns else r.total
                share = r.percents[index] if result.columns else None
                out.append([q.id, q.text, r.label, key, label, *_value(count),
                            "" if share in (None, SUPPRESSED) else share, r.total
                            if r.total != SUPPRESSED else ""])
            if q.kind == NUMBER:
                for what, value in (("median", r.median), ("mean", r.mean)):
                    out.append([q.id, q.text, r.label, what, what, *_value(value), "", ""])
    return out


CSV_HEADER = ["question_id", "question", "breakdown", "category", "category_label", "value",
              "status", "percent", "answered"]


def _value(shown: str | None) -> tuple:
    if shown is None:
        return "", "none"
    if shown == SUPPRESSED:
        return "", HIDDEN_STATUS
    number = Decimal(shown)
    return (int(number) if number == number.to_integral_value() else float(number)), "shown"
