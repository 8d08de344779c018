"""Costs on a hand-made pay table: ranges, on-costs, midpoint and the pay table file checks."""

from decimal import Decimal

import pytest

from cradle.planning.costs import band_table, cost_team, price_gap
from cradle.planning.reference_data import PlanningDataError, read_pay_table, shipped
from cradle.planning.sizing import ReferenceTeam, RoleSpec, size_team

PAY = band_table({"3": [20_000, 22_000], "6": [30_000, 33_000, 36_000], "8c": [60_000]})


def _team(births=100):
    reference = ReferenceTeam("Test", 1, 100, (
        RoleSpec("lead", "Lead", Decimal("0.5"), "8c", "8c"),
        RoleSpec("therapist", "Therapist", Decimal("2"), "6", "6"),
        RoleSpec("admin", "Admin", Decimal("1"), "3", "6"),
    ), "test")
    return size_team(births, reference)


def test_each_role_costs_its_wte_times_entry_to_top_pay_plus_on_costs():
    cost = cost_team(_team(), PAY, Decimal(10))
    by_role = {role.sized.spec.key: role.cost.rounded() for role in cost.roles}
    assert by_role == {
        "lead": (33_000, 33_000),       # 0.5 x 60,000 x 1.10, one pay point: one figure
        "therapist": (66_000, 79_200),  # 2 x 30,000 x 1.10 to 2 x 36,000 x 1.10
        "admin": (22_000, 39_600),      # band 3 entry to band 6 top
    }
    assert cost.total.rounded() == (121_000, 151_800)
    assert cost.annual_cost == 136_400
    assert cost.roles[0].cost.is_single_figure and not cost.roles[1].cost.is_single_figure


def test_no_on_costs_is_basic_pay_and_costs_scale_with_births():
    assert cost_team(_team(), PAY, Decimal(0)).total.rounded() == (110_000, 138_000)
    assert cost_team(_team(200), PAY, Decimal(0)).total.rounded() == (220_000, 276_000)


def test_the_midpoint_rounds_half_up_to_whole_pounds():
    pay = band_table({"6": [1, 2]})
    team = size_team(1, ReferenceTeam("T", 1, 1, (RoleSpec("a", "A", Decimal(1), "6", "6"),),
                                      "t"))
    assert cost_team(team, pay, Decimal(0)).annual_cost == 2  # midpoint 1.5


def test_a_gap_is_priced_at_the_teams_average_cost_per_wte():
    cost = cost_team(_team(), PAY, Decimal(0))  # 3.5 WTE, 110,000 to 138,000
    assert price_gap(Decimal("1.75"), cost).rounded() == (55_000, 69_000)
    assert price_gap(Decimal(0), cost).rounded() == (0, 0)


def test_an_unknown_band_or_bands_in_the_wrong_order_are_errors():
    with pytest.raises(ValueError, match="No pay band '9'"):
        band_table({"6": [1]}).entry("9")
    reference = ReferenceTeam("T", 1, 1, (RoleSpec("a", "A", Decimal(1), "8c", "3"),), "t")
    with pytest.raises(ValueError, match="put the lower band first"):
        cost_team(size_team(1, reference), PAY, Decimal(0))
    with pytest.raises(ValueError, match="cannot be negative"):
        cost_team(_team(), PAY, Decimal(-1))


def test_the_shipped_pay_table_is_dated_sourced_and_covers_every_role():
    data = shipped()
    assert str(data.pay.effective_from) == "2025-04-01"
    assert all("UNVERIFIED" in check for check in data.pay.verification)
    assert data.pay.table.entry("6") == 38_682 and data.pay.table.top("7") == 54_710
    assert data.costs.on_cost_pct == 28


def test_a_malformed_pay_row_names_its_row_and_column(tmp_path):
    path = tmp_path / "pay.csv"
    path.write_text("band,point,annual_pay,effective_from,source,verification\n"
                    "6,entry,38682,2025-04-01,s,v\n"
                    "7,entry,lots,2025-04-01,s,v\n")
    with pytest.raises(PlanningDataError, match="pay.csv, row 3, column 'annual_pay'"):
        read_pay_table(path)
