"""The pure pieces of the pooled summaries (facts.py) and exact quartiles from a histogram."""

import datetime
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cradle.pooled import facts as f
from cradle.pooled.data import Scope
from cradle.stats.describe import quartiles, quartiles_of_counts

D = datetime.date


@given(st.lists(st.integers(min_value=-30, max_value=400), min_size=0, max_size=300))
def test_quartiles_of_a_histogram_are_those_of_the_expanded_values(values):
    histogram = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    assert quartiles_of_counts(histogram) == quartiles(values)


def test_quartiles_of_counts_ignore_zero_counts_and_refuse_bad_ones():
    assert quartiles_of_counts({}) is None and quartiles_of_counts({5: 0}) is None
    assert quartiles_of_counts({7: 1, 9: 0}).median == 7
    assert quartiles_of_counts({1: 2, 10: 2}) == quartiles([1, 1, 10, 10])
    assert quartiles_of_counts({1: 2, 10: 2}).median == statistics.median([1, 1, 10, 10])
    with pytest.raises(ValueError, match="not a whole number"):
        quartiles_of_counts({3: 1.5})
    with pytest.raises(ValueError, match="not a number"):
        quartiles_of_counts({"3": 1})


@pytest.mark.parametrize(("start", "end", "whole", "partial"), [
    (D(2025, 1, 1), D(2025, 12, 31), (D(2025, 1, 1), D(2025, 12, 1)), ()),
    (D(2025, 1, 1), D(2025, 6, 17), (D(2025, 1, 1), D(2025, 5, 1)),
     ((D(2025, 6, 1), D(2025, 6, 17)),)),
    (D(2024, 2, 10), D(2024, 4, 30), (D(2024, 3, 1), D(2024, 4, 1)),
     ((D(2024, 2, 10), D(2024, 2, 29)),)),
    (D(2024, 2, 10), D(2024, 3, 5), None, ((D(2024, 2, 10), D(2024, 3, 5)),)),
    (D(2025, 6, 5), D(2025, 6, 20), None, ((D(2025, 6, 5), D(2025, 6, 20)),)),
    (D(2025, 2, 1), D(2025, 2, 28), (D(2025, 2, 1), D(2025, 2, 1)), ()),
    (D(2024, 12, 2), D(2025, 2, 27), (D(2025, 1, 1), D(2025, 1, 1)),
     ((D(2024, 12, 2), D(2024, 12, 31)), (D(2025, 2, 1), D(2025, 2, 27)))),
])
def test_a_period_splits_into_whole_months_and_partial_edges(start, end, whole, partial):
    split = f.split_period(start, end)
    assert (split.whole_months, split.partial) == (whole, partial)


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        f.split_period(D(2025, 2, 1), D(2025, 1, 31))


@pytest.mark.parametrize(("first", "last", "years", "runs"), [
    (D(2025, 1, 1), D(2025, 12, 1), (2025, 2025), ()),
    (D(2024, 1, 1), D(2025, 12, 1), (2024, 2025), ()),
    (D(2024, 3, 1), D(2025, 12, 1), (2025, 2025), ((D(2024, 3, 1), D(2024, 12, 1)),)),
    (D(2024, 1, 1), D(2025, 5, 1), (2024, 2024), ((D(2025, 1, 1), D(2025, 5, 1)),)),
    (D(2023, 12, 1), D(2025, 1, 1), (2024, 2024),
     ((D(2023, 12, 1), D(2023, 12, 1)), (D(2025, 1, 1), D(2025, 1, 1)))),
    (D(2025, 1, 1), D(2025, 11, 1), None, ((D(2025, 1, 1), D(2025, 11, 1)),)),
    (D(2024, 2, 1), D(2025, 11, 1), None, ((D(2024, 2, 1), D(2025, 11, 1)),)),
    (D(2025, 4, 1), D(2025, 4, 1), None, ((D(2025, 4, 1), D(2025, 4, 1)),)),
])
def test_whole_months_split_into_the_years_they_fill_and_the_months_left(first, last, years,
                                                                         runs):
    assert f.split_months(first, last) == (years, runs)


@given(st.lists(st.tuples(st.integers(1, 3), st.dates(D(2023, 1, 1), D(2026, 12, 31)),
                          st.sampled_from(["a", "b"]), st.integers(-5, 5)), max_size=40))
def test_facts_by_year_are_the_sums_of_their_months(rows):
    by_month: dict = {}
    for team, day, key, n in rows:
        fact = (team, f.month_of(day), "referrer_type", key)
        by_month[fact] = by_month.get(fact, 0) + n
    yearly = f.by_year(by_month)
    assert all(n for n in yearly.values())
    for (team, year, name, key) in {(t, m.year, nm, k) for t, m, nm, k in by_month}:
        assert yearly.get((team, year, name, key), 0) == sum(
            n for (t, m, nm, k), n in by_month.items()
            if (t, m.year, nm, k) == (team, year, name, key))


def test_months_ending_before_they_start_are_refused():
    with pytest.raises(ValueError):
        f.split_months(D(2025, 2, 1), D(2025, 1, 1))


@pytest.mark.parametrize(("name", "value"), [
    (f.SINGLE_CAREGIVER, True), (f.SINGLE_CAREGIVER, False), (f.SINGLE_CAREGIVER, None),
    (f.CAREGIVER_AGE, 19), (f.CAREGIVER_AGE, None), (f.WAIT_DAYS, 0), (f.WAIT_DAYS, -3),
    (f.DECISION, ""), (f.DECISION, "accepted"), (f.CAREGIVER_ETHNICITY, "Z"),
])
def test_fact_keys_read_back_as_the_values_they_were_made_from(name, value):
    assert f.value_of(name, f.key_of(value)) == value


def test_the_difference_keeps_negative_changes_and_drops_unchanged_facts():
    month = D(2025, 3, 1)
    before = {(1, month, f.DECISION, "accepted"): 2, (1, month, f.REFERRALS, ""): 3}
    after = {(1, month, f.DECISION, "declined"): 1, (1, month, f.REFERRALS, ""): 3}
    assert f.difference(after, before) == {(1, month, f.DECISION, "accepted"): -2,
                                           (1, month, f.DECISION, "declined"): 1}


MEASURES = [  # instrument, timepoint, administered_on, id, total, caseness
    ("phq9", "discharge", D(2025, 1, 2), 1, 3.0, False),   # before any baseline: not a pair
    ("phq9", "baseline", D(2025, 1, 5), 2, 18.0, True),
    ("phq9", "baseline", D(2025, 2, 1), 3, 12.0, True),    # a later baseline: the first counts
    ("phq9", "discharge", D(2025, 6, 1), 5, 9.0, False),
    ("phq9", "discharge", D(2025, 6, 1), 4, 11.0, True),   # same day, lower id: earlier
    ("gad7", "baseline", D(2025, 1, 5), 6, 9.0, True),     # no discharge: a baseline only
    ("gad7", "review", D(2025, 3, 5), 7, 5.0, False),      # reviews are not pairs
]


def test_a_case_pairs_its_first_baseline_with_its_last_discharge_on_or_after_it():
    rows = f.pairs_of_case(40, 7, MEASURES, [D(2025, 6, 1), D(2025, 6, 1)])
    assert rows == [
        f.PairRow(40, 7, D(2025, 6, 1), "gad7", 9.0, None, True, None),
        f.PairRow(40, 7, D(2025, 6, 1), "phq9", 18.0, 9.0, True, False),
    ]
    assert f.pairs_of_case(40, 7, MEASURES, []) == []


def test_pairs_count_once_per_case_and_instrument_and_split_by_their_months():
    several = f.pairs_of_case(9, 1, MEASURES, [D(2025, 3, 1), D(2025, 5, 1)])
    single = f.pairs_of_case(4, 2, MEASURES[:2], [D(2025, 3, 1)])
    change = f.change_of_rows([*several, *single])
    assert sorted(change) == [(1, "gad7"), (1, "phq9"), (2, "phq9")]
    assert change[(1, "phq9")].pairs == 1 and change[(1, "gad7")].missing_discharge == 1
    assert change[(2, "phq9")].with_baseline == 1 and change[(2, "phq9")].pairs == 0
    monthly, kept = f.split_by_months([*several, *single])
    assert kept == several  # endings in two months: kept as rows, counted once on reading
    assert list(monthly) == [(2, D(2025, 3, 1), "phq9")]


def test_an_extract_is_assembled_from_summed_facts():
    scope = Scope((1, 2), D(2025, 1, 1), D(2025, 12, 31))
    data = f.assemble(scope, [
        (1, f.REFERRALS, "", 4), (2, f.REFERRALS, "", 1), (None, f.SINGLE_CAREGIVER, "yes", 3),
        (None, f.SINGLE_CAREGIVER, "", 2), (None, f.CAREGIVER_AGE, "19", 1),
        (None, f.WAIT_DAYS, "12", 2), (None, f.WAIT_DAYS, "12", 1),
        (None, f.ACCEPTED_WITHOUT_CONTACT, "", 2), (None, f.TRAINING_EVENTS, "", 1),
        (None, f.TRAINED_BY_PROFESSION, "midwife", 0),
    ], [], [])
    assert data.referrals_by_team == {1: 4, 2: 1} and data.referrals == 5
    assert data.single_caregiver == {True: 3, None: 2}
    assert data.primary_caregiver_ages == {19: 1} and data.waits == {12: 3}
    assert data.accepted_without_contact == 2 and data.training_events == 1
    assert data.trained_by_profession == {}


def test_the_last_months_the_calendar_has_split_without_overflow():
    assert f.split_period(D(9999, 12, 5), D(9999, 12, 31)).partial == ((D(9999, 12, 5),
                                                                         D(9999, 12, 31)),)
    assert f.split_period(D(9999, 1, 1), D(9999, 12, 31)).whole_months == (D(9999, 1, 1),
                                                                           D(9999, 12, 1))
    assert f.month_end(D(9999, 12, 1)) == D(9999, 12, 31)
