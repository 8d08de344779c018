"""Funnel-plot limits (Spiegelhalter 2005, exact binomial with interpolation)."""

import math

import pytest

from cradle.stats.funnel import TeamCount, classify, control_limit, funnel, limits_at


def test_interpolated_limit_worked_by_hand():
    # Binomial(10, 1/2): P(X<=7) = 968/1024, P(X<=8) = 1013/1024, so r = 8 for p = 0.975 and
    # alpha = (1013/1024 - 0.975) / (45/1024) = 14.6 / 45.
    assert control_limit(10, 0.5, 0.975) == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-12)
    # P(X<=1) = 11/1024, P(X<=2) = 56/1024: r = 2 for p = 0.025, alpha = 30.4 / 45.
    assert control_limit(10, 0.5, 0.025) == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)


def test_limits_approach_the_normal_approximation_for_large_n():
    limits = limits_at(10_000, 0.3)
    spread = math.sqrt(0.3 * 0.7 / 10_000)
    assert limits.upper_95 == pytest.approx(0.3 + 1.959964 * spread, abs=2e-4)
    assert limits.lower_998 == pytest.approx(0.3 - 3.090232 * spread, abs=2e-4)


def test_limits_clip_and_degenerate_rates():
    assert control_limit(1, 0.5, 0.001) == 0.0
    assert control_limit(5, 0.0, 0.975) == 0.0
    assert control_limit(5, 1.0, 0.025) == 1.0
    with pytest.raises(ValueError, match="at least 1"):
        control_limit(0, 0.5, 0.5)


def test_classification_is_strict():
    assert classify(0.5, 0.2, 0.5) == "within"
    assert classify(0.51, 0.2, 0.5) == "above"
    assert classify(0.19, 0.2, 0.5) == "below"


def test_funnel_pools_classifies_and_draws():
    teams = [TeamCount("a", 10, 20), TeamCount("b", 40, 100), TeamCount("c", 2, 30),
             TeamCount("d", 0, 0), TeamCount("e", 28, 30)]
    result = funnel(teams)
    assert result.total_events == 80 and result.total_denominator == 180
    assert result.pooled_rate == pytest.approx(80 / 180)
    by_key = {p.key: p for p in result.teams}
    assert by_key["c"].within_95 == "below" and by_key["c"].within_998 == "below"
    assert by_key["e"].within_95 == "above" and by_key["e"].within_998 == "above"
    assert by_key["a"].within_95 == "within"
    assert by_key["d"].proportion is None and by_key["d"].within_95 is None
    ns = [point.n for point in result.curve]
    assert ns[0] == 1 and ns[-1] == 110 and ns == sorted(set(ns))
    for point in result.curve:
        assert point.lower_998 <= point.lower_95 <= result.pooled_rate <= point.upper_95
        assert point.upper_95 <= point.upper_998
    big = result.curve[-1]
    assert big.upper_95 - big.lower_95 < result.curve[5].upper_95 - result.curve[5].lower_95


def test_funnel_without_denominators_and_bad_counts():
    empty = funnel([TeamCount("a", 0, 0)])
    assert empty.pooled_rate is None and empty.curve == []
    with pytest.raises(ValueError, match="team x: events 5 exceed denominator 4"):
        TeamCount("x", 5, 4)
