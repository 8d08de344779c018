from fractions import Fraction as F

import pytest

from cradle.geography.build.apportion import (
    apportion_to_areas,
    areas_that_are_la_unions,
    largest_remainder,
    merge_shares,
    shares_from_small_areas,
    snap_small_shares,
)


@pytest.mark.parametrize(
    ("total", "shares", "expected"),
    [
        # Exact quotas need no rounding.
        (10, {"a": F(1, 2), "b": F(1, 2)}, {"a": 5, "b": 5}),
        # 10 * 1/3 = 3.33 each; the one unit left goes to the first key on a tie.
        (10, {"a": F(1, 3), "b": F(1, 3), "c": F(1, 3)}, {"a": 4, "b": 3, "c": 3}),
        # Largest remainder wins: quotas 6.6 and 3.4.
        (11, {"a": F(3, 5), "b": F(2, 5)}, {"a": 7, "b": 4}),
        (0, {"a": F(1, 4), "b": F(3, 4)}, {"a": 0, "b": 0}),
        (7, {"only": F(1)}, {"only": 7}),
    ],
)
def test_largest_remainder_keeps_the_total(total, shares, expected):
    parts = largest_remainder(total, shares)
    assert parts == expected
    assert sum(parts.values()) == total


def test_largest_remainder_rejects_negative_totals_and_empty_shares():
    with pytest.raises(ValueError):
        largest_remainder(-1, {"a": F(1)})
    with pytest.raises(ValueError):
        largest_remainder(5, {})


# Two local authorities: LA1 wholly in area X; LA2 split between X and Y by its MSOAs.
#   msoa  la   babies  area fractions
#   m1    LA1  30      X: 1
#   m2    LA2  10      X: 1
#   m3    LA2  30      Y: 1/2, X: 1/2   (an MSOA straddling the boundary, by LSOA count)
SMALL_AREA_COUNTS = {"m1": 30, "m2": 10, "m3": 30}
SMALL_AREA_LA = {"m1": "LA1", "m2": "LA2", "m3": "LA2"}
SMALL_AREA_AREAS = {"m1": {"X": F(1)}, "m2": {"X": F(1)}, "m3": {"X": F(1, 2), "Y": F(1, 2)}}


def test_shares_from_small_areas_by_hand():
    shares = shares_from_small_areas(SMALL_AREA_COUNTS, SMALL_AREA_LA, SMALL_AREA_AREAS)
    assert shares == {"LA1": {"X": F(1)}, "LA2": {"X": F(25, 40), "Y": F(15, 40)}}


def test_apportioned_areas_add_up_to_the_local_authorities():
    shares = shares_from_small_areas(SMALL_AREA_COUNTS, SMALL_AREA_LA, SMALL_AREA_AREAS)
    # Published LA estimates differ from the small-area sums: they are what gets split.
    counts = apportion_to_areas({"LA1": 31, "LA2": 41}, shares)
    # LA2: 41 * 5/8 = 25.625 -> 26 ; 41 * 3/8 = 15.375 -> 15
    assert counts == {"X": 31 + 26, "Y": 15}
    assert sum(counts.values()) == 31 + 41


def test_every_local_authority_needs_shares():
    with pytest.raises(ValueError, match="LA9"):
        apportion_to_areas({"LA9": 5}, {})


def test_only_areas_of_whole_local_authorities_are_unions():
    shares = {"LA1": {"X": F(1)}, "LA2": {"Y": F(1)}, "LA3": {"Y": F(1, 2), "Z": F(1, 2)}}
    assert areas_that_are_la_unions(shares) == {"X"}


def test_merge_shares_into_parent_areas():
    shares = {"LA3": {"Y": F(1, 2), "Z": F(1, 4), "W": F(1, 4)}}
    merged = merge_shares(shares, {"Y": "P", "Z": "P", "W": "Q"})
    assert merged == {"LA3": {"P": F(3, 4), "Q": F(1, 4)}}


def test_snap_small_shares_drops_slivers_and_renormalises():
    snapped = snap_small_shares({"A": F(96, 100), "B": F(4, 100)}, F(5, 100))
    assert snapped == {"A": F(1)}
    kept = snap_small_shares({"A": F(60, 100), "B": F(40, 100)}, F(5, 100))
    assert kept == {"A": F(60, 100), "B": F(40, 100)}
