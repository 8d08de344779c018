"""Funnel plot of a proportion (e.g. each team's reliable-improvement rate) against the pooled rate.

Method: Spiegelhalter D.J., "Funnel plots for comparing institutional performance", Statistics
in Medicine 2005; 24:1185-1202, Appendix A.1.1 (exact binomial limits with interpolation).
The target is the pooled rate p0 = Σ events / Σ denominators over teams with a denominator.
For a denominator n and a tail probability p (0.025 and 0.975 for the 95% limits, 0.001 and
0.999 for the 99.8% limits), r_p is the smallest r with P(X <= r) >= p for X ~ Binomial(n, p0),
and the limit is (r_p - α) / n with the interpolation
α = (P(X <= r_p) - p) / (P(X <= r_p) - P(X <= r_p - 1)),
which makes the limits a smooth function of n. Limits are clipped to [0, 1]. When p0 is 0 or 1
every limit is p0.

A team is "above" a limit pair when its proportion is strictly above the upper limit, "below"
when strictly below the lower limit, otherwise "within". Teams with no denominator have no rate
and are left out of the plot (listed with classification None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .distributions import binomial_cdf, binomial_quantile

LEVELS = {"95": (0.025, 0.975), "99.8": (0.001, 0.999)}


@dataclass(frozen=True)
class TeamCount:
    """``key`` is opaque here: the web layer decides whose names may be shown."""

    key: str
    events: int
    denominator: int

    def __post_init__(self):
        for name in ("events", "denominator"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"team {self.key}: {name} {value!r} is not a whole number of "
                                 f"at least 0")
        if self.events > self.denominator:
            raise ValueError(f"team {self.key}: events {self.events} exceed denominator "
                             f"{self.denominator}")


def control_limit(n: int, p0: float, p: float) -> float:
    """Spiegelhalter's interpolated exact binomial limit for tail probability ``p``."""
    if n <= 0:
        raise ValueError(f"denominator must be at least 1, got {n}")
    if p0 <= 0.0 or p0 >= 1.0:
        return min(1.0, max(0.0, p0))
    r = binomial_quantile(p, n, p0)
    at_r = binomial_cdf(r, n, p0)
    below_r = binomial_cdf(r - 1, n, p0)
    alpha = (at_r - p) / (at_r - below_r)
    return min(1.0, max(0.0, (r - alpha) / n))


@dataclass(frozen=True)
class Limits:
    n: int
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def limits_at(n: int, p0: float) -> Limits:
    return Limits(n, control_limit(n, p0, 0.025), control_limit(n, p0, 0.975),
                  control_limit(n, p0, 0.001), control_limit(n, p0, 0.999))


def classify(proportion: float, lower: float, upper: float) -> str:
    if proportion > upper:
        return "above"
    if proportion < lower:
        return "below"
    return "within"


@dataclass(frozen=True)
class TeamPoint:
    key: str
    events: int
    denominator: int
    proportion: float | None
    within_95: str | None
    within_998: str | None


@dataclass(frozen=True)
class Funnel:
    pooled_rate: float | None
    total_events: int
    total_denominator: int
    teams: list[TeamPoint]
    curve: list[Limits]


def curve_denominators(largest: int, points: int = 60) -> list[int]:
    """Denominators for drawing the limit curves from 1 to ``largest``: spaced evenly on a
    square-root scale (the limits change fastest at small n), whole and without repeats."""
    if largest < 1:
        return []
    steps = [round((1 + (math.sqrt(largest) - 1) * k / (points - 1)) ** 2)
             for k in range(points)]
    return sorted(set(steps) | {1, largest})


def funnel(teams: Iterable[TeamCount], *, curve_points: int = 60) -> Funnel:
    """Pooled rate, each team's classification against the 95% and 99.8% limits at its own
    denominator, and the limit curves to draw (up to 10% beyond the largest denominator)."""
    teams = list(teams)
    total_events = sum(t.events for t in teams)
    total_n = sum(t.denominator for t in teams)
    p0 = total_events / total_n if total_n else None
    # Teams share few denominators and the curve meets them again: each n is computed once.
    limits_of: dict[int, Limits] = {}

    def limits(n: int) -> Limits:
        if n not in limits_of:
            limits_of[n] = limits_at(n, p0)
        return limits_of[n]

    points = []
    for team in teams:
        if not team.denominator or p0 is None:
            points.append(TeamPoint(team.key, team.events, team.denominator, None, None, None))
            continue
        proportion = team.events / team.denominator
        at_team = limits(team.denominator)
        points.append(TeamPoint(
            team.key, team.events, team.denominator, proportion,
            classify(proportion, at_team.lower_95, at_team.upper_95),
            classify(proportion, at_team.lower_998, at_team.upper_998),
        ))
    curve = []
    if p0 is not None:
        largest = max(t.denominator for t in teams)
        reach = max(largest + 1, -(-largest * 11 // 10))
        curve = [limits(n) for n in curve_denominators(reach, curve_points)]
    return Funnel(p0, total_events, total_n, points, curve)
