"""An attacker of published pooled figures, for the tests: what a reader can work out about a
count from the figures derived from it, and from releases that add up.

Two attackers, both reading the JSON downloads as published (numbers as numbers, a hidden
figure null, intervals as `<field>_lower` and `<field>_upper`; decimals read as Decimal, so a
mean shown to a whole number and one shown to a tenth stay apart):
- the *naive* one believes every derived figure was computed from the true count and
  back-solves it (n = 3.8416 (1 + d^2/2) / h^2 from an effect size d and its interval's
  half-width h; the paired t interval's half-width t(n-1) SD / sqrt(n) with SD = mean / d);
- the *informed* one knows the published method (ADR 0007) and so only knows that each count
  lies in the range its shown value stands for.
A release is safe when neither recovers a hidden count, nor pins a rounded one, nor a hidden
group's mean to within a couple of points.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

from cradle.stats.distributions import t_quantile

THRESHOLD, ROUNDING = 7, 5


def hidden(shown) -> bool:
    return shown is None or shown == "*"


def preimage(shown) -> range:
    """The counts a shown count (a number, or None where hidden) stands for."""
    if hidden(shown):
        return range(1, THRESHOLD + 1)
    value = int(shown)
    if value == 0:
        return range(0, 1)
    return range(max(value - ROUNDING // 2, THRESHOLD + 1), value + ROUNDING // 2 + 1)


def _interval(outcome: dict, field: str) -> tuple[float, float] | None:
    low, high = outcome.get(f"{field}_lower"), outcome.get(f"{field}_upper")
    if low is None or high is None:
        return None
    return float(low), float(high)


def _number(value) -> float | None:
    return None if hidden(value) else float(value)


def effect_size_backsolve(outcome: dict) -> float | None:
    d, ci = _number(outcome["effect_size"]), _interval(outcome, "effect_size_ci")
    if d is None or ci is None:
        return None
    half = (ci[1] - ci[0]) / 2
    return 3.8416 * (1 + d * d / 2) / (half * half)


def mean_interval_backsolve(outcome: dict) -> float | None:
    """n from the mean change's interval with the SD worked out as mean / d."""
    d, mean = _number(outcome["effect_size"]), _number(outcome["mean_change"])
    ci = _interval(outcome, "mean_change_ci")
    if d is None or mean is None or ci is None or d == 0:
        return None
    sd, half = mean / d, (ci[1] - ci[0]) / 2
    return min(range(2, 2000), key=lambda n: abs(t_quantile(0.975, n - 1) * sd / math.sqrt(n)
                                                 - half))


def naive_counts(outcome: dict) -> set[int]:
    """The pair counts the naive attacker keeps: those of the shown range that the back-solve
    from the effect size's interval agrees with (all of them if it agrees with none)."""
    shown = set(preimage(outcome["pairs"]))
    solved = effect_size_backsolve(outcome)
    if solved is None:
        return shown
    kept = {n for n in shown if abs(solved - n) < 0.5}
    return kept or shown


def informed_counts(outcome: dict) -> set[int]:
    return set(preimage(outcome["pairs"]))


def _sum_range(mean_shown, n: int) -> tuple[float, float]:
    """The sums of n scores whose mean is shown as ``mean_shown`` (rounded half up)."""
    mean = Decimal(str(mean_shown))
    half = Decimal(1).scaleb(-max(-mean.as_tuple().exponent, 0)) / 2
    return float((mean - half) * n), float((mean + half) * n)


def difference(whole: dict, parts: list[dict], counts, hidden_range=range(1, THRESHOLD + 1),
               field: str = "mean_before", scores=(0, 27)):
    """What whole minus parts gives away about the rest: its possible pair counts and the
    smallest and largest possible mean of ``field`` over every consistent combination."""
    rest_counts, low, high = set(), math.inf, -math.inf
    for n_whole in counts(whole):
        for n_parts in itertools.product(*(counts(p) for p in parts)):
            rest = n_whole - sum(n_parts)
            if rest not in hidden_range:
                continue
            rest_counts.add(rest)
            if hidden(whole.get(field)) or any(hidden(p.get(field)) for p in parts):
                continue
            top = _sum_range(whole[field], n_whole)
            taken = [_sum_range(p[field], n) for p, n in zip(parts, n_parts, strict=True)]
            least = (top[0] - sum(t[1] for t in taken)) / rest
            most = (top[1] - sum(t[0] for t in taken)) / rest
            low = min(low, max(least, scores[0]))
            high = max(high, min(most, scores[1]))
    return rest_counts, low, high


def percentage_counts(outcome: dict, fields=("reliably_improved", "no_reliable_change",
                                             "reliably_deteriorated")) -> set[int]:
    """The pair counts of the shown range for which every shown percentage of the pairs is some
    whole number of them (the naive reading of percentages)."""
    kept = set()
    for n in preimage(outcome["pairs"]):
        if n and all(hidden(outcome[f]) or any(
                Decimal(100 * k) / n == Decimal(str(outcome[f])) or
                abs(float(Decimal(100 * k) / n) - float(outcome[f])) < 0.05
                for k in range(n + 1)) for f in fields):
            kept.add(n)
    return kept
