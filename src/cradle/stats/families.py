"""Disclosure control across releases that add up (docs/adr/0007-disclosure-control.md, "Release
families").

A figure is rarely published alone: the UK's count is the sum of the four nations' counts, and
a commissioner's area is a subset of the UK's teams. A reader holding two such releases can
subtract them, so they are protected together:

- ``protect_partition``: releases that partition a whole (the nations and the UK). The parts
  are the rows of one two-way table and the categories its columns; the whole's figures are
  the column totals and the grand total. ``protect_table`` then protects the whole family with
  the exact attacker of ``cradle.stats.audit``, and each release shows its own row (or the
  totals), so every release is cut from one protected table.
- ``protect_within``: a release inside a published one whose figures are already fixed (an
  area inside the UK or its nation). The complement, parent minus child, is never published,
  but an attacker can work it out; the child's table is extended by the complement as an
  unpublished row, and entries of the child are hidden until no non-zero entry of either the
  child or the complement can be pinned to one value. The parent's figures never change, so
  the public release is the same whoever else is looking.
- Means, medians and effect sizes do not subtract exactly, but sums do: a mean of the UK, a
  mean of England and the two counts give the rest's mean. ``withheld_summaries`` (partition)
  and ``summary_exposed_within`` (child) withhold summaries until the people whose summaries
  are withheld are, together, none or more than ``min_people_for_summary`` (the same rule as
  for one group).

Pure: no Django imports; labels and part keys are plain hashable values.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from .audit import UNBOUNDED, Bounds, entries_of, recoverable_entries, shown_interval
from .disclosure import SUPPRESSED, DisclosurePolicy, protect_table


@dataclass(frozen=True)
class Shown:
    """One release's protected table: each label's shown count and the shown total."""

    cells: dict[Hashable, str]
    total: str


def _labels(tables) -> list:
    labels: dict = {}
    for table in tables:
        labels.update(dict.fromkeys(table))
    return list(labels)


def protect_partition(parts: Mapping[Hashable, Mapping[Hashable, int]], *,
                      policy: DisclosurePolicy) -> tuple[dict[Hashable, Shown], Shown]:
    """Protect the tables of releases that partition a whole, together.

    ``parts`` maps each part (e.g. a nation) to its counts by label; a label missing from a part
    counts 0 there. Returns each part's ``Shown`` and the whole's (the column totals)."""
    keys = list(parts)
    labels = _labels(parts.values())
    if not keys or not labels:
        empty = Shown({}, "0")
        return {key: Shown({}, "0") for key in keys}, empty
    matrix = [[parts[key].get(label, 0) for label in labels] for key in keys]
    shown = protect_table(matrix, threshold=policy.threshold, rounding=policy.rounding)
    by_part = {key: Shown(dict(zip(labels, shown["cells"][i], strict=True)),
                          shown["row_totals"][i]) for i, key in enumerate(keys)}
    whole = Shown(dict(zip(labels, shown["col_totals"], strict=True)), shown["grand_total"])
    return by_part, whole


def _read(shown: str, true: int, policy: DisclosurePolicy) -> tuple[int, int]:
    """What the strongest attacker of ``audit`` reads from one entry: a "*" over a count above
    the threshold is known to be a secondary suppression; a "*" over 0 (a withheld table) says
    nothing."""
    if shown == SUPPRESSED and true == 0:
        return 0, UNBOUNDED
    return shown_interval(shown, threshold=policy.threshold, rounding=policy.rounding,
                          secondary=shown == SUPPRESSED and true > policy.threshold)


def exposed_within(child: Mapping[Hashable, int], child_shown: Shown,
                   parent: Mapping[Hashable, int], parent_shown: Shown, *,
                   policy: DisclosurePolicy) -> list[tuple]:
    """The non-zero entries of the child, or of the unpublished complement (parent minus child),
    that an attacker holding both releases can pin to one value. Entries are those of
    ``audit``: row 0 is the child, row 1 the complement, columns the labels."""
    labels = _labels((parent, child))
    complement = {label: parent.get(label, 0) - child.get(label, 0) for label in labels}
    if any(value < 0 for value in complement.values()):
        raise ValueError("the child release counts more than its parent")
    free = (0, UNBOUNDED)
    withheld = child_shown.total == SUPPRESSED and all(
        value == SUPPRESSED for value in child_shown.cells.values())

    def read_child(shown: str, true: int) -> tuple[int, int]:
        # A table withheld whole says nothing about any of its entries.
        return free if withheld else _read(shown, true, policy)

    bounds = Bounds(
        cells=(tuple(read_child(child_shown.cells.get(label, "0"), child.get(label, 0))
                     for label in labels),
               tuple(free for _label in labels)),
        rows=(read_child(child_shown.total, sum(child.values())), free),
        cols=tuple(_read(parent_shown.cells.get(label, "0"), parent.get(label, 0), policy)
                   for label in labels),
        grand=_read(parent_shown.total, sum(parent.values()), policy),
    )
    true = {("row", 0): sum(child.values()), ("row", 1): sum(complement.values())}
    for j, label in enumerate(labels):
        true[("cell", 0, j)] = child.get(label, 0)
        true[("cell", 1, j)] = complement[label]
    # Guarded: the child's hidden entries; with rounding, its shown ones too (none may be
    # pinned more tightly than its rounding), and every non-zero entry of the complement;
    # without rounding, counts above the threshold are published exactly anyway, so only the
    # complement's small ones.
    rounded = policy.rounding > 1
    guarded = []
    for entry in entries_of(2, len(labels)):
        if entry not in true or true[entry] == 0:
            continue
        if entry[0] == "cell" and entry[1] == 0 or entry == ("row", 0):
            shown = (child_shown.total if entry[0] == "row"
                     else child_shown.cells.get(labels[entry[2]], "0"))
            if shown == SUPPRESSED or rounded:
                guarded.append(entry)
        elif rounded or true[entry] <= policy.threshold:
            guarded.append(entry)
    return recoverable_entries(bounds, guarded)


def protect_within(child: Mapping[Hashable, int], child_shown: Shown,
                   parent: Mapping[Hashable, int], parent_shown: Shown, *,
                   policy: DisclosurePolicy) -> Shown:
    """``child_shown`` with more entries hidden until ``exposed_within`` finds nothing; the
    smallest shown entry in the exposed entry's column (else the smallest anywhere) goes first.
    If every non-zero entry is hidden and something is still exposed, the child's whole table
    is withheld."""
    labels = _labels((parent, child))
    cells = {label: child_shown.cells.get(label, "0") for label in labels}
    total = child_shown.total
    while True:
        shown = Shown(dict(cells), total)
        exposed = exposed_within(child, shown, parent, parent_shown, policy=policy)
        if not exposed:
            return Shown({label: cells[label] for label in child_shown.cells}, total)
        column = exposed[0][2] if exposed[0][0] == "cell" else None
        candidates = [(j != column, child.get(label, 0), j, label)
                      for j, label in enumerate(labels)
                      if cells[label] not in (SUPPRESSED, "0")]
        if candidates:
            *_rest, label = min(candidates)
            cells[label] = SUPPRESSED
        elif total not in (SUPPRESSED, "0"):
            total = SUPPRESSED
        else:
            return Shown(dict.fromkeys(child_shown.cells, SUPPRESSED), SUPPRESSED)


def withheld_summaries(people: Mapping[Hashable, int], *, policy: DisclosurePolicy,
                       hidden_counts: set | frozenset = frozenset()) -> set:
    """The parts of a partition whose means, medians and effect sizes are withheld: those of
    ``min_people_for_summary`` or fewer people, or whose count is hidden, and then the smallest
    others until the withheld parts together hold none or more than ``min_people_for_summary``
    people (else the whole's summary and the shown parts' would give theirs away)."""
    withheld = {key for key, n in people.items()
                if n <= policy.min_people_for_summary or key in hidden_counts}
    while 0 < sum(people[key] for key in withheld) <= policy.min_people_for_summary:
        shown = [(people[key], repr(key), key) for key in people
                 if key not in withheld and people[key]]
        if not shown:
            break
        withheld.add(min(shown)[2])
    return withheld


def summary_exposed_within(child_people: int, parent_people: int, *,
                           policy: DisclosurePolicy) -> bool:
    """Would the child's summary and the parent's give away the summary of the complement?"""
    return 0 < parent_people - child_people <= policy.min_people_for_summary
