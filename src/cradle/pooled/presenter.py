"""How the pooled report turns true figures into shown ones. Pure: no Django imports.

The report builder asks for every count table, count and summary by a stable key, so the same
report code serves three purposes (docs/adr/0007-disclosure-control.md, "Release families"):

- ``Presenter(None)``: figures as recorded (a team's own figures; network analysts);
- ``Presenter(policy)``: one release protected on its own;
- ``Recorder``: a first pass that only notes the true tables of a release, so that a family of
  releases can be protected together (``cradle.pooled.families``); then
  ``Presenter(policy, published=...)`` shows what the family protection decided.

Derived figures never carry more about a count than the count as shown (ADR 0007, "Figures
derived from counts"): percentages come from shown counts, intervals use the published
(rounded) count, means are rounded coarsely enough for small counts, and every summary is
withheld where its count is hidden.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cradle.stats.disclosure import SUPPRESSED, DisclosurePolicy, protect_table
from cradle.stats.families import Shown

COUNT = "count"  # the one label of a single count's table


@dataclass
class Tables:
    """The true figures of one release that a family protects: each count table by key (label
    -> count; a single count is a table with the one label ``COUNT``), and each summary's
    number of people by key."""

    counts: dict[str, dict[Hashable, int]] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)


@dataclass
class Published:
    """What protection across a family decided for one release."""

    tables: dict[str, Shown]
    withheld: set[str]


def _plain_percent(numerator: int, denominator: int) -> str | None:
    return None if not denominator else f"{numerator * 100 / denominator:.1f}"


def _plain_number(value: float | None, places: int = 1) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def _half_up(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class Presenter:
    """Turns true counts into what is shown: unchanged, or protected by a policy."""

    def __init__(self, policy: DisclosurePolicy | None, published: Published | None = None):
        self.policy = policy
        self.published = published

    def table(self, key: str, labelled: list[tuple[Hashable, int]]) -> tuple[list[str], str]:
        """A one-column table of counts and its total, with secondary suppression."""
        counts = [count for _label, count in labelled]
        if self.policy is None:
            return [str(c) for c in counts], str(sum(counts))
        if self.published is not None:
            shown = self.published.tables[key]
            return [shown.cells.get(label, "0") for label, _count in labelled], shown.total
        if not counts:
            return [], "0"
        shown = protect_table([[c] for c in counts], threshold=self.policy.threshold,
                              rounding=self.policy.rounding)
        return [row[0] for row in shown["cells"]], shown["grand_total"]

    def count(self, key: str, count: int) -> str:
        if self.policy is None:
            return str(count)
        if self.published is not None:
            return self.published.tables[key].cells.get(COUNT, "0")
        return self.policy.protect_count(count)

    def percent(self, numerator: int, denominator: int, shown: str | None = None,
                shown_total: str | None = None) -> str | None:
        """A percentage from the counts as shown (``shown`` of ``shown_total``)."""
        if self.policy is None:
            return _plain_percent(numerator, denominator)
        if denominator == 0:
            return None
        if SUPPRESSED in (shown, shown_total) or shown is None or shown_total is None:
            return SUPPRESSED
        top, bottom = int(shown), int(shown_total)
        if bottom == 0:
            return SUPPRESSED
        return _half_up(Decimal(top) * 100 / Decimal(bottom), 1) if top <= bottom else SUPPRESSED

    def withheld(self, key: str, people: int, shown_people: str) -> bool:
        """Is a summary over ``people`` (shown as ``shown_people``) withheld?"""
        if self.policy is None:
            return False
        if self.published is not None and key in self.published.withheld:
            return True
        return shown_people == SUPPRESSED or people <= self.policy.min_people_for_summary

    def summary(self, key: str, value: float | None, people: int, shown_people: str,
                places: int = 1, *, mean: bool = False) -> str | None:
        """A mean, median or effect size as shown; ``mean``: a mean of scores, rounded to
        ``policy.mean_places`` so that it does not narrow the count down."""
        if self.policy is None:
            return _plain_number(value, places)
        if self.withheld(key, people, shown_people):
            return SUPPRESSED
        if mean:
            places = self.policy.mean_places(people, places)
        return None if value is None else _half_up(Decimal(repr(float(value))), places)

    def published_people(self, people: int) -> int:
        """The count that derived figures such as intervals are computed with: the true one
        when nothing is protected, else the count as shown (rounded)."""
        if self.policy is None:
            return people
        rounded = self.policy.rounded(people)
        return people if rounded is None else rounded


class Recorder(Presenter):
    """Notes every true table and summary population; shows figures as recorded."""

    def __init__(self):
        super().__init__(None)
        self.tables = Tables()

    def table(self, key, labelled):
        self.tables.counts[key] = dict(labelled)
        return super().table(key, labelled)

    def count(self, key, count):
        self.tables.counts[key] = {COUNT: count}
        return super().count(key, count)

    def summary(self, key, value, people, shown_people, places=1, *, mean=False):
        self.tables.people[key] = people
        return super().summary(key, value, people, shown_people, places, mean=mean)
