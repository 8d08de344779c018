"""Disclosure control for every figure that leaves a team.

The rule is NHS Digital's for sub-national figures (HES/ECDS from September 2018, also used for
DQMI, SRHAD and NCMP; /work/shared/design/MEASURES-AND-RULES.md §3; https://digital.nhs.uk/
data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/
change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018):

- 0 is shown as "0"; counts from 1 to the threshold (7) as "*"; every other count is rounded to
  the nearest 5. Rounding is half up (``audit.round_half_up``): with a base of 5 a whole number
  is never exactly halfway (12 -> 10, 13 -> 15), so the direction only matters for an even base
  such as 10 (15 -> 20).
- Percentages are computed from the rounded numerator and denominator, and suppressed when
  either is.
- No mean, median or effect size is shown from 7 or fewer people.

``protect_table`` adds secondary suppression so that no "*" in a table can be worked out from
the totals shown beside it; ``audit`` states the attacker model and checks it exactly. See
docs/adr/0007-disclosure-control.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .audit import (
    Entry,
    bounds_from_shown,
    entries_of,
    recoverable_entries,
    round_half_up,
    rounding_preimage,
)

SUPPRESSED = "*"


@dataclass(frozen=True)
class DisclosurePolicy:
    """The disclosure rule's parameters; the defaults are NHS Digital's.

    ``threshold``: counts from 1 to this are suppressed (0 switches suppression off; 1 is refused,
    because "*" would then always mean exactly 1). ``rounding``: other counts are rounded to a
    multiple of this (1 switches rounding off); at most ``2 * threshold + 2`` so that no count
    above the threshold rounds to 0. ``min_people_for_summary``: means, medians and effect sizes
    need more people than this.
    """

    threshold: int = 7
    rounding: int = 5
    min_people_for_summary: int = 7

    def __post_init__(self):
        for name in ("threshold", "rounding", "min_people_for_summary"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"disclosure {name} must be a whole number, got {value!r}")
        if self.threshold < 0 or self.threshold == 1:
            raise ValueError(
                f"disclosure threshold must be 0 (no suppression) or at least 2, got "
                f"{self.threshold}: with 1, '*' would always mean exactly 1")
        if not 1 <= self.rounding <= 2 * self.threshold + 2:
            raise ValueError(
                f"disclosure rounding must be from 1 to {2 * self.threshold + 2} with threshold "
                f"{self.threshold}, got {self.rounding}")
        if self.min_people_for_summary < 0:
            raise ValueError(f"min_people_for_summary must be at least 0, got "
                             f"{self.min_people_for_summary}")

    def rounded(self, count: int) -> int | None:
        """The number a count is shown as: 0 for 0, None when suppressed, else rounded."""
        _check_count(count, "count")
        if count == 0:
            return 0
        if count <= self.threshold:
            return None
        return round_half_up(count, self.rounding)

    def protect_count(self, count: int) -> str:
        """A count as shown: "0", "*" for 1..threshold, otherwise rounded (e.g. 12 -> "10")."""
        shown = self.rounded(count)
        return SUPPRESSED if shown is None else str(shown)

    def percentage(self, numerator: int, denominator: int, places: int = 1) -> str | None:
        """``numerator / denominator * 100`` from the rounded counts, rounded half up to
        ``places``; "*" when either count is suppressed; None when the denominator is 0."""
        _check_count(numerator, "numerator")
        _check_count(denominator, "denominator")
        if numerator > denominator:
            raise ValueError(f"numerator {numerator} is larger than denominator {denominator}")
        top, bottom = self.rounded(numerator), self.rounded(denominator)
        if denominator == 0:
            return None
        if top is None or bottom is None:
            return SUPPRESSED
        share = Decimal(top) * 100 / Decimal(bottom)
        return str(share.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))

    def summary(self, value: float | None, people: int, places: int = 1) -> str | None:
        """A mean, median or effect size as shown: "*" when it rests on ``min_people_for_summary``
        or fewer people, otherwise rounded half up to ``places``; None when there is no value."""
        _check_count(people, "number of people")
        if people <= self.min_people_for_summary:
            return SUPPRESSED
        if value is None:
            return None
        return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places),
                                                        rounding=ROUND_HALF_UP))

    def count_range(self, count: int) -> tuple[int, int]:
        """Every count a reader cannot tell ``count`` apart from, by its shown value alone:
        (0, 0) for 0, (1, threshold) when suppressed, else the counts above the threshold that
        round to the same number (8..12 for 10)."""
        shown = self.rounded(count)
        if shown is None:
            return 1, self.threshold
        if shown == 0:
            return 0, 0
        low, high = rounding_preimage(shown, self.rounding)
        return max(low, self.threshold + 1), high

    def mean_places(self, people: int, places: int = 1) -> int:
        """Decimal places for a mean of whole-number scores over ``people`` so that the mean does
        not narrow the count down: with a step of 10**-places, every count m in
        ``count_range(people)`` must have a whole-number sum whose mean rounds to the shown
        value, which holds when step * m >= 1 for the smallest such m (e.g. means of 8 to 12
        people to whole numbers, of 13 or more to one place)."""
        if self.rounding == 1 or people == 0:
            return places
        smallest = max(self.count_range(people)[0], 1)
        while places > 0 and smallest < 10 ** places:
            places -= 1
        return places


NHS_DIGITAL = DisclosurePolicy()


def _check_count(value, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: {value!r} is not a whole number")
    if value < 0:
        raise ValueError(f"{where}: {value} is negative")


def _validated(counts) -> list[list[int]]:
    if not isinstance(counts, list | tuple):
        raise ValueError("counts must be a list of rows, each a list of counts")
    width = None
    for i, row in enumerate(counts, start=1):
        if not isinstance(row, list | tuple):
            raise ValueError(f"row {i}: must be a list of counts")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError(f"row {i}: has {len(row)} columns, row 1 has {width}")
        for j, value in enumerate(row, start=1):
            _check_count(value, f"row {i}, column {j}")
    return [list(row) for row in counts]


def _true_values(table: list[list[int]]) -> dict[Entry, int]:
    n_cols = len(table[0]) if table else 0
    values: dict[Entry, int] = {}
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            values[("cell", i, j)] = value
        values[("row", i)] = sum(row)
    for j in range(n_cols):
        values[("col", j)] = sum(row[j] for row in table)
    values[("grand",)] = sum(values[("row", i)] for i in range(len(table)))
    return values


def _as_result(shown: dict[Entry, str], n_rows: int, n_cols: int) -> dict:
    return {
        "cells": [[shown[("cell", i, j)] for j in range(n_cols)] for i in range(n_rows)],
        "row_totals": [shown[("row", i)] for i in range(n_rows)],
        "col_totals": [shown[("col", j)] for j in range(n_cols)],
        "grand_total": shown[("grand",)],
    }


def _neighbours(entry: Entry, n_rows: int, n_cols: int) -> set[Entry]:
    """Entries that share an additivity constraint with ``entry``."""
    kind = entry[0]
    if kind == "cell":
        i, j = entry[1], entry[2]
        return ({("cell", i, k) for k in range(n_cols)} | {("cell", k, j) for k in range(n_rows)}
                | {("row", i), ("col", j), ("grand",)})
    if kind == "row":
        return ({("cell", entry[1], k) for k in range(n_cols)}
                | {("row", k) for k in range(n_rows)} | {("grand",)})
    if kind == "col":
        return ({("cell", k, entry[1]) for k in range(n_rows)}
                | {("col", k) for k in range(n_cols)} | {("grand",)})
    return {("row", k) for k in range(n_rows)} | {("col", k) for k in range(n_cols)}


def _position(entry: Entry, n_rows: int, n_cols: int) -> tuple[int, int]:
    """Where an entry sits in the table extended by its totals (totals in row/column n)."""
    kind = entry[0]
    if kind == "cell":
        return entry[1], entry[2]
    if kind == "row":
        return entry[1], n_cols
    if kind == "col":
        return n_rows, entry[1]
    return n_rows, n_cols


def _entry_at(i: int, j: int, n_rows: int, n_cols: int) -> Entry:
    if i < n_rows and j < n_cols:
        return ("cell", i, j)
    if i < n_rows:
        return ("row", i)
    if j < n_cols:
        return ("col", j)
    return ("grand",)


def _rectangles(target: Entry, n_rows: int, n_cols: int) -> list[tuple[Entry, ...]]:
    """The other three corners of every rectangle through ``target`` in the extended table.
    Moving one unit around a rectangle's corners (with the signs that keep every sum) changes
    no total shown, so hiding all four corners is the classic way to protect a cell."""
    a, b = _position(target, n_rows, n_cols)
    out = []
    for c in range(n_rows + 1):
        for d in range(n_cols + 1):
            if c != a and d != b:
                out.append((_entry_at(a, d, n_rows, n_cols), _entry_at(c, b, n_rows, n_cols),
                            _entry_at(c, d, n_rows, n_cols)))
    return out


_KIND_ORDER = {"cell": 0, "row": 1, "col": 2, "grand": 3}
#: How many of the cheapest options are tried before settling for the cheapest.
_OPTIONS_TRIED = 6


def protect_table(counts: list[list[int]], *, threshold: int = 7, rounding: int = 5) -> dict:
    """Protect a two-way table of counts and its totals for publication.

    Returns ``{"cells": [[str, ...], ...], "row_totals": [str, ...], "col_totals": [str, ...],
    "grand_total": str}``, each string a whole number or "*". Totals are those of the true
    counts, protected like any count (so shown cells need not add up to shown totals).

    Primary suppression applies ``DisclosurePolicy(threshold, rounding)`` to every entry. Then,
    while the attacker of ``cradle.stats.audit`` can pin some "*" to one value, the first such
    entry is protected by hiding more: the rectangles through it in the table extended by its
    totals, whose other corners are not zeros, are tried cheapest first (the smallest sum of
    true counts newly hidden), and the first that frees it is hidden; if none of the six
    cheapest does, the single smallest shown entry sharing a sum with a pinned one is hidden.
    Then the table is checked again. Zeros are never hidden. If every non-zero entry is hidden
    and a "*" can still be pinned (only when the totals bound every small cell, e.g. seven
    cells of 1 and a grand total of 7), the whole table is withheld: every entry is "*".
    """
    policy = DisclosurePolicy(threshold=threshold, rounding=rounding,
                              min_people_for_summary=threshold)
    table = _validated(counts)
    n_rows, n_cols = len(table), (len(table[0]) if table else 0)
    true = _true_values(table)
    shown = {entry: policy.protect_count(value) for entry, value in true.items()}
    secondary: set[Entry] = set()
    entries = entries_of(n_rows, n_cols)

    def exposed_with(extra: Iterable[Entry]) -> list[Entry]:
        trial = dict(shown)
        hidden = set(secondary)
        for entry in extra:
            trial[entry] = SUPPRESSED
            hidden.add(entry)
        bounds = bounds_from_shown(_as_result(trial, n_rows, n_cols), threshold=threshold,
                                   rounding=rounding, secondary=hidden)
        return recoverable_entries(bounds, [e for e in entries if trial[e] == SUPPRESSED])

    def cost(option: Iterable[Entry]) -> tuple:
        fresh = sorted({e for e in option if shown[e] != SUPPRESSED})
        return sum(true[e] for e in fresh), len(fresh), [(_KIND_ORDER[e[0]], e) for e in fresh]

    exposed = exposed_with(())
    while exposed:
        target = exposed[0]
        options = [tuple(sorted({e for e in rect if shown[e] != SUPPRESSED}))
                   for rect in _rectangles(target, n_rows, n_cols)
                   if all(shown[e] != "0" for e in rect)]
        options = sorted({o for o in options if o}, key=cost)
        chosen = None
        for option in options[:_OPTIONS_TRIED]:
            after = exposed_with(option)
            if target not in after:
                chosen = option
                break
        if chosen is None:
            candidates = [e for e in entries if shown[e] not in (SUPPRESSED, "0")]
            if not candidates:
                return _as_result(dict.fromkeys(entries, SUPPRESSED), n_rows, n_cols)
            near = set().union(*(_neighbours(e, n_rows, n_cols) for e in exposed))
            chosen = (min(candidates,
                          key=lambda e: (e not in near, true[e], _KIND_ORDER[e[0]], e)),)
            after = exposed_with(chosen)
        for entry in chosen:
            shown[entry] = SUPPRESSED
            secondary.add(entry)
        exposed = after
    return _as_result(shown, n_rows, n_cols)
