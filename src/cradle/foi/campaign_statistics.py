"""A campaign's batch statistics, per body type and in all (pure: no Django; ADR 0033).

The read (foi/statistics_read.py) gives one `RequestRow` per request; everything counted here
follows the rules below, which the statistics page states in words:

- **Sent**: every request with a sent date (any state but "not sent").
- Every sent request is in exactly one of: **responded** (answered, partially answered,
  refused, or under internal review, which follows a response), **awaiting** a response (the
  clock is running; **overdue** if today is after its due date), **clarification requested**
  (the clock is stopped until the requester answers), **redirected** (closed: the question
  went to a provider, whose request counts in its own right) or **withdrawn** (closed by us).
- **Counted** (the response rate's denominator): sent, less redirected and withdrawn; so
  counted = responded + awaiting + clarification requested.
- **First response**: the earliest recorded response on or after the day the clock (last)
  started: a request restarted after clarification counts from the restart, and a response
  dated before it belonged to the earlier clock. A responded request with no such date is
  "date unknown": left out of the median and the on-time share of those responded, never
  counted as 0 days or as on time.
- **Working days** to the first response are counted by the request's regime with
  `deadlines.working_days_between` (the day the clock started is day 0).
- **On time**: first response on or before the due date.
- **Refusals by exemption**: each refused request's exemption text read by `parse_exemption`;
  a refusal citing several sections counts under each.
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .deadlines import HolidayDataError, working_days_between

# RequestState values (foi/models.py), as plain strings; tests check they match.
NOT_SENT = "not_sent"
AWAITING = "awaiting_response"
CLARIFICATION = "clarification_requested"
REDIRECTED = "redirected"
WITHDRAWN = "withdrawn"
ANSWERED = "answered"
PARTIALLY_ANSWERED = "partially_answered"
REFUSED = "refused"
INTERNAL_REVIEW = "internal_review"

RESPONDED_STATES = (ANSWERED, PARTIALLY_ANSWERED, REFUSED, INTERNAL_REVIEW)
#: The states whose change_state event records the day of a response.
RESPONSE_EVENT_STATES = (ANSWERED, PARTIALLY_ANSWERED, REFUSED)
ALL = "all"
OTHER_TYPE_LABEL = "Other (providers imported by hand)"


@dataclass(frozen=True)
class RequestRow:
    body_type: str
    regime: str
    state: str
    sent_on: datetime.date | None
    clock_started_on: datetime.date | None
    due_on: datetime.date | None
    first_response_on: datetime.date | None
    exemption: str = ""


def first_response_on(clock_started_on: datetime.date | None,
                      dates: Iterable[datetime.date | None]) -> datetime.date | None:
    """The earliest of `dates` on or after the day the clock started (None if none is)."""
    if clock_started_on is None:
        return None
    found = [day for day in dates if day is not None and day >= clock_started_on]
    return min(found, default=None)


# Exemptions ----------------------------------------------------------------------------------

_PREFIX = r"\b(?:sections?|sects?\.?|secs?\.?|ss?\.?)\s*"
_NUMBER = r"\d{1,3}[a-z]?(?:\s*\([^)]*\))*"
_REFERENCE = re.compile(_PREFIX + rf"({_NUMBER}(?:\s*(?:,|and|&|or|/)\s*{_NUMBER})*)",
                        re.IGNORECASE)
_BRACKETS = re.compile(r"\([^)]*\)")
_DIGITS = re.compile(r"\d{1,3}")

#: A few sections' usual names, by regime: FOIA and FOISA number their exemptions differently.
SECTION_NAMES = {
    "foia": {12: "cost of compliance", 14: "vexatious or repeated", 21: "accessible by other "
             "means", 22: "intended for future publication", 36: "conduct of public affairs",
             38: "health and safety", 40: "personal information", 41: "provided in confidence",
             43: "commercial interests"},
    "foisa": {12: "excessive cost", 14: "vexatious or repeated", 25: "otherwise accessible",
              27: "intended for future publication", 30: "conduct of public affairs",
              33: "commercial interests", 36: "confidentiality", 38: "personal information",
              39: "health, safety and the environment"},
}
REGIME_NAMES = {"foia": "FOIA", "foisa": "FOISA"}


def parse_exemption(text: str) -> tuple[int, ...]:
    """The section numbers an exemption's free text cites, in order, once each: "Section 12
    (cost)" is (12,), "s.40(2)" (40,), "ss. 40 and 43" (40, 43); () if it names none."""
    sections: list[int] = []
    for match in _REFERENCE.finditer(text or ""):
        for number in _DIGITS.findall(_BRACKETS.sub("", match.group(1))):
            if int(number) not in sections and int(number) > 0:
                sections.append(int(number))
    return tuple(sections)


def exemption_labels(text: str, regime: str) -> list[str]:
    """What a refusal is counted under: "Section 40 (FOIA, personal information)" per section
    cited, or "Other: <text>" where no section could be read."""
    sections = parse_exemption(text)
    if not sections:
        return [f"Other: {' '.join((text or '').split()) or 'no exemption given'}"]
    names = SECTION_NAMES.get(regime, {})
    act = REGIME_NAMES.get(regime, regime.upper())
    return [f"Section {n} ({act}{', ' + names[n] if n in names else ''})" for n in sections]


# Figures ---------------------------------------------------------------------------------------

def percent(part: int, whole: int) -> Decimal | None:
    """part of whole as a percentage to one decimal place; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"),
                                                           rounding=ROUND_HALF_UP)


def share_words(part: int, whole: int) -> str:
    """ "3 of 5 (60.0%)", or "no figure (0 to count)" when whole is 0: never 0%."""
    figure = percent(part, whole)
    return "no figure (0 to count)" if figure is None else f"{part} of {whole} ({figure}%)"


@dataclass
class GroupFigures:
    """The figures of one body type (or of all): see the module's rules."""

    key: str
    label: str
    requests: int = 0
    not_sent: int = 0
    sent: int = 0
    redirected: int = 0
    withdrawn: int = 0
    answered: int = 0
    partially_answered: int = 0
    refused: int = 0
    internal_review: int = 0
    awaiting: int = 0
    overdue: int = 0
    clarification: int = 0
    date_unknown: int = 0
    on_time: int = 0
    late: int = 0
    days_uncountable: int = 0
    working_days: list[int] = field(default_factory=list)
    exemptions: dict[str, int] = field(default_factory=dict)

    @property
    def counted(self) -> int:
        return self.sent - self.redirected - self.withdrawn

    @property
    def responded(self) -> int:
        return self.answered + self.partially_answered + self.refused + self.internal_review

    @property
    def dated(self) -> int:
        """Responded with a known first response date."""
        return self.responded - self.date_unknown

    @property
    def awaiting_in_time(self) -> int:
        return self.awaiting - self.overdue

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.responded, self.counted)

    @property
    def on_time_of_dated(self) -> Decimal | None:
        return percent(self.on_time, self.dated)

    @property
    def on_time_of_counted(self) -> Decimal | None:
        return percent(self.on_time, self.counted)

    @property
    def response_rate_words(self) -> str:
        return share_words(self.responded, self.counted)

    @property
    def on_time_of_dated_words(self) -> str:
        return share_words(self.on_time, self.dated)

    @property
    def on_time_of_counted_words(self) -> str:
        return share_words(self.on_time, self.counted)

    @property
    def median_words(self) -> str:
        """The median with what it is over, or "unknown" when no response has a date."""
        median = self.median_working_days
        if median is None:
            return "unknown (no first response with a date)"
        over = len(self.working_days)
        shown = f"{median:g}"
        return f"{shown} working day{'' if shown == '1' else 's'} (over {over} response" \
               f"{'' if over == 1 else 's'} with a date)"

    @property
    def median_working_days(self) -> float | None:
        return statistics.median(self.working_days) if self.working_days else None

    @property
    def exemption_counts(self) -> list[tuple[str, int]]:
        """Most cited first, then by name; "Other: …" after every section."""
        return sorted(self.exemptions.items(),
                      key=lambda item: (item[0].startswith("Other: "), -item[1], item[0]))

    @property
    def segments(self) -> list[tuple[str, int]]:
        """The counted requests split for the chart, in its order (they add up to counted)."""
        return [("on_time", self.on_time), ("late", self.late),
                ("date_unknown", self.date_unknown), ("awaiting", self.awaiting_in_time),
                ("overdue", self.overdue), ("clarification", self.clarification)]

    def add(self, row: RequestRow, today: datetime.date, days: Callable) -> None:
        self.requests += 1
        if row.state == NOT_SENT:
            self.not_sent += 1
            return
        self.sent += 1
        if row.state in (REDIRECTED, WITHDRAWN, AWAITING, CLARIFICATION):
            name = {REDIRECTED: "redirected", WITHDRAWN: "withdrawn", AWAITING: "awaiting",
                    CLARIFICATION: "clarification"}[row.state]
            setattr(self, name, getattr(self, name) + 1)
            if row.state == AWAITING and row.due_on is not None and row.due_on < today:
                self.overdue += 1
            return
        if row.state not in RESPONDED_STATES:
            raise ValueError(f"unknown request state {row.state!r}")
        setattr(self, row.state, getattr(self, row.state) + 1)
        if row.state == REFUSED:
            for label in exemption_labels(row.exemption, row.regime):
                self.exemptions[label] = self.exemptions.get(label, 0) + 1
        first = first_response_on(row.clock_started_on, [row.first_response_on])
        if first is None:
            self.date_unknown += 1
            return
        if row.due_on is not None and first <= row.due_on:
            self.on_time += 1
        else:
            self.late += 1
        try:
            self.working_days.append(days(row.clock_started_on, first, row.regime))
        except HolidayDataError:
            self.days_uncountable += 1


def campaign_statistics(rows: Iterable[RequestRow], today: datetime.date,
                        types: Sequence[tuple[str, str]],
                        days: Callable = working_days_between) -> list[GroupFigures]:
    """The figures per body type, in the order of `types` ((key, label) pairs; a type with no
    request is left out, a key not in `types` comes after them under its own name and the
    blank type is "Other"), then the "all" group."""
    labels = dict(types)
    groups: dict[str, GroupFigures] = {}
    total = GroupFigures(ALL, "All bodies")
    for row in rows:
        key = row.body_type or ""
        if key not in groups:
            label = labels.get(key) or (OTHER_TYPE_LABEL if not key else key)
            groups[key] = GroupFigures(key, label)
        groups[key].add(row, today, days)
        total.add(row, today, days)
    order = {key: index for index, (key, _) in enumerate(types)}
    ordered = sorted(groups.values(),
                     key=lambda g: (g.key == "", order.get(g.key, len(order)), g.key))
    return [*ordered, total]


def exemption_table(groups: Sequence[GroupFigures]) -> list[tuple[str, int, list]]:
    """(exemption, refusals in all, [(body type, refusals)]) in the "all" group's order; the
    last group is "all"."""
    *by_type, total = groups
    return [(label, count, [(group.label, group.exemptions[label]) for group in by_type
                            if label in group.exemptions])
            for label, count in total.exemption_counts]


# The chart: a bar per group of its counted requests, 0 to 100 across -----------------------------

SEGMENT_WORDS = {
    "on_time": "Responded on time", "late": "Responded late",
    "date_unknown": "Responded, date unknown", "awaiting": "Awaiting, not yet due",
    "overdue": "Awaiting, overdue", "clarification": "Clarification requested",
}


@dataclass(frozen=True)
class Segment:
    key: str
    words: str
    count: int
    x: float
    width: float


def bar_segments(group: GroupFigures) -> list[Segment]:
    """The group's counted requests as consecutive segments across 0 to 100 (empty ones
    left out); [] when nothing is counted."""
    if not group.counted:
        return []
    segments, x = [], 0.0
    for key, count in group.segments:
        if count:
            width = 100 * count / group.counted
            segments.append(Segment(key, SEGMENT_WORDS[key], count, round(x, 2), round(width, 2)))
            x += width
    return segments


def bar_text(group: GroupFigures) -> str:
    """The bar in words, its text alternative."""
    if not group.counted:
        return f"{group.label}: no requests counted."
    parts = [f"{segment.words.lower()} {segment.count}" for segment in bar_segments(group)]
    return f"{group.label}, {group.counted} requests counted: " + ", ".join(parts) + "."


# The CSV: one row per body type, then "all" ----------------------------------------------------

CSV_COLUMNS = (
    ("body_type", "The body type's code (blank: providers imported by hand), or all"),
    ("body_type_name", "The body type in words"),
    ("requests", "Requests in the campaign, sent or not"),
    ("not_sent", "Requests not sent yet (in no other figure)"),
    ("sent", "Requests sent"),
    ("redirected", "Sent and redirected to a provider (closed; not counted)"),
    ("withdrawn", "Sent and withdrawn (closed; not counted)"),
    ("counted", "Sent, less redirected and withdrawn: the response rate's denominator"),
    ("responded", "Answered, partially answered, refused or under internal review"),
    ("answered", "Answered in full"),
    ("partially_answered", "Answered in part"),
    ("refused", "Refused with an exemption"),
    ("internal_review", "Under internal review (after a response)"),
    ("response_rate_pct", "responded / counted, as a percentage (blank if counted is 0)"),
    ("first_response_date_unknown", "Responded with no recorded response date on or after "
                                    "the clock started (left out of the next four columns)"),
    ("first_response_dated", "Responded with a known first response date"),
    ("median_working_days_to_first_response", "Median working days from the clock's (re)start "
                                              "to the first response (blank if none dated)"),
    ("on_time", "First response on or before the due date"),
    ("late", "First response after the due date"),
    ("on_time_pct_of_dated", "on_time / first_response_dated, as a percentage"),
    ("on_time_pct_of_counted", "on_time / counted, as a percentage"),
    ("awaiting", "Awaiting a response, clock running"),
    ("overdue", "Awaiting a response after the due date, as of the as_of date"),
    ("clarification_requested", "Clarification requested; the clock is stopped"),
    ("refusals_by_exemption", "Section: count, separated by semicolons"),
    ("as_of", "The date the figures were worked out"),
)


def csv_rows(groups: Sequence[GroupFigures], today: datetime.date) -> list[list]:
    """The cells of the statistics CSV, in CSV_COLUMNS order; None (a blank cell) where there
    is no figure, never 0."""
    return [[
        group.key if group.key else "", group.label, group.requests, group.not_sent,
        group.sent, group.redirected, group.withdrawn, group.counted, group.responded,
        group.answered, group.partially_answered, group.refused, group.internal_review,
        group.response_rate, group.date_unknown, group.dated, group.median_working_days,
        group.on_time, group.late, group.on_time_of_dated, group.on_time_of_counted,
        group.awaiting, group.overdue, group.clarification,
        "; ".join(f"{label}: {count}" for label, count in group.exemption_counts),
        today.isoformat(),
    ] for group in groups]
