"""Bulk import, without the database: cells, the header check, and row checks from plain
tables (synthetic values only; 9434765919 is a made-up number with a valid check digit)."""

from __future__ import annotations

import datetime

import pytest

from cradle.outcomes.bulk import cells
from cradle.outcomes.bulk.checks import check_sheets
from cradle.outcomes.bulk.columns import MEASURES, RECORD_TYPES, REFERRALS, guide_rows
from cradle.outcomes.bulk.parsing import check_header, read_csv, read_upload
from cradle.outcomes.bulk.problems import FileProblems, Problem
from cradle.outcomes.bulk.templates import csv_template
from cradle.outcomes.vocabulary import REFERRER_TYPES, RISK_FACTORS

KEY = "a test pseudonym key that is long enough for HMAC-SHA256"
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch):
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", KEY)


def csv_bytes(header, *rows) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def referral_sheet(*rows, header=("team_reference", "referred_on", "referrer_type")):
    return read_csv(csv_bytes(header, *rows), REFERRALS)


# Cells --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2025-03-14", datetime.date(2025, 3, 14)),
    ("14/03/2025", datetime.date(2025, 3, 14)),
    (datetime.datetime(2025, 3, 14, 0, 0), datetime.date(2025, 3, 14)),
    ("", None), (None, None),
])
def test_dates_are_read_from_text_and_date_cells(value, expected):
    assert cells.date(value) == expected


@pytest.mark.parametrize("value", ["14 March", "2025-02-30", "2025/03/14", "03-14-2025"])
def test_a_bad_date_says_how_to_give_one(value):
    with pytest.raises(cells.CellError, match="YYYY-MM-DD"):
        cells.date(value)


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("Y", True), ("no", False), ("FALSE", False), ("", None), (True, True)])
def test_yes_no(value, expected):
    assert cells.yes_no(value) is expected


@pytest.mark.parametrize("value, expected", [("28", 28), (28.0, 28), ("28.0", 28), ("", None)])
def test_whole_numbers(value, expected):
    assert cells.whole_number(value) == expected


@pytest.mark.parametrize("value", ["28.5", "twenty", "nan", True])
def test_not_whole_numbers(value):
    with pytest.raises(cells.CellError):
        cells.whole_number(value)


def test_a_number_typed_into_a_spreadsheet_loses_its_decimal_point():
    assert cells.text(9434765919.0) == "9434765919"


# Templates and header ------------------------------------------------------------------------

def test_the_guide_is_generated_from_the_vocabulary_and_registry():
    referrals = {row["column"]: row for row in guide_rows(REFERRALS)}
    for key, _label, _domain in RISK_FACTORS:
        assert key in referrals["risk_factors"]["accepts"]
    for key, label in REFERRER_TYPES:
        assert f"{key} ({label})" in referrals["referrer_type"]["accepts"]
    measures = {row["column"]: row for row in guide_rows(MEASURES)}
    for code in ("phq9", "gad7", "core10", "epds", "hads", "wemwbs", "pirgas", "kips",
                 "asqse2", "gbo"):
        assert code in measures["instrument"]["accepts"]
    assert "item_14" in measures and "subscale_anxiety" in measures  # HADS and WEMWBS


@pytest.mark.parametrize("kind", list(RECORD_TYPES))
def test_a_template_passes_its_own_header_check(kind):
    (sheet,) = read_csv(csv_template(RECORD_TYPES[kind]), RECORD_TYPES[kind])
    assert sheet.header == RECORD_TYPES[kind].header and sheet.rows == []


def test_the_header_check_names_missing_unknown_and_repeated_columns():
    problems = check_header(REFERRALS, ["team_reference", "referrer", "team_reference"])
    found = {(p.column, p.message.split(":")[0]) for p in problems}
    assert ("referrer", "unknown column") in found
    assert ("team_reference", "the column appears more than once") in found
    assert ("referred_on", "this required column is missing") in found
    assert ("referrer_type", "this required column is missing") in found
    assert all(p.row == 1 for p in problems)


def test_headings_ignore_case_and_spaces():
    (sheet,) = referral_sheet(header=("Team Reference", " referred_on", "Referrer type"))
    assert sheet.header == ["team_reference", "referred_on", "referrer_type"]


def test_a_bad_header_stops_the_file_with_every_problem():
    with pytest.raises(FileProblems) as caught:
        read_csv(csv_bytes(["reference", "date"], ["A-1", YESTERDAY]), REFERRALS)
    assert len(caught.value.problems) == 5  # 2 unknown, 3 required missing


@pytest.mark.parametrize("name, data, message", [
    ("notes.txt", b"x", "must be a .csv or an .xlsx file"),
    ("old.csv", "team_reference\n\xe9".encode("latin-1"), "csv utf-8"),
    ("book.xlsx", b"not a zip", "not an excel workbook"),
    ("empty.csv", b"\n\n", "the file is empty"),
])
def test_unreadable_files_say_why(name, data, message):
    with pytest.raises(FileProblems) as caught:
        read_upload(name, data, "referrals")
    assert message in str(caught.value.problems[0]).lower()


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    (sheet,) = referral_sheet(["A-1", YESTERDAY, "gp"], [",,"], ["A-2", YESTERDAY, "gp"])
    assert [number for number, _values in sheet.rows] == [2, 4]


def test_problem_text_names_the_row_and_column():
    problem = Problem("", 14, "referred_on", "give a date as YYYY-MM-DD")
    assert str(problem) == "Row 14, column referred_on: give a date as YYYY-MM-DD"
    assert str(Problem("measures", 3, "total", "x")) == "Sheet measures, row 3, column total: x"


# Row checks ------------------------------------------------------------------------------------

FULL = ("team_reference", "nhs_number", "baby_birth_month", "postcode_district", "referred_on",
        "referrer_type", "caregiver_1_relationship", "caregiver_1_age",
        "caregiver_1_ethnic_category", "first_time_parent", "risk_factors", "decision",
        "decided_on")


def test_a_good_referral_row_is_normalised_and_pseudonymised():
    (sheet,) = referral_sheet(
        ["F-1", "943 476 5919", "2025-01", "LS1 4AP", YESTERDAY, "Health visitor", "Mother",
         "28", "A", "yes", "birth_trauma; Isolation or lack of support", "accepted",
         YESTERDAY], header=FULL)
    checked = check_sheets([sheet])
    assert checked.problems == []
    (row,) = checked.referrals
    assert row.referrer_type == "health_visitor" and row.decision == "accepted"
    assert row.caregivers == [{"relationship": "mother", "age_at_referral": 28,
                               "ethnic_category": "A"}]
    assert row.risk_factors == ["birth_trauma", "isolation"]
    assert row.case_fields["postcode_district"] == "LS1"
    pseudonym = row.case_fields["nhs_number_pseudonym"]
    assert len(pseudonym) == 64 and "9434765919" not in repr(row)


BAD_ROWS = [
    # (column, cell, what the message says)
    ("team_reference", "9434765919", "looks like an NHS number"),
    ("nhs_number", "943 476 5918", "check digit"),
    ("baby_birth_month", "March", "YYYY-MM"),
    ("postcode_district", "not a postcode", "postcode"),
    ("referred_on", "last week", "YYYY-MM-DD"),
    ("referred_on", TOMORROW, "in the future"),
    ("referrer_type", "neighbour", "choose one of"),
    ("caregiver_1_relationship", "aunt", "choose one of"),
    ("caregiver_1_age", "7", "from 10 to 99"),
    ("caregiver_1_ethnic_category", "Q", "choose one of"),
    ("first_time_parent", "perhaps", "answer yes or no"),
    ("risk_factors", "isolation;moon_phase", "unknown choice"),
    ("decision", "maybe", "choose one of"),
]


@pytest.mark.parametrize("column, cell, message", BAD_ROWS)
def test_each_bad_cell_is_reported_against_its_row_and_column(column, cell, message):
    good = dict(zip(FULL, ["F-1", "", "", "", YESTERDAY, "gp", "mother", "30", "A", "",
                           "", "", ""], strict=True))
    good[column] = cell
    (sheet,) = referral_sheet(["F-0", "", "", "", YESTERDAY, "gp", "", "", "", "", "", "", ""],
                              [good[name] for name in FULL], header=FULL)
    checked = check_sheets([sheet])
    assert [(p.row, p.column) for p in checked.problems] == [(3, column)]
    assert message in checked.problems[0].message
    assert [row.reference for row in checked.referrals] == ["F-0"]
    if column == "nhs_number":
        assert "5918" not in checked.problems[0].message


def test_every_problem_in_a_row_is_reported_not_just_the_first():
    (sheet,) = referral_sheet(["", "soon", "neighbour"])
    checked = check_sheets([sheet])
    assert {p.column for p in checked.problems} == {"team_reference", "referred_on",
                                                    "referrer_type"}


def test_a_decision_needs_its_date_and_not_before_the_referral():
    header = ("team_reference", "referred_on", "referrer_type", "decision", "decided_on")
    (sheet,) = referral_sheet(["F-1", YESTERDAY, "gp", "accepted", ""],
                              ["F-2", YESTERDAY, "gp", "", YESTERDAY],
                              ["F-3", YESTERDAY, "gp", "declined", "2001-01-01"], header=header)
    found = [(p.row, p.column, p.message) for p in check_sheets([sheet]).problems]
    assert found == [(2, "decided_on", "give the date of the decision"),
                     (3, "decision", "give the decision for the date"),
                     (4, "decided_on", "the date is before the referral")]


def test_rows_of_one_family_must_agree_and_two_families_cannot_share_an_nhs_number():
    header = ("team_reference", "nhs_number", "postcode_district", "referred_on",
              "referrer_type")
    (sheet,) = referral_sheet(["F-1", "9434765919", "LS1", YESTERDAY, "gp"],
                              ["F-1", "", "LS2", YESTERDAY, "midwife"],
                              ["F-2", "9434765919", "", YESTERDAY, "gp"], header=header)
    found = [(p.row, p.column) for p in check_sheets([sheet]).problems]
    assert found == [(3, "postcode_district"), (4, "nhs_number")]


MEASURE_HEADER = ("team_reference", "instrument", "timepoint", "administered_on", "total",
                  *(f"item_{n}" for n in range(1, 11)), "subscale_anxiety",
                  "subscale_depression")


def measure_row(instrument="phq9", total="", items=(), anxiety="", depression="",
                timepoint="baseline", day=YESTERDAY):
    cells_ = [str(i) if i is not None else "" for i in items] + [""] * (10 - len(items))
    return ["F-1", instrument, timepoint, day, total, *cells_, anxiety, depression]


def test_measures_are_scored_by_the_instrument_registry():
    sheet, = read_csv(csv_bytes(MEASURE_HEADER, measure_row(items=[1, 2, 1, 0, 3, 1, 0, 2, 1]),
                                measure_row("epds", total="14", timepoint="Discharge"),
                                measure_row("hads", anxiety="9", depression="4")), MEASURES)
    checked = check_sheets([sheet])
    assert checked.problems == []
    phq9, epds, hads = checked.measures
    assert (phq9.entered_as, phq9.total, phq9.band) == ("items", 11, "moderate")
    assert phq9.flags and phq9.items == [1, 2, 1, 0, 3, 1, 0, 2, 1]
    assert (epds.entered_as, epds.total, epds.timepoint) == ("total", 14, "discharge")
    assert (hads.entered_as, hads.total, hads.subscales) == (
        "subscales", 13, {"anxiety": 9, "depression": 4})


@pytest.mark.parametrize("row, column, message", [
    (measure_row(items=[1, 2, 9, 0, 0, 0, 0, 0, 0]), "item_3", "above the maximum"),
    (measure_row(items=[0] * 10), "item_10", "phq9 has 9 items"),
    (measure_row(total="99"), "total", "above the maximum"),
    (measure_row(total="5", items=[0] * 9), "total", "only one of"),
    (measure_row(), "total", "give the item scores, the total or the subscale totals"),
    (measure_row("xyz", total="3"), "instrument", "choose one of"),
    (measure_row(total="3", timepoint="later"), "timepoint", "choose one of"),
    (measure_row(items=[0, None, None, 0, 0, 0, 0, 0, 0]), "item_2", "missing"),
    (measure_row("phq9", items=["x"]), "item_1", "whole number"),
])
def test_bad_measures_name_the_column(row, column, message):
    sheet, = read_csv(csv_bytes(MEASURE_HEADER, row), MEASURES)
    checked = check_sheets([sheet])
    assert [(p.row, p.column) for p in checked.problems] == [(2, column)]
    assert message in checked.problems[0].message
    assert checked.measures == []
