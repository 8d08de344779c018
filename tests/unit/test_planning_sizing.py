"""The sizing model: the shipped reference reproduced at 3,300 births, linear scaling, and the
data file's checks."""

from decimal import Decimal

import pytest

from cradle.planning.reference_data import PlanningDataError, read_reference, shipped
from cradle.planning.sizing import ReferenceTeam, RoleSpec, size_team, sizing_summary

# Rare Jewels (2019), section 6: the Greater Manchester staffing, typed in from the report.
REPORT_TABLE = [
    ("Consultant psychologist/psychotherapist", 0.33),
    ("Clinical psychologist/psychotherapist", 1.0),
    ("Parent-infant therapists/practitioners", 2.0),
    ("Adult mental health practitioner", 1.0),
    ("Social worker", 1.0),
    ("Administrator", 1.0),
    ("Community outreach/peer support worker", 1.0),
]


def _reference(*wtes: str, births: int = 1000) -> ReferenceTeam:
    return ReferenceTeam("Test", 100_000, births, tuple(
        RoleSpec(f"r{i}", f"Role {i}", Decimal(w), "6", "6") for i, w in enumerate(wtes)), "test")


def test_the_shipped_reference_reproduces_the_report_table_at_3300_births():
    team = size_team(3300, shipped().reference)
    summary = sizing_summary(team, annual_cost=0)
    assert [(row["role"], row["wte"]) for row in summary["roles"]] == REPORT_TABLE
    assert summary["total_wte"] == 7.33
    assert shipped().reference.population == 280_000


@pytest.mark.parametrize("births, expected", [
    (0, ["0.00", "0.00"]),
    (500, ["0.17", "1.00"]),    # 0.165 rounds half up
    (1000, ["0.33", "2.00"]),
    (2000, ["0.66", "4.00"]),
    (3000, ["0.99", "6.00"]),
    (1500, ["0.50", "3.00"]),   # 0.495 rounds half up
])
def test_roles_scale_in_proportion_to_births_rounded_half_up(births, expected):
    team = size_team(births, _reference("0.33", "2"))
    assert [str(role.wte) for role in team.roles] == expected


def test_scaling_is_linear_where_no_rounding_intervenes():
    reference = shipped().reference
    one, double, tenfold = (size_team(n, reference) for n in (3300, 6600, 33_000))
    for base, two, ten in zip(one.roles, double.roles, tenfold.roles, strict=True):
        assert two.wte == 2 * base.wte
        assert ten.wte == 10 * base.wte
    assert double.total_wte == 2 * one.total_wte == Decimal("14.66")


def test_total_is_the_sum_of_the_rounded_roles():
    team = size_team(500, _reference("0.33", "0.33", "0.33"))
    assert [str(r.wte) for r in team.roles] == ["0.17", "0.17", "0.17"]
    assert team.total_wte == Decimal("0.51")  # not 0.99 x 500 / 1000 = 0.495


@pytest.mark.parametrize("births", [-1, 2.5, True, "3300"])
def test_births_must_be_a_whole_number_zero_or_more(births):
    with pytest.raises(ValueError):
        size_team(births, _reference("1"))


def test_an_unknown_scaling_rule_is_rejected():
    with pytest.raises(ValueError, match="Unknown scaling rule 'per-capita'"):
        ReferenceTeam("Test", 1, 1, (RoleSpec("a", "A", Decimal(1), "6", "6"),), "t",
                      scaling_rule="per-capita")


def test_a_reference_file_whose_roles_do_not_add_up_names_the_field(tmp_path):
    text = (shipped_text().replace('total_wte = "7.33"', 'total_wte = "7.5"'))
    path = tmp_path / "reference_team.toml"
    path.write_text(text)
    with pytest.raises(PlanningDataError, match=r"\[reference\], field 'total_wte'.*7\.33"):
        read_reference(path)


def test_a_reference_role_with_a_bad_wte_names_the_role_and_field(tmp_path):
    path = tmp_path / "reference_team.toml"
    path.write_text(shipped_text().replace('wte = "0.33"', 'wte = "a third"', 1))
    with pytest.raises(PlanningDataError, match="role 1, field 'wte'"):
        read_reference(path)


def shipped_text() -> str:
    from cradle.planning.reference_data import REFERENCE_FILE

    return REFERENCE_FILE.read_text()
