"""Paired change statistics against values worked by hand."""

import math

import pytest

from cradle.stats.change import InstrumentRule, ScorePair, summarise_change

T_975_DF4 = 2.7764451051977987  # t(0.975; 4), e.g. Abramowitz & Stegun table 26.10
Z_975 = 1.959963984540054

# PHQ-9 as the platform encodes it: higher is worse, caseness >= 10, reliable change 6.
PHQ9 = InstrumentRule(direction="higher_is_worse", reliable_change=6, cutoff=10,
                      cutoff_rule="at_or_above")
CASES = [
    ScorePair(20, 8),     # -12: reliable improvement, case -> not a case
    ScorePair(15, 12),    # -3: no reliable change, still a case
    ScorePair(12, 6),     # -6: exactly the threshold counts (inclusive), case -> not a case
    ScorePair(8, 14),     # +6: reliable deterioration
    ScorePair(9, 5),      # -4: no reliable change, not a case at baseline
    ScorePair(18, None),  # no discharge score
    ScorePair(None, 7),   # discharge without baseline
]


def test_every_statistic_on_a_small_table():
    s = summarise_change(CASES, PHQ9)
    assert (s.cases_with_baseline, s.pairs, s.missing_discharge,
            s.discharge_without_baseline) == (6, 5, 1, 1)
    assert s.completion_rate == pytest.approx(5 / 6)
    assert s.mean_before == pytest.approx(12.8)
    assert s.mean_after == pytest.approx(9.0)
    assert s.mean_change == pytest.approx(-3.8)
    # Deviations from -3.8: -8.2, 0.8, -2.2, 9.8, -0.2; squares sum to 168.8; / 4 = 42.2.
    assert s.sd_change == pytest.approx(math.sqrt(42.2))
    half = T_975_DF4 * math.sqrt(42.2 / 5)
    assert s.mean_change_ci.low == pytest.approx(-3.8 - half)
    assert s.mean_change_ci.high == pytest.approx(-3.8 + half)
    dz = -3.8 / math.sqrt(42.2)
    assert s.effect_size_dz == pytest.approx(dz)
    dz_half = Z_975 * math.sqrt(1 / 5 + dz * dz / 10)
    assert s.effect_size_ci.low == pytest.approx(dz - dz_half)
    assert s.effect_size_ci.high == pytest.approx(dz + dz_half)
    assert (s.reliably_improved, s.no_reliable_change, s.reliably_deteriorated) == (2, 2, 1)
    assert (s.pct_reliably_improved, s.pct_no_reliable_change,
            s.pct_reliably_deteriorated) == (40.0, 40.0, 20.0)
    assert (s.cases_at_baseline, s.clinically_significant) == (3, 2)
    assert s.pct_clinically_significant == pytest.approx(200 / 3)


def test_direction_higher_is_better():
    # WEMWBS-like: higher is better, a case below 41, reliable change 3.
    rule = InstrumentRule("higher_is_better", reliable_change=3, cutoff=41, cutoff_rule="below")
    s = summarise_change([ScorePair(35, 45), ScorePair(50, 46), ScorePair(40, 42)], rule)
    assert (s.reliably_improved, s.no_reliable_change, s.reliably_deteriorated) == (1, 1, 1)
    # 40 -> 42 leaves caseness but is not a reliable improvement, so it does not count.
    assert (s.cases_at_baseline, s.clinically_significant) == (2, 1)
    assert s.mean_change == pytest.approx(8 / 3)


def test_no_pairs_single_pair_and_zero_spread():
    empty = summarise_change([], PHQ9)
    assert empty.pairs == 0 and empty.mean_change is None and empty.completion_rate is None
    assert empty.pct_reliably_improved is None and empty.pct_clinically_significant is None
    one = summarise_change([ScorePair(14, 4)], PHQ9)
    assert one.mean_change == -10 and one.mean_change_ci is None and one.sd_change is None
    assert one.effect_size_dz is None and one.reliably_improved == 1
    flat = summarise_change([ScorePair(10, 5), ScorePair(12, 7)], PHQ9)
    assert flat.sd_change == 0 and flat.mean_change_ci.low == flat.mean_change_ci.high == -5
    assert flat.effect_size_dz is None and flat.effect_size_ci is None


def test_all_follow_up_missing():
    s = summarise_change([ScorePair(10, None), ScorePair(12, None)], PHQ9)
    assert (s.cases_with_baseline, s.pairs, s.missing_discharge) == (2, 0, 2)
    assert s.completion_rate == 0.0 and s.mean_before is None


def test_instruments_without_threshold_or_cutoff():
    s = summarise_change(CASES, InstrumentRule("higher_is_worse"))
    assert s.reliably_improved is None and s.pct_reliably_improved is None
    assert s.clinically_significant is None and s.mean_change == pytest.approx(-3.8)
    only_threshold = summarise_change(CASES, InstrumentRule("higher_is_worse", reliable_change=6))
    assert only_threshold.reliably_improved == 2 and only_threshold.cases_at_baseline is None


def test_bad_input_names_the_case():
    with pytest.raises(ValueError, match="case 2, discharge"):
        summarise_change([ScorePair(1, 2), ScorePair(3, "x")], PHQ9)
    with pytest.raises(ValueError, match="direction"):
        InstrumentRule("lower_is_better")
