"""What a self-review still needs, against its route's thresholds (plain data, no Django).

A standard is of type 1 (essential), 2 (expected) or 3 (desirable). A route gives, per type,
the percentage of that type's applicable standards that must be met (accreditation: e.g. 100,
80 and 60), or no thresholds at all (the developmental route: a review is "reviewed" once
every standard is rated).

The rules, decided here once (docs/adr/0038-quality-standards-and-self-review.md):
- Only "met" counts towards a threshold. "Partly met" is shown, but counts as not met.
- "Not applicable" (which always carries a reason) takes the standard out of its type's
  denominator.
- A standard not yet rated stays in the denominator, as not met: what is missing is never
  understated while a review is under way. It is also listed as missing by its code.
- A type with no applicable standards (all rated not applicable, or none of that type) meets
  its threshold vacuously: there is nothing left to meet. The result says so (`vacuous`).
- Percentages are exact fractions; a threshold is met when met × 100 >= percent × applicable,
  so 4 of 5 meets 80% exactly and no float rounding can tip a result either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

MET, PARTLY_MET, NOT_MET, NOT_APPLICABLE = "met", "partly_met", "not_met", "not_applicable"
RATINGS = (MET, PARTLY_MET, NOT_MET, NOT_APPLICABLE)
TYPES = (1, 2, 3)
TYPE_NAMES = {1: "Type 1 (essential)", 2: "Type 2 (expected)", 3: "Type 3 (desirable)"}


@dataclass(frozen=True)
class Rated:
    """One standard of the set, and its rating so far (None: not rated yet)."""

    code: str
    standard_type: int
    rating: str | None = None

    def __post_init__(self):
        if self.standard_type not in TYPES:
            raise ValueError(f"{self.code}: type must be 1, 2 or 3, not {self.standard_type!r}")
        if self.rating is not None and self.rating not in RATINGS:
            raise ValueError(f"{self.code}: unknown rating {self.rating!r}")


@dataclass(frozen=True)
class TypeResult:
    standard_type: int
    threshold: int | None  # percent, or None when the route sets none
    applicable: int        # every standard of the type not rated "not applicable"
    met: int
    partly_met: int
    not_met: int
    not_applicable: int
    unrated: tuple[str, ...]

    @property
    def name(self) -> str:
        return TYPE_NAMES[self.standard_type]

    @property
    def percent(self) -> Fraction | None:
        """Met as an exact share of the applicable standards (None when there are none)."""
        return Fraction(self.met * 100, self.applicable) if self.applicable else None

    @property
    def percent_text(self) -> str:
        percent = self.percent
        if percent is None:
            return "no applicable standards"
        whole = percent.numerator // percent.denominator
        return f"{whole}%" if whole == percent else f"{float(percent):.1f}%"

    @property
    def vacuous(self) -> bool:
        return self.applicable == 0

    @property
    def meets(self) -> bool | None:
        """None when the route sets no threshold for the type."""
        if self.threshold is None:
            return None
        return self.met * 100 >= self.threshold * self.applicable

    @property
    def more_needed(self) -> int:
        """How many more standards must be rated "met" (of those not yet met) to reach the
        threshold, if nothing else changes."""
        if self.threshold is None:
            return 0
        required = -(-self.threshold * self.applicable // 100)  # ceiling, in integers
        return max(0, required - self.met)


@dataclass(frozen=True)
class Assessment:
    has_thresholds: bool
    types: tuple[TypeResult, ...]

    @property
    def unrated(self) -> tuple[str, ...]:
        return tuple(code for result in self.types for code in result.unrated)

    @property
    def complete(self) -> bool:
        """Every standard rated."""
        return not self.unrated

    @property
    def meets_thresholds(self) -> bool | None:
        """Every type meets its threshold (None on a route without thresholds)."""
        if not self.has_thresholds:
            return None
        return all(result.meets is not False for result in self.types)

    @property
    def outcome(self) -> str:
        """In words: what the review shows at this moment."""
        if not self.has_thresholds:
            return "Reviewed" if self.complete else "Not yet reviewed"
        if self.meets_thresholds and self.complete:
            return "Meets the thresholds"
        if self.meets_thresholds:
            return "Meets the thresholds so far (some standards are not rated yet)"
        return "Does not meet the thresholds yet"

    @property
    def missing(self) -> list[str]:
        """What is missing, in words, most important first."""
        lines = []
        for result in self.types:
            if result.meets is False:
                lines.append(f"{result.name}: {result.more_needed} more met needed "
                             f"({result.met} of {result.applicable} met, "
                             f"{result.threshold}% required)")
        if self.unrated:
            lines.append(f"Not rated yet: {', '.join(self.unrated)}")
        return lines


def parse_thresholds(data: Mapping | None) -> dict[int, int] | None:
    """A route's thresholds from stored data ({"1": 100, ...}, or None for none), checked."""
    if data is None:
        return None
    thresholds: dict[int, int] = {}
    for key, value in data.items():
        standard_type = int(key)
        if standard_type not in TYPES:
            raise ValueError(f"no standard type {key!r}")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(f"type {key}: a threshold is a whole percentage from 0 to 100")
        thresholds[standard_type] = value
    return thresholds


def assess(ratings: Iterable[Rated], thresholds: Mapping[int, int] | None) -> Assessment:
    """The review against the route's thresholds (None: a route without thresholds). A type
    the thresholds do not name has no threshold."""
    ratings = list(ratings)
    results = []
    for standard_type in TYPES:
        of_type = [r for r in ratings if r.standard_type == standard_type]
        counts = {rating: sum(1 for r in of_type if r.rating == rating) for rating in RATINGS}
        results.append(TypeResult(
            standard_type=standard_type,
            threshold=None if thresholds is None else thresholds.get(standard_type),
            applicable=len(of_type) - counts[NOT_APPLICABLE],
            met=counts[MET], partly_met=counts[PARTLY_MET], not_met=counts[NOT_MET],
            not_applicable=counts[NOT_APPLICABLE],
            unrated=tuple(r.code for r in of_type if r.rating is None)))
    return Assessment(has_thresholds=thresholds is not None, types=tuple(results))
