import datetime

import pytest

from cradle.geography.schemes import SCHEMES, nation_for_area, nation_for_code


@pytest.mark.parametrize(
    ("code", "nation"),
    [
        ("E38000001", "England"),
        ("W11000023", "Wales"),
        ("S08000015", "Scotland"),
        ("N09000003", "Northern Ireland"),
        # NI trust short codes begin with letters that are other nations' GSS prefixes.
        ("SHSCT", "Northern Ireland"),
        ("WHSCT", "Northern Ireland"),
        ("SEHSCT", "Northern Ireland"),
    ],
)
def test_nation_for_code(code, nation):
    assert nation_for_code(code) == nation


def test_unknown_code_prefix_is_an_error():
    with pytest.raises(ValueError, match="X123"):
        nation_for_code("X123")


def test_scheme_counts_are_those_the_issue_names():
    expected = {"ccg2019": 191, "subicb2022": 106, "icb2023": 42, "lhb": 7, "hb": 14,
                "nitrust": 5}
    assert {s.key: s.expected_count for s in SCHEMES if s.key in expected} == expected


def test_todays_schemes_have_the_counts_of_their_sources():
    expected = {"subicb2024": 106, "icb2024": 42, "icb2026": 36}
    assert {s.key: s.expected_count for s in SCHEMES if s.key in expected} == expected


def test_english_health_schemes_follow_each_other_in_force():
    """Each English configuration ends the day before the next one Cradle counts on begins."""
    by_key = {s.key: s for s in SCHEMES}
    chain = ["ccg2021", "subicb2022", "subicb2024"]
    for earlier, later in zip(chain, chain[1:], strict=False):
        end = datetime.date.fromisoformat(by_key[earlier].in_force_to)
        assert end + datetime.timedelta(days=1) == datetime.date.fromisoformat(
            by_key[later].in_force_from)
    assert by_key["icb2024"].in_force_to == "2026-03-31"
    assert by_key["icb2026"].in_force_from == "2026-04-01"
    assert by_key["icb2026"].in_force_to == ""
    assert by_key["icb2026"].in_force_label == "from 2026-04-01"
    for scheme in SCHEMES:
        for value in (scheme.in_force_from, scheme.in_force_to):
            assert value == "" or datetime.date.fromisoformat(value)


def test_ods_coded_areas_take_their_schemes_nation():
    # "S1Y5D" would read as Scotland by the GSS convention.
    assert nation_for_area("icb2026", "S1Y5D") == "England"
    assert nation_for_area("hb", "S08000015") == "Scotland"
