"""The pure rules that make areas from LSOA lookups, and the 2026 ICB derivation."""

from fractions import Fraction

import pytest

from cradle.geography.build import icb2026, membership


def test_lsoas_are_tied_to_msoas_by_name_and_by_2021_code():
    names_2011 = [("E01000001", "Barnet 001A"), ("E01000002", "Bournemouth 016A")]
    # The 2011 name of the second LSOA is no longer an MSOA's name; its code (unchanged in
    # 2021) ties it through the 2021 MSOA, which kept its 2011 code.
    names_2021 = [("E01000002", "Bournemouth, Christchurch and Poole 014A"),
                  ("E01099999", "Newtown 009A")]
    found = membership.msoa_of_lsoa(
        names_2011, names_2021, {"Barnet 001": "E02000001"},
        {"Bournemouth, Christchurch and Poole 014": "E02004000", "Newtown 009": ""})
    assert found == {"E01000001": "E02000001", "E01000002": "E02004000"}


def test_msoa_fractions_are_the_share_of_its_lsoas():
    fractions = membership.msoa_fractions(
        {"L1": "A", "L2": "A", "L3": "B", "L4": "B"},
        {"L1": "M1", "L2": "M1", "L3": "M1", "L4": "M2"})
    assert fractions == {"M1": {"A": Fraction(2, 3), "B": Fraction(1, 3)}, "M2": {"B": 1}}


def test_shares_outside_touch_names_the_pairs():
    touches = membership.touching([("Barnet", "Barnet CCG"), ("Camden", "Camden CCG")])
    shares = {"Camden": {"Camden CCG": Fraction(95, 100), "Barnet CCG": Fraction(5, 100)},
              "Barnet": {"Barnet CCG": Fraction(1)}}
    assert membership.shares_outside_touch(shares, touches) == [("Barnet CCG", "Camden")]
    assert membership.shares_outside_touch({"Camden": {"Camden CCG": 1}}, touches) == []


def test_whole_authorities_are_those_no_area_shares():
    lsoa_las = {"L1": "X", "L2": "X", "L3": "Y", "L4": "Y", "L5": "Z"}
    lsoa_areas = {"L1": "A", "L2": "A", "L3": "B", "L4": "C", "L5": "C"}
    assert membership.whole_authorities(lsoa_las, lsoa_areas) == {"A"}


def test_successions_give_the_share_of_lsoas():
    assert membership.shares_of_lsoas({"L1": "old", "L2": "old", "L3": "old", "L4": "other"},
                                  {"L1": "new", "L2": "new", "L3": "next", "L5": "new"}) == {
        "old": {"new": Fraction(2, 3), "next": Fraction(1, 3)}}


def test_2026_shares_follow_whole_icbs_and_split_ones_by_authority():
    to_2026 = icb2026.destinations({"QMF": "QMF"})
    shares_2024 = {
        "E09000025": {"QMF": Fraction(1)},  # Newham: unchanged ICB
        "E07000073": {"QM7": Fraction(1)},  # Harlow: the West Essex part of QM7 -> Essex
        "E07000241": {"QM7": Fraction(1)},  # Welwyn Hatfield: Hertfordshire -> Central East
        # Surrey Heath, split between Surrey Heartlands and Frimley: both now Surrey and Sussex
        "E07000214": {"QXU": Fraction(1, 7), "QNQ": Fraction(6, 7)},
        "E06000039": {"QNQ": Fraction(1)},  # Slough: East Berkshire -> Thames Valley
    }
    assert icb2026.shares_2026(shares_2024, to_2026) == {
        "E09000025": {"QMF": 1}, "E07000073": {"D7T5G": 1}, "E07000241": {"S1Y5D": 1},
        "E07000214": {"S9B9J": 1}, "E06000039": {"S0E4D": 1}}


def test_an_authority_missing_from_the_parts_of_its_split_icb_is_an_error():
    with pytest.raises(ValueError, match="QM7 holds babies of E06000001"):
        icb2026.shares_2026({"E06000001": {"QM7": Fraction(1)}}, icb2026.destinations())


def test_every_abolished_2024_icb_goes_somewhere_and_parts_do_not_overlap():
    abolished = {"QH8", "QHG", "QJG", "QM7", "QMJ", "QMM", "QNQ", "QNX", "QRV", "QU9", "QUE",
                 "QXU"}
    assert {old for old, _la in icb2026.destinations()} == abolished
    for parts in icb2026.split_icbs().values():
        named = [la for las in parts.values() for la in las]
        assert len(named) == len(set(named))


def test_trust_evidence_backs_and_contradicts():
    parts = {"D7T5G": ("E07000073",), "S1Y5D": ("E07000241",)}
    backing, contradictions = icb2026.trust_evidence(parts, [
        ("Princess Alexandra", "E07000073", "D7T5G"),
        ("Hertfordshire Partnership", "E07000241", "D7T5G")])
    assert backing == {"D7T5G": ["Princess Alexandra"], "S1Y5D": []}
    assert contradictions == ["Hertfordshire Partnership (E07000241) has parent D7T5G, "
                              "not S1Y5D"]
