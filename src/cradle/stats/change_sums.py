"""The sufficient statistics of paired change, kept exact so that they add up.

A float is a whole number of 2^-1074ths; every score Cradle holds (totals within an
instrument's range, means of item scores) is a whole number of 2^-64ths, so each sum is kept as
a Python integer in units of 2^-64 (squares in units of 2^-128), and adding cases, teams or
months in any order gives the same integers. Means and the variance are then one exact division
each, correctly rounded to a float: the same statistics however the cases were grouped.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields

UNIT_BITS = 64


def scaled(value: float) -> int:
    """`value` in units of 2^-64, exactly; ValueError if it is not a whole number of them
    (a non-zero magnitude below 2^-11 with a long mantissa: no score is)."""
    numerator, denominator = float(value).as_integer_ratio()
    if denominator > 1 << UNIT_BITS:
        raise ValueError(f"{value!r} is finer than 2^-{UNIT_BITS}: it cannot be summed exactly")
    return numerator * ((1 << UNIT_BITS) // denominator)


@dataclass(frozen=True)
class ChangeSums:
    with_baseline: int = 0
    missing_discharge: int = 0
    discharge_only: int = 0
    pairs: int = 0
    sum_before: int = 0        # units of 2^-64
    sum_after: int = 0
    sum_change: int = 0
    sum_change_sq: int = 0     # units of 2^-128
    improved: int = 0
    deteriorated: int = 0
    at_baseline: int = 0
    significant: int = 0

    def __add__(self, other: ChangeSums) -> ChangeSums:
        return ChangeSums(*map(operator.add, self.as_tuple(), other.as_tuple()))

    def __sub__(self, other: ChangeSums) -> ChangeSums:
        return ChangeSums(*map(operator.sub, self.as_tuple(), other.as_tuple()))

    def __bool__(self) -> bool:
        return any(self.as_tuple())

    def as_tuple(self) -> tuple[int, ...]:
        """The fields in order (FIELD_NAMES), spelled out: reports add thousands of these."""
        return (self.with_baseline, self.missing_discharge, self.discharge_only, self.pairs,
                self.sum_before, self.sum_after, self.sum_change, self.sum_change_sq,
                self.improved, self.deteriorated, self.at_baseline, self.significant)

    @classmethod
    def total(cls, parts) -> ChangeSums:
        """The sum of many, in one pass."""
        columns = [0] * len(FIELD_NAMES)
        for part in parts:
            columns = list(map(operator.add, columns, part.as_tuple()))
        return cls(*columns)

    def mean(self, name: str) -> float | None:
        """The mean of a summed score over the pairs, correctly rounded; None without pairs."""
        if not self.pairs:
            return None
        return getattr(self, name) / (self.pairs << UNIT_BITS)

    def variance_of_change(self) -> float:
        """The sample variance of the change (divisor n - 1), from the exact sums."""
        n = self.pairs
        if n < 2:
            raise ValueError("a variance needs two pairs")
        numerator = n * self.sum_change_sq - self.sum_change * self.sum_change
        return numerator / ((n * (n - 1)) << (2 * UNIT_BITS))


FIELD_NAMES = tuple(f.name for f in fields(ChangeSums))
assert len(FIELD_NAMES) == len(ChangeSums().as_tuple())
