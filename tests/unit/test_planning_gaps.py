"""Existing staffing shared by where babies live, gaps, similar areas and the pace to 2030."""

import datetime
from decimal import Decimal

import pytest

from cradle.planning.chart import trajectory_chart
from cradle.planning.gaps import (
    Pace,
    TeamStaffing,
    attribute_staffing,
    gap_wte,
    latest_count,
    nearest_by_births,
    needed_line,
    share_in_area,
    staffing_gap,
)

# Two health areas: A holds all of council X and half of council Z; B holds Y and half of Z.
LA_POPULATION = {"X": 300, "Y": 100, "Z": 200}
AREA_LAS = {
    ("hb", "A"): {"X": 1.0, "Z": 0.5}, ("hb", "B"): {"Y": 1.0, "Z": 0.5},
    ("la", "X"): {"X": 1.0}, ("la", "Y"): {"Y": 1.0}, ("la", "Z"): {"Z": 1.0},
}
A, B = ("hb", "A"), ("hb", "B")


def test_a_team_covering_one_area_counts_wholly_there():
    assert share_in_area([A], A, AREA_LAS, LA_POPULATION) == 1.0
    assert share_in_area([A], B, AREA_LAS, LA_POPULATION) == 0.0


def test_a_team_covering_two_areas_is_shared_by_their_babies():
    assert share_in_area([A, B], A, AREA_LAS, LA_POPULATION) == 400 / 600


def test_a_team_naming_councils_is_placed_through_them():
    # X (300) is inside A; Y (100) is not: three quarters of its babies are in A.
    assert share_in_area([("la", "X"), ("la", "Y")], A, AREA_LAS, LA_POPULATION) == 0.75
    # Half of Z's babies live in A.
    assert share_in_area([("la", "Z")], A, AREA_LAS, LA_POPULATION) == 0.5
    # Councils are the finer geography: a health area also named is not counted twice.
    assert share_in_area([B, ("la", "X")], A, AREA_LAS, LA_POPULATION) == 1.0


def test_attributed_staffing_and_the_gap():
    teams = [TeamStaffing(1, "One", Decimal(4), (("la", "X"), ("la", "Y"))),
             TeamStaffing(2, "Two", Decimal(2), (B,))]
    attributed = attribute_staffing(teams, A, AREA_LAS, LA_POPULATION)
    assert [(t.team.key, t.wte) for t in attributed] == [(1, Decimal("3.00"))]
    assert gap_wte(Decimal("3.67"), Decimal("3.00")) == Decimal("0.67")
    assert gap_wte(Decimal("2"), Decimal("3")) == 0


def test_similar_areas_are_the_nearest_in_births_ties_by_name():
    births = {("s", "a"): 100, ("s", "b"): 90, ("s", "c"): 110, ("s", "d"): 300,
              ("s", "e"): 101}
    names = {key: key[1].upper() for key in births}
    assert nearest_by_births(("s", "a"), births, names, 3) == [("s", "e"), ("s", "b"),
                                                                ("s", "c")]
    assert nearest_by_births(("s", "z"), births, names) == []


def test_the_pace_needed_to_reach_every_area_by_the_target_date():
    pace = Pace(49, datetime.date(2025, 6, 9), 132, datetime.date(2030, 12, 31))
    assert pace.teams_to_add == 83
    assert pace.years_left == Decimal("5.6")
    assert pace.teams_per_year == Decimal("14.8")
    assert Pace(140, datetime.date(2025, 1, 1), 132, datetime.date(2030, 1, 1)).teams_to_add == 0
    assert Pace(1, datetime.date(2031, 1, 1), 2, datetime.date(2030, 1, 1)).teams_per_year is None


def test_the_pace_starts_from_the_higher_of_the_register_and_the_latest_published_count():
    published = [(datetime.date(2019, 6, 1), 27), (datetime.date(2025, 6, 9), 49)]
    assert latest_count((datetime.date(2026, 1, 1), 27), published) == (
        datetime.date(2025, 6, 9), 49)
    assert latest_count((datetime.date(2026, 1, 1), 60), published) == (
        datetime.date(2026, 1, 1), 60)


def test_the_chart_places_points_on_the_axes():
    chart = trajectory_chart([("s", "S", [(datetime.date(2019, 1, 1), 0),
                                          (datetime.date(2031, 1, 1), 50)])], 2019, 2030)
    first, last = chart.series[0].points
    assert (first.x, first.y) == (chart.left, chart.baseline)
    assert (round(last.x), last.y) == (chart.right_edge, chart.top)
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20", "30", "40", "50"]


# Unknown is not zero (issue 13, item 6): a team with no staffing recorded makes the gap a range.
GAP_CASES = [
    # needed, [(team WTE or None if not recorded, share)], (low, high), teams not recorded
    ("7.33", [], ("7.33", "7.33"), 0),
    ("7.33", [("3", 1.0)], ("4.33", "4.33"), 0),
    ("7.33", [("9", 1.0)], ("0", "0"), 0),
    ("7.33", [(None, 1.0)], ("0", "7.33"), 1),
    ("7.33", [(None, 0.5), ("2", 1.0)], ("0", "5.33"), 1),
    ("7.33", [(None, 1.0), (None, 0.25)], ("0", "7.33"), 2),
]


@pytest.mark.parametrize(("needed", "teams", "expected", "not_recorded"), GAP_CASES)
def test_the_gap_is_a_range_when_a_covering_teams_staffing_is_unknown(needed, teams, expected,
                                                                        not_recorded):
    covering = [TeamStaffing(i, f"T{i}", None if wte is None else Decimal(wte), (A,))
                for i, (wte, _share) in enumerate(teams)]
    attributed = attribute_staffing(covering, A, AREA_LAS, LA_POPULATION)
    gap = staffing_gap(Decimal(needed), attributed)
    assert (gap.low, gap.high) == tuple(Decimal(v) for v in expected)
    assert gap.teams_not_recorded == not_recorded
    assert gap.staffing_known is (not_recorded == 0)


def test_a_team_without_staffing_is_attributed_as_unknown_not_zero():
    (line,) = attribute_staffing([TeamStaffing(1, "One", None, (A,))], A, AREA_LAS,
                                 LA_POPULATION)
    assert line.wte is None and not line.recorded


def test_the_pace_counts_the_years_left_from_today_not_from_the_count():
    # The latest published count is from June 2025; on 1 December 2026 there are 4.1 years
    # left to the end of 2030, not 5.6.
    pace = Pace(49, datetime.date(2025, 6, 9), 132, datetime.date(2030, 12, 31),
                today=datetime.date(2026, 12, 1))
    assert pace.years_left == Decimal("4.1")
    assert pace.teams_per_year == Decimal("20.2")
    assert needed_line(pace)[0] == (datetime.date(2026, 12, 1), Decimal(49))
