"""Paired before/after statistics for one outcome instrument.

Input: one ``ScorePair`` per case (baseline and discharge score, either may be missing) and the
instrument's rule as plain values (``InstrumentRule``, mirroring
``cradle.outcomes.instruments.model``: ``direction`` is "higher_is_worse" or "higher_is_better";
the reliable change threshold is inclusive; caseness is ``score >= cutoff`` ("at_or_above") or
``score < cutoff`` ("below")).

Formulas (n = cases with both scores, d_k = discharge_k - baseline_k):

- mean change = mean(d); SD = sample standard deviation of d (divisor n - 1);
  95% CI = mean ± t(0.975; n - 1) × SD / √n (paired t interval). None for n < 2.
- effect size: Cohen's d_z = mean(d) / SD(d) (Cohen 1988, §2.3.5; Lakens 2013, Front. Psychol.
  4:863, eq. 6). Chosen because it is the standardised mean of what is actually measured here,
  the within-person change, and needs no correlation estimate; note it is larger than d_av
  (mean change over the average of the two SDs) when scores are strongly correlated, so it is
  not comparable to between-group d. Its 95% CI uses the large-sample variance of a one-group
  standardised mean, Var(d_z) ≈ 1/n + d_z² / (2n) (Hedges & Olkin 1985, *Statistical Methods
  for Meta-Analysis*, ch. 5; Borenstein et al. 2009, *Introduction to Meta-Analysis*, §4),
  d_z ± z(0.975) × √Var. None when n < 2 or SD = 0 (no variation: d_z undefined).
- reliable change (Jacobson & Truax 1991, J Consult Clin Psychol 59:12-19): improvement in the
  instrument's direction of at least the threshold is "reliable improvement", the same the
  other way "reliable deterioration", anything else "no reliable change". Percentages of the
  n pairs. None when the instrument has no threshold.
- clinically significant improvement (Jacobson & Truax's "recovered"): a case at baseline, not
  a case at discharge, AND reliable improvement (the NHS Talking Therapies "reliable recovery").
  Its denominator is the pairs that were cases at baseline, as in NHS Talking Therapies'
  recovery rate. None when the instrument has no cut-off or no threshold.
- completion: cases with a baseline score and no discharge score are counted; completion rate =
  pairs / cases with a baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .change_sums import ChangeSums, scaled
from .distributions import normal_quantile, t_quantile

#: Tolerance when comparing a change with its threshold, as the scoring engine does.
_TOLERANCE = 1e-9

Direction = Literal["higher_is_worse", "higher_is_better"]


@dataclass(frozen=True)
class InstrumentRule:
    direction: Direction
    reliable_change: float | None = None
    cutoff: float | None = None
    cutoff_rule: Literal["at_or_above", "below"] = "at_or_above"

    def __post_init__(self):
        if self.direction not in ("higher_is_worse", "higher_is_better"):
            raise ValueError(f"direction must be 'higher_is_worse' or 'higher_is_better', "
                             f"got {self.direction!r}")
        if self.cutoff_rule not in ("at_or_above", "below"):
            raise ValueError(f"cutoff_rule must be 'at_or_above' or 'below', got "
                             f"{self.cutoff_rule!r}")
        if self.reliable_change is not None and not self.reliable_change > 0:
            raise ValueError(f"reliable change threshold must be positive, got "
                             f"{self.reliable_change}")

    def is_case(self, score: float) -> bool:
        if self.cutoff_rule == "at_or_above":
            return score >= self.cutoff
        return score < self.cutoff

    def improvement(self, before: float, after: float) -> float:
        """Change in the better direction (positive = better)."""
        return after - before if self.direction == "higher_is_better" else before - after

    def classify(self, before: float, after: float) -> str:
        """'improved', 'no reliable change' or 'deteriorated' (needs a threshold)."""
        gain = self.improvement(before, after)
        if gain >= self.reliable_change - _TOLERANCE:
            return "improved"
        if -gain >= self.reliable_change - _TOLERANCE:
            return "deteriorated"
        return "no reliable change"


@dataclass(frozen=True)
class ScorePair:
    baseline: float | None
    discharge: float | None


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class ChangeSummary:
    cases_with_baseline: int
    pairs: int
    missing_discharge: int
    discharge_without_baseline: int
    completion_rate: float | None
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    sd_change: float | None
    mean_change_ci: Interval | None
    effect_size_dz: float | None
    effect_size_ci: Interval | None
    reliably_improved: int | None
    no_reliable_change: int | None
    reliably_deteriorated: int | None
    pct_reliably_improved: float | None
    pct_no_reliable_change: float | None
    pct_reliably_deteriorated: float | None
    cases_at_baseline: int | None
    clinically_significant: int | None
    pct_clinically_significant: float | None


def _percent(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part * 100.0 / whole


def _number(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: {value!r} is not a finite number")
    return float(value)


def change_intervals(mean_change: float, sd: float, n: int
                     ) -> tuple[Interval | None, Interval | None]:
    """The 95% intervals of the mean change and of d_z (formulas in the module docstring) for
    ``n`` people. A protected release passes the *published* (rounded) n rather than the true
    one: both half-widths are functions of n alone once the mean and SD are known, so with the
    true n they would give it away (n = 3.8416 (1 + d^2/2) / h^2 for d_z's interval)."""
    if n < 2:
        return None, None
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    ci = Interval(mean_change - half, mean_change + half)
    if not sd > 0:
        return ci, None
    dz = mean_change / sd
    half = normal_quantile(0.975) * math.sqrt(1 / n + dz * dz / (2 * n))
    return ci, Interval(dz - half, dz + half)


def summarise_change(cases: Iterable[ScorePair], rule: InstrumentRule) -> ChangeSummary:
    """Every paired statistic for one instrument (see the module docstring for formulas)."""
    return summary_of(change_sums(cases, rule), rule)


def summary_of(sums: ChangeSums, rule: InstrumentRule) -> ChangeSummary:
    """The statistics from their sufficient statistics: exactly the same whichever cases were
    added in which order (change_sums.py keeps every sum exact), so a summary of summaries
    (teams, months) equals the summary of their cases."""
    n = sums.pairs
    mean_change = sums.mean("sum_change")
    sd = ci = dz = dz_ci = None
    if n >= 2:
        sd = math.sqrt(sums.variance_of_change())
        dz = mean_change / sd if sd > 0 else None
        ci, dz_ci = change_intervals(mean_change, sd, n)
    improved = unchanged = deteriorated = None
    if rule.reliable_change is not None:
        improved, deteriorated = sums.improved, sums.deteriorated
        unchanged = n - improved - deteriorated
    at_baseline = significant = None
    if rule.cutoff is not None and rule.reliable_change is not None:
        at_baseline, significant = sums.at_baseline, sums.significant
    with_baseline = sums.with_baseline
    return ChangeSummary(
        cases_with_baseline=with_baseline,
        pairs=n,
        missing_discharge=sums.missing_discharge,
        discharge_without_baseline=sums.discharge_only,
        completion_rate=n / with_baseline if with_baseline else None,
        mean_before=sums.mean("sum_before"),
        mean_after=sums.mean("sum_after"),
        mean_change=mean_change,
        sd_change=sd,
        mean_change_ci=ci,
        effect_size_dz=dz,
        effect_size_ci=dz_ci,
        reliably_improved=improved,
        no_reliable_change=unchanged,
        reliably_deteriorated=deteriorated,
        pct_reliably_improved=_percent(improved, n),
        pct_no_reliable_change=_percent(unchanged, n),
        pct_reliably_deteriorated=_percent(deteriorated, n),
        cases_at_baseline=at_baseline,
        clinically_significant=significant,
        pct_clinically_significant=_percent(significant, at_baseline),
    )


def change_sums(cases: Iterable[ScorePair], rule: InstrumentRule) -> ChangeSums:
    """The sufficient statistics of the cases' pairs under the instrument's rule."""
    total = ChangeSums()
    for number, case in enumerate(cases, start=1):
        total = total + pair_sums(_number(case.baseline, f"case {number}, baseline"),
                                  _number(case.discharge, f"case {number}, discharge"), rule)
    return total


def pair_sums(before: float | None, after: float | None, rule: InstrumentRule) -> ChangeSums:
    """One case's part in the sufficient statistics."""
    if before is None:
        return ChangeSums(discharge_only=1) if after is not None else ChangeSums()
    if after is None:
        return ChangeSums(with_baseline=1, missing_discharge=1)
    change = after - before
    kind = rule.classify(before, after) if rule.reliable_change is not None else None
    at_baseline = (rule.cutoff is not None and rule.reliable_change is not None
                   and rule.is_case(before))
    return ChangeSums(
        with_baseline=1, pairs=1, sum_before=scaled(before), sum_after=scaled(after),
        sum_change=scaled(change), sum_change_sq=scaled(change) ** 2,
        improved=int(kind == "improved"), deteriorated=int(kind == "deteriorated"),
        at_baseline=int(at_baseline),
        significant=int(at_baseline and not rule.is_case(after) and kind == "improved"))
