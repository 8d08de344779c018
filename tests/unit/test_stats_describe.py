"""Descriptive statistics against hand-computed values."""

import pytest

from cradle.stats.describe import (
    AGE_BANDS,
    Quartiles,
    Rate,
    age_band,
    age_band_counts,
    median,
    quartiles,
    ranked_counts,
    rate,
    shares,
)


def test_quartiles_use_linear_interpolation_between_order_statistics():
    # Positions (n-1)p on 1,2,3,4: 0.75, 1.5, 2.25.
    assert quartiles([4, 1, 3, 2]) == Quartiles(4, 1.75, 2.5, 3.25)
    # Odd n: positions 1, 2, 3 of 10, 20, 30, 40, 50 fall on values.
    assert quartiles([50, 10, 40, 30, 20]) == Quartiles(5, 20, 30, 40)


def test_quartiles_with_ties_single_value_and_none():
    assert quartiles([5, 5, 5, 9]) == Quartiles(4, 5, 5, 6)
    assert quartiles([7]) == Quartiles(1, 7, 7, 7)
    assert quartiles([]) is None
    assert median([]) is None
    assert median([3, 1, 2, 10]) == 2.5


def test_quartiles_refuse_non_numbers():
    with pytest.raises(ValueError, match="value 2"):
        quartiles([1, "2"])
    with pytest.raises(ValueError, match="value 1"):
        quartiles([float("nan")])


def test_rates_keep_their_denominator():
    attended = rate([True, False, None, True])
    assert (attended.numerator, attended.denominator) == (2, 3)
    assert attended.percent == pytest.approx(200 / 3)
    assert Rate(0, 0).proportion is None
    assert rate([None, None]) == Rate(0, 0)
    with pytest.raises(ValueError, match="numerator"):
        Rate(4, 3)


def test_ranked_counts_use_competition_ranking():
    ranked = ranked_counts({"a": 3, "b": 5, "c": 3, "d": 1})
    assert [(r.rank, r.label, r.count) for r in ranked] == [
        (1, "b", 5), (2, "a", 3), (2, "c", 3), (4, "d", 1)]
    from_labels = ranked_counts(["x", "y", "x", "z", "y"])
    assert [(r.rank, r.label) for r in from_labels] == [(1, "x"), (1, "y"), (3, "z")]
    assert ranked_counts([]) == []


@pytest.mark.parametrize(("age", "band"), [
    (0, "20 and under"), (16, "20 and under"), (20, "20 and under"), (21, "21-25"),
    (25, "21-25"), (26, "26-30"), (30, "26-30"), (31, "31-35"), (35, "31-35"), (36, "36-40"),
    (40, "36-40"), (41, "41 and over"), (67, "41 and over"), (None, "Unknown"),
])
def test_age_bands_at_every_edge(age, band):
    assert age_band(age) == band


def test_age_band_counts_list_every_band_in_order():
    counts = age_band_counts([19, 20, 21, None, 44])
    assert list(counts) == list(AGE_BANDS)
    assert counts == {"20 and under": 2, "21-25": 1, "26-30": 0, "31-35": 0, "36-40": 0,
                      "41 and over": 1, "Unknown": 1}
    with pytest.raises(ValueError, match="age -1"):
        age_band(-1)


def test_shares_of_a_total():
    out = shares({"single caregiver": 1, "two caregivers": 3})
    assert [(s.label, s.count, s.denominator, s.percent) for s in out] == [
        ("single caregiver", 1, 4, 25.0), ("two caregivers", 3, 4, 75.0)]
    assert [s.percent for s in shares({"a": 0, "b": 0})] == [None, None]
    with pytest.raises(ValueError, match="b: count -1"):
        shares({"a": 1, "b": -1})
