"""The FOI analysis rules, one table per rule, on small hand-made response files."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import cradle.foi.analysis as analysis
from cradle.foi.analysis import RULES, analyse, merge_by_area, percentage
from cradle.foi.responses_csv import HEADER, RespondentType, parse_responses

DATA = Path(__file__).parents[1] / "data" / "foi"
CODES = {f"A{number:02}" for number in range(1, 41)} | {"02N", "09C", "07L", "07M", "02P",
                                                         "99E", "08H", "14L", "00Y", "07T"}
ALL_YES = "yes,yes,yes"
COUNTS = "1,1,1,100"  # three under-3 bands and the 0-18 total


def line(area="A01", kind="ccg", code=None, on="2019-01-10", accepts=ALL_YES,
         referred=COUNTS, accessed=COUNTS, comment=""):
    """One CSV row; counts are 'band,band,band,total'."""
    code = code or (area if kind == "ccg" else "RXX")
    return f"{code},{kind},{area},{on},{accepts},{referred},{accessed},{comment}"


def rows(*lines):
    return parse_responses("\n".join([",".join(HEADER), *lines]), CODES).rows


def area(*lines, code="A01"):
    return merge_by_area(rows(*lines))[code]


def figures(*lines):
    return analyse(rows(*lines))


def test_the_rules_constant_and_the_module_docstring_say_the_same():
    def words(text):
        return re.sub(r"\s+", " ", text).strip()

    listed = words(analysis.__doc__.split("Rules:", 1)[1]).split("- ")[1:]
    assert [item.strip() for item in listed] == list(RULES)


# Latest answer wins, per respondent type and area.

@pytest.mark.parametrize(("lines", "expected_comment"), [
    ([line(on="2019-01-10", comment="first"), line(on="2019-02-01", comment="second")], "second"),
    ([line(on="2019-02-01", comment="later"), line(on="2019-01-10", comment="earlier")], "later"),
    ([line(on="2019-02-01", comment="above"), line(on="2019-02-01", comment="below")], "below"),
    # Two trusts about one area: the later answer wins too.
    ([line(kind="trust", code="RA1", on="2019-03-01", comment="RA1"),
      line(kind="trust", code="RB2", on="2019-02-01", comment="RB2")], "RA1"),
])
def test_the_latest_answer_wins_and_on_a_tie_the_one_further_down(lines, expected_comment):
    merged = area(*lines)
    chosen = next(iter(merged.used.values()))
    assert chosen.comment == expected_comment
    assert len(merged.set_aside) == 1


def test_the_latest_answer_is_used_whole_so_its_blanks_replace_earlier_values():
    merged = area(line(on="2019-01-10", accepts=ALL_YES),
                  line(on="2019-02-01", accepts="no,no,no", referred=",,,", accessed=",,,"))
    assert (merged.accepts_any, merged.accepts_none, merged.referred_0_12m) == (False, True, None)


def test_a_set_aside_answer_from_another_respondent_is_noted():
    merged = area(line(kind="trust", code="RA1", on="2019-01-01"),
                  line(kind="trust", code="RB2", on="2019-02-01"),
                  line(kind="trust", code="RB2", on="2019-01-15"))
    assert merged.notes == (
        "area A01: the trust answer from RA1 (received 2019-01-01) is set aside; "
        "the trust answer from RB2 (received 2019-02-01) is used",)


def test_a_ccg_and_a_trust_answer_are_both_used_whatever_their_dates():
    merged = area(line(kind="trust", on="2019-01-01"), line(kind="ccg", on="2019-06-01"))
    assert set(merged.used) == {RespondentType.CCG, RespondentType.TRUST}
    assert merged.set_aside == ()


# The trust overrides the CCG field by field.

@pytest.mark.parametrize(("ccg", "trust", "value", "origin"), [
    ("7", "9", 9, "trust"),
    ("7", "", 7, "ccg"),
    ("", "9", 9, "trust"),
    ("", "", None, None),
    ("7", "0", 0, "trust"),  # a zero is a value
])
def test_the_trust_overrides_the_ccg_where_it_gave_a_value(ccg, trust, value, origin):
    merged = area(line(referred=f"{ccg},1,1,100"),
                  line(kind="trust", referred=f"{trust},,,", accessed=",,,", accepts=",,"))
    assert merged.referred_0_12m == value
    assert merged.origins["referred_0_12m"] == origin
    assert (merged.referred_12_24m, merged.origins["referred_12_24m"]) == (1, "ccg")


def test_a_trust_no_overrides_a_ccg_yes_band_by_band():
    merged = area(line(accepts="yes,yes,"), line(kind="trust", accepts="no,,no"))
    assert (merged.accepts_0_12m, merged.accepts_12_24m, merged.accepts_24_36m) == (
        False, True, False)
    assert merged.accepts_any


# Acceptance.

@pytest.mark.parametrize(("accepts", "has_data", "any_", "none"), [
    (",,", False, False, False),
    ("yes,,", True, True, False),
    (",,yes", True, True, False),
    ("no,no,yes", True, True, False),
    ("no,no,no", True, False, True),
    ("no,,", True, False, True),
    (",no,", True, False, True),
])
def test_acceptance(accepts, has_data, any_, none):
    merged = area(line(accepts=accepts))
    assert (merged.has_acceptance_data, merged.accepts_any, merged.accepts_none) == (
        has_data, any_, none)


def test_acceptance_percentages_are_over_the_areas_with_acceptance_data():
    result = figures(line("A01"), line("A02", accepts="no,no,no"), line("A03", accepts=",,"))
    assert (result["areas_with_acceptance_data"], result["areas_accepting_any"],
            result["pct_accepting_any"], result["areas_accepting_none"],
            result["pct_accepting_none"]) == (2, 1, 50, 1, 50)


# Disaggregated data needs an accepting area and all six band counts.

@pytest.mark.parametrize("blank", range(6))
def test_disaggregated_data_needs_all_six_band_counts(blank):
    bands = ["1"] * 6
    bands[blank] = ""
    merged = area(line(referred=",".join(bands[:3]) + ",100",
                       accessed=",".join(bands[3:]) + ",100"))
    assert not merged.has_disaggregated_data
    assert merged.referred_under3 is None and merged.source is None


@pytest.mark.parametrize(("accepts", "disaggregated"), [
    (ALL_YES, True), ("no,no,yes", True), ("no,no,no", False), (",,", False)])
def test_only_accepting_areas_have_disaggregated_data(accepts, disaggregated):
    assert area(line(accepts=accepts, referred="0,0,0,", accessed="0,0,0,")
                ).has_disaggregated_data == disaggregated


def test_under_3_counts_are_the_sums_of_the_bands_and_0_18_totals_are_not_needed():
    merged = area(line(referred="1,2,3,", accessed="4,5,6,"))
    assert (merged.referred_under3, merged.accessed_under3) == (6, 15)
    assert merged.has_disaggregated_data and not merged.has_full_data


# Source of the disaggregated data.

@pytest.mark.parametrize(("lines", "source"), [
    ([line()], "ccg"),
    ([line(kind="trust")], "trust"),
    ([line(), line(kind="trust", accepts=",,", referred="5,5,5,", accessed=",,,")], "trust"),
    # One referral band from the trust is enough.
    ([line(), line(kind="trust", accepts=",,", referred=",,5,", accessed=",,,")], "trust"),
    # Access bands or totals from the trust do not make it the source.
    ([line(), line(kind="trust", accepts=",,", referred=",,,900", accessed="5,5,5,900")], "ccg"),
    # Trust gave the answer to "accepts" but the CCG gave the counts.
    ([line(accepts=",,"), line(kind="trust", accepts=ALL_YES, referred=",,,", accessed=",,,")],
     "ccg"),
])
def test_the_source_is_the_trust_if_it_gave_any_referral_band(lines, source):
    assert area(*lines).source == source
    counted = figures(*lines)["disaggregated_source"]
    assert counted == {"ccg": int(source == "ccg"), "trust": int(source == "trust")}


# Full data and per-area percentages.

@pytest.mark.parametrize(("referred_total", "accessed_total", "full"), [
    ("100", "100", True), ("1", "1", True), ("", "100", False), ("100", "", False),
    ("0", "100", False), ("100", "0", False), ("", "", False)])
def test_full_data_needs_both_0_18_totals_above_zero(referred_total, accessed_total, full):
    merged = area(line(referred=f"1,1,1,{referred_total}", accessed=f"1,1,1,{accessed_total}"))
    assert merged.has_full_data == full
    assert (merged.pct_referred_under3 is None) == (not full)
    assert figures(line(referred=f"1,1,1,{referred_total}",
                        accessed=f"1,1,1,{accessed_total}"))["areas_with_full_data"] == int(full)


@pytest.mark.parametrize(("under3", "total", "expected"), [
    ("1,0,0", 80, "1.3"),  # 1.25 rounds half up
    ("1,0,0", 8, "12.5"),
    ("1,0,0", 2000, "0.1"),  # 0.05
    ("1,0,0", 3000, "0.0"),  # 0.0333...
    ("1,1,0", 3, "66.7"),
    ("1,0,0", 6, "16.7"),
    ("0,0,0", 50, "0.0"),
    ("5,5,5", 10, "150.0"),  # an inconsistent row is flagged, not capped
])
def test_area_percentages_are_rounded_half_up_to_one_decimal(under3, total, expected):
    merged = area(line(referred=f"{under3},{total}", accessed=f"{under3},{total}"))
    assert merged.pct_referred_under3 == merged.pct_accessed_under3 == Decimal(expected)
    assert str(merged.pct_referred_under3) == expected
    per_area, = figures(line(referred=f"{under3},{total}", accessed="1,0,0,3"))["per_area"]
    assert per_area == {"area_code": "A01", "pct_referred_under3": float(expected),
                        "pct_accessed_under3": 33.3}


@pytest.mark.parametrize(("part", "whole", "places", "expected"), [
    (1, 8, "1", "13"), (1, 40, "1", "3"), (7, 8, "1", "88"), (1, 3, "1", "33"),
    (2, 3, "1", "67"), (0, 5, "1", "0"), (1, 80, "0.1", "1.3"), (5, 0, "1", None)])
def test_percentage_rounds_half_up_and_is_none_over_nothing(part, whole, places, expected):
    result = percentage(part, whole, Decimal(places))
    assert result == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(("accepting", "total", "pct_any", "pct_none"), [
    (1, 8, 13, 88),  # 12.5 -> 13 (banker's rounding would give 12), 87.5 -> 88
    (1, 40, 3, 98),  # 2.5 -> 3 (not 2), 97.5 -> 98
    (3, 8, 38, 63),  # 37.5 -> 38, 62.5 -> 63
])
def test_area_percentages_are_whole_numbers_rounded_half_up(accepting, total, pct_any, pct_none):
    lines = [line(f"A{n:02}", accepts=ALL_YES if n <= accepting else "no,no,no")
             for n in range(1, total + 1)]
    result = figures(*lines)
    assert (result["pct_accepting_any"], result["pct_accepting_none"]) == (pct_any, pct_none)


# Counts over the accepting areas with disaggregated data.

def test_referral_and_access_counts_use_the_boundaries():
    counts = [0, 1, 5, 6, 100, 101]
    lines = [line(f"A{n:02}", referred=f"{count},0,0,", accessed=f"0,0,{count},")
             for n, count in enumerate(counts, start=1)]
    lines += [line("A20", accepts="no,no,no", referred="3,0,0,", accessed="0,0,0,"),  # refuses
              line("A21", referred="3,,0,", accessed="0,0,0,")]  # not disaggregated
    result = figures(*lines)
    assert result["accepting_areas_with_disaggregated_data"] == 6
    assert [result[f"areas_{key}_under3"] for key in (
        "with_referrals", "with_1_to_5_referrals", "with_no_referrals",
        "with_access", "with_1_to_5_access", "with_no_access")] == [5, 2, 1, 5, 2, 1]
    assert result["areas_over_100_access_under3"] == ["A06"]


def test_the_no_access_percentage_is_over_the_accepting_areas_with_disaggregated_data():
    lines = [line("A01", accessed="0,0,0,"), line("A02", accessed="0,0,1,"),
             line("A03", accessed="0,0,1,"), line("A04", accessed="0,0,1,"),
             line("A05", accessed="0,0,,"), line("A06", accepts="no,no,no", accessed="0,0,0,")]
    result = figures(*lines)
    assert (result["areas_with_no_access_under3"], result["pct_no_access_under3"]) == (1, 25)


def test_the_over_100_list_is_sorted_by_area_code():
    lines = [line(code, accessed="101,0,0,") for code in ("A09", "A02", "A30", "A10")]
    assert figures(*lines)["areas_over_100_access_under3"] == ["A02", "A09", "A10", "A30"]


def test_per_area_percentages_are_for_full_data_areas_sorted_by_area_code():
    lines = [line("A09"), line("A02"), line("A05", referred="1,1,1,0"), line("A03")]
    assert [row["area_code"] for row in figures(*lines)["per_area"]] == ["A02", "A03", "A09"]


@pytest.mark.parametrize(("areas", "mean"), [
    ([("1,0,0", "100"), ("0,0,5", "201")], 151),  # 150.5 rounds half up
    ([("1,0,0", "100"), ("0,0,5", "200")], 150),
    ([("1,0,0", "2500"), ("1,0,0", "")], 2500),  # an area without a total is left out
    ([("1,0,0", "2500"), ("6,0,0", "10")], 2500),  # 6 is not 1 to 5
    ([("0,0,0", "2500")], None),  # no area with 1 to 5
    ([("1,0,0", "")], None),  # none gave a total
    ([("1,0,0", "0"), ("1,0,0", "5")], 3),  # a total of 0 is given: 2.5 -> 3
])
def test_the_mean_0_18_referrals_in_areas_with_1_to_5_under_3_referrals(areas, mean):
    lines = [line(f"A{n:02}", referred=f"{bands},{total}")
             for n, (bands, total) in enumerate(areas, start=1)]
    assert figures(*lines)["mean_referred_0_18_in_1_to_5_referral_areas"] == mean


def test_with_no_rows_counts_are_zero_and_percentages_and_the_mean_are_none():
    assert analyse([]) == {
        "areas_with_acceptance_data": 0, "areas_accepting_any": 0, "pct_accepting_any": None,
        "areas_accepting_none": 0, "pct_accepting_none": None,
        "accepting_areas_with_disaggregated_data": 0,
        "disaggregated_source": {"ccg": 0, "trust": 0},
        "areas_with_referrals_under3": 0, "areas_with_1_to_5_referrals_under3": 0,
        "areas_with_no_referrals_under3": 0, "areas_with_access_under3": 0,
        "areas_with_1_to_5_access_under3": 0, "areas_with_no_access_under3": 0,
        "pct_no_access_under3": None, "areas_over_100_access_under3": [],
        "areas_with_full_data": 0, "mean_referred_0_18_in_1_to_5_referral_areas": None,
        "per_area": []}


def test_refusing_areas_alone_give_none_for_the_disaggregated_percentage():
    result = figures(line(accepts="no,no,no"))
    assert (result["pct_accepting_none"], result["pct_no_access_under3"]) == (100, None)


EXAMPLE = {
    "areas_with_acceptance_data": 9, "areas_accepting_any": 7, "pct_accepting_any": 78,
    "areas_accepting_none": 2, "pct_accepting_none": 22,
    "accepting_areas_with_disaggregated_data": 6,
    "disaggregated_source": {"ccg": 3, "trust": 3},
    "areas_with_referrals_under3": 5, "areas_with_1_to_5_referrals_under3": 2,
    "areas_with_no_referrals_under3": 1, "areas_with_access_under3": 5,
    "areas_with_1_to_5_access_under3": 2, "areas_with_no_access_under3": 1,
    "pct_no_access_under3": 17, "areas_over_100_access_under3": ["07L", "08H", "14L"],
    "areas_with_full_data": 4, "mean_referred_0_18_in_1_to_5_referral_areas": 1290,
    "per_area": [
        {"area_code": "02N", "pct_referred_under3": 0.1, "pct_accessed_under3": 0.1},
        {"area_code": "02P", "pct_referred_under3": 0.0, "pct_accessed_under3": 0.0},
        {"area_code": "07L", "pct_referred_under3": 12.5, "pct_accessed_under3": 27.5},
        {"area_code": "14L", "pct_referred_under3": 7.5, "pct_accessed_under3": 3.4},
    ],
}


def test_the_worked_example_file_gives_the_expected_figures_in_the_contract_order():
    result = analyse(parse_responses((DATA / "responses_example.csv").read_text(), CODES).rows)
    assert result == EXAMPLE
    assert list(result) == list(EXAMPLE)
    assert json.loads(json.dumps(result)) == EXAMPLE


def test_the_worked_example_merges_07l_from_the_ccg_and_the_trust():
    text = (DATA / "responses_example.csv").read_text()
    merged = merge_by_area(parse_responses(text, CODES).rows)["07L"]
    assert (merged.referred_0_18, merged.origins["referred_0_18"]) == (480, "trust")
    assert (merged.accessed_0_18, merged.origins["accessed_0_18"]) == (400, "ccg")
    assert (merged.accepts_0_12m, merged.origins["accepts_0_12m"]) == (True, "ccg")
    assert (merged.source, merged.referred_under3, merged.accessed_under3) == ("trust", 60, 110)
