"""The postcode lookup (cradle.finder.postcodes): parsing, mySociety's range coding, the
shipped data's sample postcodes, districts with shares, and the Northern Ireland switch."""

import pytest

from cradle.finder import postcodes
from cradle.finder.postcodes import DistrictShare, RangeLookup, locate, parse

SAMPLES = [  # PROVENANCE.md §5 of the shared data
    ("LS1 4AP", "E08000035"),  # Leeds
    ("SW1A 1AA", "E09000033"),  # Westminster
    ("CF10 1EP", "W06000015"),  # Cardiff
    ("EH1 1YZ", "S12000036"),  # City of Edinburgh
    ("BT1 5GS", "N09000003"),  # Belfast
]


@pytest.mark.parametrize(("postcode", "code"), SAMPLES)
def test_the_five_sample_postcodes_find_their_authority(postcode, code):
    located = locate(postcode)
    assert (located.problem, located.code, located.approximate) == ("", code, False)


@pytest.mark.parametrize("typed", ["ls14ap", " LS1 4AP ", "ls1  4ap", "LS1\t4AP"])
def test_case_and_spaces_are_forgiven(typed):
    assert parse(typed).text == "LS1 4AP"
    assert locate(typed).code == "E08000035"


@pytest.mark.parametrize(("typed", "normalised", "is_district"), [
    ("sw1a1aa", "SW1A 1AA", False), ("EC1A 1BB", "EC1A 1BB", False), ("W1A 0AX", "W1A 0AX", False),
    ("M1 1AE", "M1 1AE", False), ("B33 8TH", "B33 8TH", False), ("CR2 6XH", "CR2 6XH", False),
    ("DN55 1PT", "DN55 1PT", False), ("LS1", "LS1", True), ("sw1a", "SW1A", True),
    ("E1W", "E1W", True),
])
def test_every_shape_of_postcode_and_district_parses(typed, normalised, is_district):
    parsed = parse(typed)
    assert (parsed.text, parsed.is_district) == (normalised, is_district)


@pytest.mark.parametrize("typed", ["", "Leeds", "LS1 4A", "LS1 4AAA", "1LS 4AP", "LS1 4CI",
                                   "LS14APX1", "LS1-4AP", "LS1 4"])
def test_what_is_not_a_postcode_is_refused(typed):
    assert parse(typed) is None
    assert locate(typed).problem == "not-a-postcode"


def test_a_district_is_answered_with_its_shares_and_marked_approximate():
    located = locate("sw1a")
    assert located.approximate
    assert [row.code for row in located.shares] == ["E09000033", "E09000032"]
    assert located.shares[0].share == pytest.approx(0.9181)
    assert sum(row.share for row in located.shares) == pytest.approx(1.0)
    single = locate("LS1")
    assert (single.code, single.approximate, len(single.shares)) == ("E08000035", True, 1)


def test_a_well_formed_postcode_in_no_real_district_is_unknown_not_placed():
    # The ranges alone would place ZZ9 9ZZ in Shetland (the last range).
    assert locate("ZZ9 9ZZ").problem == "unknown"
    assert locate("ZZ9").problem == "unknown"


@pytest.mark.parametrize(("postcode", "where"), [
    ("GY1 1AA", "Guernsey"), ("JE2 3AB", "Jersey"), ("IM1 1AA", "the Isle of Man"),
])
def test_crown_dependencies_are_outside_the_uk(postcode, where):
    assert locate(postcode).problem == f"outside-uk:{where}"


def test_northern_ireland_lookups_can_be_turned_off_and_nothing_else_changes():
    assert locate("BT1 5GS", northern_ireland=False).problem == "ni-off"
    assert locate("BT1", northern_ireland=False).problem == "ni-off"
    assert locate("BT1 5GS", northern_ireland=False).code is None
    assert locate("LS1 4AP", northern_ireland=False).code == "E08000035"


def test_postcodes_are_base_36_integers():
    assert postcodes.to_integer("ls1 4ap") == int("LS14AP", 36)


def test_value_key_coding_zero_is_two_back_and_indexes_are_one_based():
    # [3, 5, 0, 0, 7, 0] decodes (1-based) to 3, 5, 3, 5, 7, 5: 0-based 2, 4, 2, 4, 6, 4.
    assert postcodes.undo_value_key([3, 5, 0, 0, 7, 0]) == [2, 4, 2, 4, 6, 4]
    assert postcodes.undo_value_key([3, 5, 0, 0, 7, 7]) == [2, 4, 2, 4, 6, 6]
    assert postcodes.undo_value_key([0, 2]) == [None, 1]


def test_keys_are_difference_coded():
    assert postcodes.undo_differences([10, 5, 1]) == [10, 15, 16]


def test_a_lookup_finds_the_last_key_at_or_below_the_postcode():
    a, b = int("AA10AA", 36), int("AA20AA", 36)
    lookup = RangeLookup.from_data({"postcode_keys": [a, b - a], "value_key": [1, 2],
                                    "value_values": ["E1", "E2"]})
    assert lookup.code_for("AA1 0AA") == "E1"  # on the first key
    assert lookup.code_for("AA1 9ZZ") == "E1"  # inside the first range
    assert lookup.code_for("AA2 0AA") == "E2"  # on the second key
    assert lookup.code_for("ZZ9 9ZZ") == "E2"  # after the last key
    assert lookup.code_for("AA0 0AA") is None  # before the first key


def test_a_lookup_refuses_keys_that_do_not_increase():
    with pytest.raises(ValueError, match="increase"):
        RangeLookup.from_data({"postcode_keys": [5, 0], "value_key": [1, 2],
                               "value_values": ["E1", "E2"]})


def test_the_shipped_lookup_decodes_whole():
    lookup = postcodes.shipped_lookup()
    assert len(lookup.keys) == 66_851
    codes = {lookup.values[p] for p in lookup.positions if p is not None}
    assert {"L99999999", "M99999999"} <= codes
    assert len({c for c in codes if c and c[0] in "ESWN"}) == 361


def test_district_shares_read_largest_first():
    lines = ["postcode_district,lad23cd,n_postcode_records,share,is_main",
             "XX1,E2,10,0.1,0", "XX1,E1,90,0.9,1"]
    assert postcodes.read_district_shares(lines) == {
        "XX1": (DistrictShare("E1", 0.9, 90), DistrictShare("E2", 0.1, 10))}
