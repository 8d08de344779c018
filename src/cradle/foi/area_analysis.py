"""Figures on today's areas for a campaign with its own questions (pure: no Django).

A campaign's answers are per body. This module maps them to today's ICBs and sub-ICB
locations and counts babies from one age-band count question, without ever splitting a body's
count between areas. The rules are also ``RULES``, one plain sentence each, for the report.

- A commissioner speaks for the areas it commissions (its areas); a trust speaks for the areas
  it serves (recorded per trust, its ICB by default). A trust that serves an ICB serves each of
  its sub-ICB locations. An ICB's trusts are those serving it or any of its sub-ICB locations,
  each counted once.
- A body's under-1 figure is the sum of its answers for the bands that exactly tile 0 to 12
  months, and its under-3 figure for 0 to 36 months. If the question's bands do not tile the
  range exactly (a gap, or a band across 12 or 36 months), the figure cannot be computed for
  any body; it is never approximated.
- A body's figure is a number only if every band in the range was answered with a number.
  Otherwise it is refused (any band refused), not known (any band not known), not answered
  (no band answered) or incomplete (some bands left unanswered); none of these counts as 0.
- An area's figure is given separately for commissioners and for trusts, as the total over the
  bodies that gave a number, with how many gave one out of how many speak for the area.
  Commissioners' and trusts' counts are never added together: they may describe the same
  babies.
- A trust's count is for its whole footprint: it is shown whole in every area it serves, and
  never apportioned. A total over an area's trusts is the babies those trusts saw, wherever
  they live.
- An area saw under-3s if any body speaking for it gave a number above 0 for a band within 0 to
  36 months; it saw none if every such body gave an under-3 figure of 0; otherwise not known.
- The distribution per trust is over the trusts asked that gave a number; percentages are of
  those trusts, rounded half up to whole numbers (12.5 becomes 13), and none over no trusts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .analysis import WHOLE, percentage
from .question_data import AgeBand, AnswerStatus, TypedQuestion

__all__ = ["BUCKETS", "CSV_COLUMNS", "RANGES", "RULES", "AreaFigures", "AreaInput", "BodyFigure",
           "BodyInput", "BodyLine", "Distribution", "FigureStatus", "GroupFigure", "Range",
           "Role", "TODAYS_ICB_SCHEME", "TODAYS_SCHEMES", "TODAYS_SUB_ICB_SCHEME",
           "analyse_areas", "body_figure", "csv_table", "distribution", "period_note", "saw_under3",
           "tiling"]

#: Today's schemes: the ICBs of April 2026 and the latest sub-ICB locations (April 2024; no
#: list of April 2026 is in Cradle's sources).
TODAYS_ICB_SCHEME = "icb2026"
TODAYS_SUB_ICB_SCHEME = "subicb2024"
TODAYS_SCHEMES = (TODAYS_ICB_SCHEME, TODAYS_SUB_ICB_SCHEME)

RULES: tuple[str, ...] = (
    "A commissioner speaks for the areas it commissions; a trust speaks for the areas it "
    "serves (recorded per trust, its ICB by default). A trust serving an ICB serves each of its "
    "sub-ICB locations, and an ICB's trusts are those serving it or any of its sub-ICB "
    "locations, each counted once.",
    "A body's under-1 figure is the sum of its answers for the age bands that exactly cover 0 "
    "to 12 months, and its under-3 figure for 0 to 36 months. If the question's bands do not "
    "cover the range exactly, the figure cannot be computed; it is never approximated.",
    "A body's figure is a number only if every band in the range was answered with a number; "
    "otherwise it is refused, not known, not answered or incomplete, and never counted as 0.",
    "Each area's figures are given separately for commissioners and for trusts: the total over "
    "the bodies that gave a number, out of the bodies speaking for the area. Commissioners' and "
    "trusts' counts are never added together, as they may describe the same babies.",
    "A trust's count is for its whole footprint: it is shown whole in every area it serves and "
    "never split between them, so a total over an area's trusts is the babies those trusts "
    "saw, wherever they live.",
    "An area saw under-3s if any body speaking for it gave a number above 0 for an age band "
    "within 0 to 36 months; none if every body speaking for it gave an under-3 figure of 0; "
    "otherwise it is not known.",
    "The distribution per trust is over the trusts asked that gave a number; percentages are of "
    "those trusts, rounded half up to whole numbers (12.5 becomes 13), and none over no trusts.",
)


@dataclass(frozen=True)
class Range:
    key: str
    to_months: int
    label: str


UNDER_1 = Range("under1", 12, "under 1 (0 to 12 months)")
UNDER_3 = Range("under3", 36, "under 3 (0 to 36 months)")
RANGES = (UNDER_1, UNDER_3)

#: The distribution's buckets: (key, label, lowest, highest or None).
BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("none", "0", 0, 0), ("1_9", "1 to 9", 1, 9), ("10_49", "10 to 49", 10, 49),
    ("50_plus", "50 or more", 50, None))


class Role(StrEnum):
    COMMISSIONER = "commissioner"
    TRUST = "trust"


class FigureStatus(StrEnum):
    ANSWERED = "answered"
    NOT_KNOWN = "not_known"
    REFUSED = "refused"
    NOT_ANSWERED = "not_answered"
    INCOMPLETE = "incomplete"
    NO_ANSWER = "no_answer"  # the body sent no structured answer
    CANNOT_COMPUTE = "cannot_compute"  # the question's bands do not tile the range


STATUS_WORDS = {
    FigureStatus.NOT_KNOWN: "not known",
    FigureStatus.REFUSED: "refused",
    FigureStatus.NOT_ANSWERED: "not answered",
    FigureStatus.INCOMPLETE: "incomplete (some age bands not answered)",
    FigureStatus.NO_ANSWER: "no answer recorded",
    FigureStatus.CANNOT_COMPUTE: "cannot be computed from this question's age bands",
}
#: The statuses counted apart on every figure, in the order pages list them.
UNGIVEN = (FigureStatus.NOT_KNOWN, FigureStatus.REFUSED, FigureStatus.NOT_ANSWERED,
           FigureStatus.INCOMPLETE, FigureStatus.NO_ANSWER)


def tiling(bands: Sequence[AgeBand], to_months: int) -> tuple[AgeBand, ...] | None:
    """The bands that exactly cover 0 up to ``to_months`` months, or None: bands must start at
    0, follow on without a gap and end exactly at ``to_months`` (youngest first, as validated)."""
    chosen, reached = [], 0
    for band in bands:
        if band.from_months >= to_months:
            break
        if band.from_months != reached or band.to_months > to_months:
            return None
        chosen.append(band)
        reached = band.to_months
    return tuple(chosen) if reached == to_months else None


@dataclass(frozen=True)
class BodyFigure:
    status: FigureStatus
    value: int | None = None

    @property
    def words(self) -> str:
        return str(self.value) if self.status == FigureStatus.ANSWERED else STATUS_WORDS[
            self.status]


def _field(question: TypedQuestion, band: AgeBand) -> str:
    return f"{question.id}_{band.id}"


def body_figure(question: TypedQuestion, to_months: int,
                answers: Mapping[str, Mapping] | None) -> BodyFigure:
    """One body's count for the ages 0 up to ``to_months`` (see the rules above)."""
    if answers is None:
        return BodyFigure(FigureStatus.NO_ANSWER)
    bands = tiling(question.bands, to_months)
    if bands is None:
        return BodyFigure(FigureStatus.CANNOT_COMPUTE)
    cells = [answers.get(_field(question, band)) for band in bands]
    statuses = [cell.get("status") if cell else None for cell in cells]
    if all(status == AnswerStatus.ANSWERED for status in statuses):
        return BodyFigure(FigureStatus.ANSWERED, sum(cell["value"] for cell in cells))
    if AnswerStatus.REFUSED in statuses:
        return BodyFigure(FigureStatus.REFUSED)
    if AnswerStatus.NOT_KNOWN in statuses:
        return BodyFigure(FigureStatus.NOT_KNOWN)
    if all(status is None for status in statuses):
        return BodyFigure(FigureStatus.NOT_ANSWERED)
    return BodyFigure(FigureStatus.INCOMPLETE)


def saw_under3(question: TypedQuestion, answers: Mapping[str, Mapping] | None) -> bool | None:
    """True if any band within 0 to 36 months was answered above 0; False if the under-3
    figure is a number and it is 0; None otherwise (not known)."""
    if answers is None:
        return None
    for band in question.bands:
        cell = answers.get(_field(question, band))
        if (band.to_months <= UNDER_3.to_months and cell
                and cell.get("status") == AnswerStatus.ANSWERED and cell["value"] > 0):
            return True
    figure = body_figure(question, UNDER_3.to_months, answers)
    return False if figure.status == FigureStatus.ANSWERED else None


@dataclass(frozen=True)
class AreaInput:
    """An ICB or a sub-ICB location of today; ``icbs`` are the ICBs a sub-ICB location is in
    (usually one; two where today's ICBs split its ICB of 2024 through it)."""

    key: int
    code: str
    name: str
    is_icb: bool
    icbs: tuple[int, ...] = ()


@dataclass(frozen=True)
class BodyInput:
    """A body asked in the campaign: the areas it speaks for and its latest answer's cells
    (None if it sent no structured answer)."""

    key: int
    code: str
    name: str
    role: Role
    areas: frozenset[int]
    answers: Mapping[str, Mapping] | None


@dataclass(frozen=True)
class BodyLine:
    body: BodyInput
    under1: BodyFigure
    under3: BodyFigure
    saw_under3: bool | None
    via: str = ""  # for a trust listed through the ICB it serves: that ICB's name

    @property
    def footprint(self) -> int:
        """How many of today's areas the body speaks for."""
        return len(self.body.areas)


@dataclass(frozen=True)
class GroupFigure:
    """A range's figure over one role's bodies speaking for an area."""

    bodies: int  # the denominator: bodies of this role speaking for the area
    gave_number: int
    total: int | None
    computable: bool
    ungiven: Mapping[FigureStatus, int] = field(default_factory=dict)

    @property
    def ungiven_words(self) -> str:
        return ", ".join(f"{count} {STATUS_WORDS[status]}"
                         for status, count in self.ungiven.items() if count)

    @property
    def words(self) -> str:
        """The figure with its denominator, as pages and the CSV give it."""
        if not self.bodies:
            return "no body"
        if not self.computable:
            return STATUS_WORDS[FigureStatus.CANNOT_COMPUTE]
        rest = f"; {self.ungiven_words}" if self.ungiven_words else ""
        if not self.gave_number:
            return f"no number from the {self.bodies}{rest}"
        return f"{self.total} (from {self.gave_number} of {self.bodies}{rest})"


def _group(lines: Sequence[BodyLine], range_key: str) -> GroupFigure:
    figures = [getattr(line, range_key) for line in lines]
    values = [f.value for f in figures if f.status == FigureStatus.ANSWERED]
    computable = not any(f.status == FigureStatus.CANNOT_COMPUTE for f in figures)
    return GroupFigure(
        bodies=len(lines), gave_number=len(values), total=sum(values) if values else None,
        computable=computable,
        ungiven={status: sum(1 for f in figures if f.status == status) for status in UNGIVEN})


@dataclass(frozen=True)
class AreaFigures:
    area: AreaInput
    commissioners: tuple[BodyLine, ...]
    trusts: tuple[BodyLine, ...]
    sub_areas: tuple[AreaFigures, ...] = ()  # an ICB's sub-ICB locations

    @property
    def lines(self) -> tuple[BodyLine, ...]:
        return self.commissioners + self.trusts

    @property
    def bodies(self) -> int:
        return len(self.lines)

    @property
    def answered(self) -> int:
        """Bodies speaking for the area that sent a structured answer."""
        return sum(1 for line in self.lines if line.body.answers is not None)

    def figure(self, role: Role, range_key: str) -> GroupFigure:
        lines = self.commissioners if role == Role.COMMISSIONER else self.trusts
        return _group(lines, range_key)

    @property
    def commissioners_under1(self) -> GroupFigure:
        return self.figure(Role.COMMISSIONER, UNDER_1.key)

    @property
    def commissioners_under3(self) -> GroupFigure:
        return self.figure(Role.COMMISSIONER, UNDER_3.key)

    @property
    def trusts_under1(self) -> GroupFigure:
        return self.figure(Role.TRUST, UNDER_1.key)

    @property
    def trusts_under3(self) -> GroupFigure:
        return self.figure(Role.TRUST, UNDER_3.key)

    @property
    def every_line(self) -> tuple[BodyLine, ...]:
        """Each body speaking for the area or any of its sub-ICB locations, once."""
        lines = {}
        for figures in self.rows:
            for line in figures.lines:
                lines.setdefault(line.body.key, line)
        return _by_name(lines.values())

    @property
    def rows(self) -> tuple[AreaFigures, ...]:
        """An ICB's table: the ICB itself, then its sub-ICB locations."""
        return (self, *self.sub_areas)

    @property
    def saw_under3(self) -> bool | None:
        seen = [line.saw_under3 for line in self.lines]
        if True in seen:
            return True
        return False if seen and all(s is False for s in seen) else None

    @property
    def saw_under3_words(self) -> str:
        if not self.lines:
            return "no body asked speaks for this area"
        return {True: "yes", False: "no", None: "not known"}[self.saw_under3]


def _line(body: BodyInput, question: TypedQuestion, via: str = "") -> BodyLine:
    return BodyLine(body, body_figure(question, UNDER_1.to_months, body.answers),
                    body_figure(question, UNDER_3.to_months, body.answers),
                    saw_under3(question, body.answers), via)


def _by_name(lines: Iterable[BodyLine]) -> tuple[BodyLine, ...]:
    return tuple(sorted(lines, key=lambda line: (line.body.name, line.body.key)))


def analyse_areas(question: TypedQuestion, areas: Sequence[AreaInput],
                  bodies: Sequence[BodyInput]) -> list[AreaFigures]:
    """Each ICB (by name) with its sub-ICB locations (by name) and the bodies speaking for
    each; ``question`` is an age-band count question."""
    by_key = {area.key: area for area in areas}
    commissioners = [b for b in bodies if b.role == Role.COMMISSIONER]
    trusts = [b for b in bodies if b.role == Role.TRUST]

    def sub_icb(area: AreaInput) -> AreaFigures:
        trust_lines = {}
        for body in trusts:
            if area.key in body.areas:
                trust_lines[body.key] = _line(body, question)
        for body in trusts:
            for icb in area.icbs:
                if body.key not in trust_lines and icb in body.areas:
                    trust_lines[body.key] = _line(body, question, via=by_key[icb].name)
        return AreaFigures(area, _by_name(_line(b, question) for b in commissioners
                                          if area.key in b.areas),
                           _by_name(trust_lines.values()))

    figures = []
    for icb in sorted((a for a in areas if a.is_icb), key=lambda a: (a.name, a.key)):
        parts = tuple(sub_icb(a) for a in sorted(areas, key=lambda a: (a.name, a.key))
                      if not a.is_icb and icb.key in a.icbs)
        part_keys = {part.area.key for part in parts}
        icb_trusts = [b for b in trusts if icb.key in b.areas or b.areas & part_keys]
        figures.append(AreaFigures(
            icb, _by_name(_line(b, question) for b in commissioners if icb.key in b.areas),
            _by_name(_line(b, question) for b in icb_trusts), parts))
    return figures


CSV_COLUMNS = (
    "area_type", "area_code", "area_name", "in_icbs", "bodies_speaking", "bodies_answered",
    *(f"{role}_{r.key}_{part}" for role in ("commissioners", "trusts") for r in RANGES
      for part in ("total", "gave_number", "bodies", "not_given")),
    "saw_under3", "commissioners", "trusts")


def _body_words(line: BodyLine) -> str:
    words = (f"{line.body.name} ({line.body.code}): {UNDER_1.key} {line.under1.words}; "
             f"{UNDER_3.key} {line.under3.words}")
    if line.body.role == Role.TRUST:
        words += f"; its count is for its whole footprint of {line.footprint} area" + (
            "s" if line.footprint != 1 else "")
        if line.via:
            words += f"; listed as it serves the whole of {line.via}"
    return words


def _csv_row(figures: AreaFigures, icb_codes: Mapping[int, str]) -> list:
    area = figures.area
    row = ["icb" if area.is_icb else "sub_icb_location", area.code, area.name,
           ";".join(icb_codes[key] for key in area.icbs), figures.bodies, figures.answered]
    for role in (Role.COMMISSIONER, Role.TRUST):
        for range_ in RANGES:
            group = figures.figure(role, range_.key)
            total = group.total if group.computable else STATUS_WORDS[
                FigureStatus.CANNOT_COMPUTE]
            row += [total, group.gave_number, group.bodies, group.ungiven_words]
    return row + [figures.saw_under3_words,
                  " | ".join(_body_words(line) for line in figures.commissioners),
                  " | ".join(_body_words(line) for line in figures.trusts)]


def csv_table(icbs: Sequence[AreaFigures]) -> list[list]:
    """One row per ICB, each followed by its sub-ICB locations (``CSV_COLUMNS``)."""
    icb_codes = {icb.area.key: icb.area.code for icb in icbs}
    rows = []
    for icb in icbs:
        rows.append(_csv_row(icb, icb_codes))
        rows.extend(_csv_row(part, icb_codes) for part in icb.sub_areas)
    return rows


@dataclass(frozen=True)
class Distribution:
    """How many trusts saw how many babies of one range, over those that gave a number."""

    range: Range
    trusts: int  # every trust asked
    gave_number: int  # the denominator
    counts: Mapping[str, int]  # by bucket key
    computable: bool
    ungiven: Mapping[FigureStatus, int]

    def pct(self, bucket: str) -> int | None:
        value = percentage(self.counts[bucket], self.gave_number, WHOLE)
        return None if value is None else int(value)

    @property
    def seeing_any(self) -> int:
        return self.gave_number - self.counts["none"]

    @property
    def pct_fewer_than_10_of_seeing_any(self) -> int | None:
        """Of the trusts that saw any, the percentage that saw 1 to 9."""
        value = percentage(self.counts["1_9"], self.seeing_any, WHOLE)
        return None if value is None else int(value)

    @property
    def rows(self) -> list[dict]:
        return [{"key": key, "label": label, "count": self.counts[key], "pct": self.pct(key)}
                for key, label, _, _ in BUCKETS]

    @property
    def ungiven_words(self) -> str:
        return ", ".join(f"{count} {STATUS_WORDS[status]}"
                         for status, count in self.ungiven.items() if count)


def distribution(question: TypedQuestion, trusts: Sequence[BodyInput],
                 range_: Range) -> Distribution:
    figures = [body_figure(question, range_.to_months, body.answers) for body in trusts]
    values = [f.value for f in figures if f.status == FigureStatus.ANSWERED]
    counts = {key: sum(1 for v in values if low <= v and (high is None or v <= high))
              for key, _, low, high in BUCKETS}
    return Distribution(
        range=range_, trusts=len(trusts), gave_number=len(values), counts=counts,
        computable=tiling(question.bands, range_.to_months) is not None,
        ungiven={status: sum(1 for f in figures if f.status == status) for status in UNGIVEN})


def period_note(label: str, starts_on: datetime.date | None,
                ends_on: datetime.date | None) -> str:
    """The campaign's period in words for "per year", saying so when it is not one year."""
    if not (starts_on and ends_on):
        return (f"{label}: the period's dates are not recorded, so it is taken to be one year "
                "as asked" if label else "The period's dates are not recorded.")
    try:
        year_on = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 29 February
        year_on = starts_on.replace(year=starts_on.year + 1, day=28) + datetime.timedelta(1)
    words = f"{label} ({starts_on.isoformat()} to {ends_on.isoformat()})".strip()
    if ends_on + datetime.timedelta(days=1) == year_on:
        return f"{words}: one year."
    days = (ends_on - starts_on).days + 1
    return f"{words}: {days} days, not one year; the counts are for the period as asked."
