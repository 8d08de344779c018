import pytest

from cradle.geography.schemes import SCHEMES, nation_for_code


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
