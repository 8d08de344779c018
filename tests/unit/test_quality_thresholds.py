"""The threshold arithmetic of self-reviews, over a table of ratings per route."""

from fractions import Fraction

import pytest

from cradle.quality import thresholds as t

M, P, N, NA, U = t.MET, t.PARTLY_MET, t.NOT_MET, t.NOT_APPLICABLE, None
ACCREDITATION = {1: 100, 2: 80, 3: 60}


def rated(type_1=(), type_2=(), type_3=()):
    out = []
    for standard_type, ratings in ((1, type_1), (2, type_2), (3, type_3)):
        out += [t.Rated(f"{standard_type}.{i}", standard_type, r)
                for i, r in enumerate(ratings, start=1)]
    return out


# (ratings by type, thresholds, per type (applicable, met, meets, more needed), meets overall,
#  complete)
TABLE = [
    # everything met
    (([M, M], [M] * 5, [M] * 5), ACCREDITATION,
     [(2, 2, True, 0), (5, 5, True, 0), (5, 5, True, 0)], True, True),
    # 4 of 5 is exactly 80%: met, with no float rounding
    (([M], [M, M, M, M, N], [M, M, M, N, N]), ACCREDITATION,
     [(1, 1, True, 0), (5, 4, True, 0), (5, 3, True, 0)], True, True),
    # partly met is not met
    (([M, P], [M] * 4 + [P], [M, M, M, P, P]), ACCREDITATION,
     [(2, 1, False, 1), (5, 4, True, 0), (5, 3, True, 0)], False, True),
    # not applicable leaves the denominator: 4 of 4 applicable
    (([M, NA], [M, M, M, M, NA], [M, NA, NA]), ACCREDITATION,
     [(1, 1, True, 0), (4, 4, True, 0), (1, 1, True, 0)], True, True),
    # unrated counts as not met, and is listed
    (([M, U], [M, M, M, M, U], [U, U, U]), ACCREDITATION,
     [(2, 1, False, 1), (5, 4, True, 0), (3, 0, False, 2)], False, False),
    # 2 of 3 type 3 = 66.7% >= 60; 1 of 3 = 33.3%: needs 1 more (ceil(1.8) = 2)
    (([], [], [M, M, N]), ACCREDITATION,
     [(0, 0, True, 0), (0, 0, True, 0), (3, 2, True, 0)], True, True),
    (([], [], [M, N, N]), ACCREDITATION,
     [(0, 0, True, 0), (0, 0, True, 0), (3, 1, False, 1)], False, True),
    # 7 type 2 standards at 80%: 5.6 -> 6 needed
    (([], [M] * 5 + [N, N], []), ACCREDITATION,
     [(0, 0, True, 0), (7, 5, False, 1), (0, 0, True, 0)], False, True),
    # every type 1 not applicable: met vacuously
    (([NA, NA], [M], [M]), ACCREDITATION,
     [(0, 0, True, 0), (1, 1, True, 0), (1, 1, True, 0)], True, True),
    # the developmental route: no thresholds
    (([N, P], [N], [U]), None,
     [(2, 0, None, 0), (1, 0, None, 0), (1, 0, None, 0)], None, False),
    (([N], [N], [N]), None,
     [(1, 0, None, 0), (1, 0, None, 0), (1, 0, None, 0)], None, True),
    # a route with a threshold for type 1 only
    (([M], [N], [N]), {1: 100},
     [(1, 1, True, 0), (1, 0, None, 0), (1, 0, None, 0)], True, True),
    # 0% threshold is always met
    (([N], [N], [N]), {1: 0, 2: 0, 3: 0},
     [(1, 0, True, 0), (1, 0, True, 0), (1, 0, True, 0)], True, True),
]


@pytest.mark.parametrize(("ratings", "thresholds", "per_type", "meets", "complete"), TABLE)
def test_threshold_arithmetic(ratings, thresholds, per_type, meets, complete):
    result = t.assess(rated(*ratings), thresholds)
    assert [(r.applicable, r.met, r.meets, r.more_needed) for r in result.types] == per_type
    assert result.meets_thresholds is meets
    assert result.complete is complete


def test_percentages_are_exact_fractions():
    result = t.assess(rated(type_3=[M, M, N]), ACCREDITATION)
    assert result.types[2].percent == Fraction(200, 3)
    assert result.types[2].percent_text == "66.7%"
    assert t.assess(rated(type_2=[M] * 4 + [N]), ACCREDITATION).types[1].percent_text == "80%"
    assert result.types[0].percent is None and result.types[0].vacuous


def test_what_is_missing_in_words():
    result = t.assess(rated([M, P], [M, U], []), ACCREDITATION)
    assert result.missing == [
        "Type 1 (essential): 1 more met needed (1 of 2 met, 100% required)",
        "Type 2 (expected): 1 more met needed (1 of 2 met, 80% required)",
        "Not rated yet: 2.2"]
    assert result.outcome == "Does not meet the thresholds yet"


def test_outcomes_in_words():
    assert t.assess(rated([M]), ACCREDITATION).outcome == "Meets the thresholds"
    assert t.assess(rated([M], [M, M, M, M, U]), ACCREDITATION).outcome.startswith(
        "Meets the thresholds so far")
    assert t.assess(rated([U]), None).outcome == "Not yet reviewed"
    assert t.assess(rated([N]), None).outcome == "Reviewed"
    developmental = t.assess(rated([N, U]), None)
    assert developmental.missing == ["Not rated yet: 1.2"]


@pytest.mark.parametrize("data", [{"4": 50}, {"1": 101}, {"1": -1}, {"1": "80"}, {"1": True},
                                  {"1": 80.5}])
def test_bad_thresholds_are_refused(data):
    with pytest.raises(ValueError):
        t.parse_thresholds(data)


def test_thresholds_parse():
    assert t.parse_thresholds(None) is None
    assert t.parse_thresholds({"1": 100, "2": 80, "3": 60}) == ACCREDITATION


def test_bad_ratings_and_types_are_refused():
    with pytest.raises(ValueError):
        t.Rated("1.1", 4, M)
    with pytest.raises(ValueError):
        t.Rated("1.1", 1, "excellent")
