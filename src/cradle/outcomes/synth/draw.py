"""Small helpers for drawing from `profiles` with one `random.Random` (plain Python)."""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random


class Weighted:
    """Keys with weights, drawn with `pick(rng)`; the cumulative weights are computed once."""

    __slots__ = ("keys", "cumulative", "total")

    def __init__(self, pairs):
        self.keys = tuple(key for key, _weight in pairs)
        self.cumulative = tuple(itertools.accumulate(weight for _key, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        # What rng.choices does for one draw, without its per-call set-up (a hot path).
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.total)]

    def sample(self, rng: random.Random, count: int) -> list:
        """`count` different keys, each drawn by weight from those not yet drawn."""
        pool = dict(zip(self.keys, _weights(self.cumulative), strict=True))
        chosen = []
        while pool and len(chosen) < count:
            key = rng.choices(tuple(pool), weights=tuple(pool.values()))[0]
            chosen.append(key)
            del pool[key]
        return chosen


def _weights(cumulative):
    previous = 0
    for total in cumulative:
        yield total - previous
        previous = total


def clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def lognormal_days(rng: random.Random, median: float, sigma: float, low: int,
                   high: int) -> int:
    return int(clamp(round(median * math.exp(rng.gauss(0.0, sigma))), low, high))


def add_days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1
