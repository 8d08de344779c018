"""Descriptive statistics over plain values: quartiles, rates, ranked counts, age bands, shares.

Conventions:

- Quartiles and median: Hyndman & Fan (1996) definition 7, the linear interpolation
  ``Q(p) = x[(n-1)p]`` on the sorted values (R's default ``type = 7``, Excel's QUARTILE.INC,
  Python's ``statistics.quantiles(method="inclusive")``). Its median is the usual median.
- Ranked counts use standard competition ranking ("1224"): tied counts share a rank and the
  next rank skips, as in sports tables; ties are listed by label.
- Age bands follow the pooled report's "parents aged 20 and under": completed years on the
  referral date; 20 and under, 21-25, 26-30, 31-35, 36-40, 41 and over; unknown when missing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

AGE_BANDS = ("20 and under", "21-25", "26-30", "31-35", "36-40", "41 and over", "Unknown")


@dataclass(frozen=True)
class Quartiles:
    n: int
    lower: float
    median: float
    upper: float


def _numbers(values: Iterable, what: str) -> list[float]:
    out = []
    for position, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ValueError(f"{what} {position}: {value!r} is not a number")
        out.append(value)
    return out


def quartiles(values: Iterable[float]) -> Quartiles | None:
    """Lower quartile, median and upper quartile (definition 7); None for no values."""
    data = sorted(_numbers(values, "value"))
    if not data:
        return None
    if len(data) == 1:
        return Quartiles(1, data[0], data[0], data[0])
    lower, median, upper = statistics.quantiles(data, n=4, method="inclusive")
    return Quartiles(len(data), lower, median, upper)


def quartiles_of_counts(counts: Mapping[int, int]) -> Quartiles | None:
    """`quartiles` of the values a histogram holds (value -> how many times), exactly as of
    the expanded list, without expanding it: the same order statistics and interpolation."""
    histogram = sorted((value, n) for value, n in counts.items() if n)
    for value, n in histogram:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ValueError(f"value {value!r} is not a number")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"the count of {value!r} is {n!r}, not a whole number")
    total = sum(n for _value, n in histogram)
    if not total:
        return None

    def at(position: int) -> float:
        """The value at 0-based `position` of the sorted expansion."""
        seen = 0
        for value, n in histogram:
            seen += n
            if position < seen:
                return value
        raise IndexError(position)

    if total == 1:
        only = histogram[0][0]
        return Quartiles(1, only, only, only)
    # statistics.quantiles(method="inclusive"), n=4: m = len - 1, j, delta = divmod(i * m, 4)
    cuts = []
    for i in (1, 2, 3):
        j, delta = divmod(i * (total - 1), 4)
        cuts.append((at(j) * (4 - delta) + at(j + 1) * delta) / 4)
    return Quartiles(total, *cuts)


def median(values: Iterable[float]) -> float | None:
    data = _numbers(values, "value")
    return statistics.median(data) if data else None


@dataclass(frozen=True)
class Rate:
    """``numerator`` of ``denominator``; ``proportion`` is None when the denominator is 0."""

    numerator: int
    denominator: int

    def __post_init__(self):
        if not 0 <= self.numerator <= self.denominator:
            raise ValueError(f"rate {self.numerator} of {self.denominator}: the numerator must "
                             f"be from 0 to the denominator")

    @property
    def proportion(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        return None if self.proportion is None else self.proportion * 100


def rate(flags: Iterable[bool | None]) -> Rate:
    """Share of True among the known (non-None) flags, e.g. attended among booked contacts."""
    known = [f for f in flags if f is not None]
    return Rate(sum(1 for f in known if f), len(known))


@dataclass(frozen=True)
class RankedCount:
    rank: int
    label: str
    count: int


def ranked_counts(labels: Iterable[str] | Mapping[str, int]) -> list[RankedCount]:
    """Counts from most to least common with competition ranks; labels of a tie alphabetical."""
    counts = Counter(labels) if not isinstance(labels, Mapping) else Counter(dict(labels))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    out: list[RankedCount] = []
    for position, (label, count) in enumerate(ordered, start=1):
        rank = out[-1].rank if out and out[-1].count == count else position
        out.append(RankedCount(rank, label, count))
    return out


def age_band(age: int | None) -> str:
    """The report's age band for an age in completed years (None -> "Unknown")."""
    if age is None:
        return "Unknown"
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError(f"age {age!r} is not a whole number of years")
    if age <= 20:
        return "20 and under"
    if age > 40:
        return "41 and over"
    low = 21 + (age - 21) // 5 * 5
    return f"{low}-{low + 4}"


def age_band_counts(ages: Iterable[int | None]) -> dict[str, int]:
    """Count of ages in every band, every band present (in order) even when empty."""
    counts = Counter(age_band(age) for age in ages)
    return {band: counts.get(band, 0) for band in AGE_BANDS}


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return self.count * 100 / self.denominator if self.denominator else None


def shares(counts: Mapping[str, int]) -> list[Share]:
    """Each label's share of the total of ``counts`` (in the mapping's order)."""
    for label, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{label}: count {count!r} is not a whole number of at least 0")
    total = sum(counts.values())
    return [Share(label, count, total) for label, count in counts.items()]
