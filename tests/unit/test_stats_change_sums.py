"""Sufficient statistics of paired change add up exactly: summaries of groups of cases, added
in any order, give the very same statistics as the summary of all the cases."""

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cradle.stats.change import InstrumentRule, ScorePair, change_sums, summarise_change, summary_of
from cradle.stats.change_sums import ChangeSums, scaled

PHQ9 = InstrumentRule("higher_is_worse", reliable_change=6, cutoff=10)
KIPS = InstrumentRule("higher_is_better")

scores = st.one_of(st.none(), st.integers(0, 27).map(float),
                   st.integers(4, 20).map(lambda q: q / 4), st.integers(24, 120).map(lambda s: s / 24))
pairs = st.lists(st.builds(ScorePair, scores, scores), max_size=60)


@given(pairs, st.randoms(use_true_random=False), st.integers(1, 5))
def test_groups_added_in_any_order_give_the_same_summary(cases, rng, groups):
    for rule in (PHQ9, KIPS):
        whole = summarise_change(cases, rule)
        shuffled = list(cases)
        rng.shuffle(shuffled)
        parts = [change_sums(shuffled[i::groups], rule) for i in range(groups)]
        total = ChangeSums()
        for part in parts:
            total = total + part
        assert summary_of(total, rule) == whole


def test_the_statistics_are_those_computed_by_hand():
    cases = [ScorePair(20, 5), ScorePair(15, 14), ScorePair(10, 17), ScorePair(12, None),
             ScorePair(None, 3)]
    summary = summarise_change(cases, PHQ9)
    assert (summary.pairs, summary.cases_with_baseline, summary.missing_discharge,
            summary.discharge_without_baseline) == (3, 4, 1, 1)
    assert summary.mean_before == 15 and summary.mean_after == 12 and summary.mean_change == -3
    changes = [-15, -1, 7]
    sd = math.sqrt(sum((d + 3) ** 2 for d in changes) / 2)
    assert summary.sd_change == pytest.approx(sd, rel=1e-15)
    assert (summary.reliably_improved, summary.no_reliable_change,
            summary.reliably_deteriorated) == (1, 1, 1)
    assert (summary.cases_at_baseline, summary.clinically_significant) == (3, 1)


def test_subtracting_a_case_takes_it_out_exactly():
    rng = random.Random(7)
    cases = [ScorePair(rng.randint(0, 27), rng.randint(0, 27)) for _ in range(50)]
    everyone = change_sums(cases, PHQ9)
    assert everyone - change_sums(cases[:10], PHQ9) == change_sums(cases[10:], PHQ9)
    assert not (everyone - everyone)


def test_a_score_finer_than_the_unit_is_refused():
    assert scaled(0.25) == 1 << 62 and scaled(-3.0) == -3 << 64
    with pytest.raises(ValueError, match="finer than"):
        scaled(1e-30)
