"""The FOI responses CSV: exact header, typed rows, every bad cell reported, flags, round trip."""

import io
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from cradle.foi.responses_csv import (
    HEADER,
    ParsedResponses,
    RespondentType,
    ResponseRow,
    ResponsesFileError,
    parse_responses,
    write_responses,
)

DATA = Path(__file__).parents[1] / "data" / "foi"
CODES = {"02N", "09C", "07L", "07M", "02P", "99E", "08H", "14L", "00Y", "07T"}
HEADER_LINE = ",".join(HEADER)
GOOD = "02N,ccg,02N,2019-01-14,yes,no,,1,2,0,2500,0,1,0,1800,a comment"


def parse(*lines: str) -> ParsedResponses:
    return parse_responses("\n".join([HEADER_LINE, *lines]) + "\n", CODES)


def errors(*lines: str) -> list[str]:
    with pytest.raises(ResponsesFileError) as caught:
        parse(*lines)
    return caught.value.errors


def with_cell(column: str, value: str) -> str:
    cells = GOOD.split(",")
    cells[HEADER.index(column)] = value
    return ",".join(cells)


def test_the_header_is_exactly_the_contract_and_matches_the_row_fields():
    assert HEADER_LINE == (
        "respondent_code,respondent_type,area_code,received_on,accepts_0_12m,accepts_12_24m,"
        "accepts_24_36m,referred_0_12m,referred_12_24m,referred_24_36m,referred_0_18,"
        "accessed_0_12m,accessed_12_24m,accessed_24_36m,accessed_0_18,comment")
    assert tuple(field.name for field in fields(ResponseRow)) == HEADER


def test_a_good_row_is_typed():
    assert parse(GOOD) == ParsedResponses(rows=(ResponseRow(
        respondent_code="02N", respondent_type=RespondentType.CCG, area_code="02N",
        received_on=date(2019, 1, 14), accepts_0_12m=True, accepts_12_24m=False,
        accepts_24_36m=None, referred_0_12m=1, referred_12_24m=2, referred_24_36m=0,
        referred_0_18=2500, accessed_0_12m=0, accessed_12_24m=1, accessed_24_36m=0,
        accessed_0_18=1800, comment="a comment"),), warnings=())


def test_empty_cells_are_not_answered_and_spaces_around_values_are_allowed():
    row, = parse("RAT , trust ,07L, 2019-02-20 , no ,,, 10 ,,,,,,,, ").rows
    assert (row.respondent_code, row.respondent_type, row.received_on) == (
        "RAT", "trust", date(2019, 2, 20))
    assert (row.accepts_0_12m, row.accepts_12_24m, row.referred_0_12m, row.referred_0_18) == (
        False, None, 10, None)
    assert row.comment == " "  # the comment is kept exactly


def test_a_quoted_comment_keeps_commas_quotes_and_newlines():
    row, = parse('02N,ccg,02N,2019-01-14,,,,,,,,,,,,"one, ""two""\nthree"').rows
    assert row.comment == 'one, "two"\nthree'


@pytest.mark.parametrize("source", [
    lambda text: text.splitlines(keepends=True),
    lambda text: io.StringIO(text, newline=""),
    lambda text: "\ufeff" + text,  # a byte order mark, as spreadsheets write
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text + "\n\n",  # trailing blank lines
])
def test_lines_files_and_spreadsheet_quirks_are_read(source):
    text = f"{HEADER_LINE}\n{GOOD}\n"
    assert parse_responses(source(text), CODES) == parse(GOOD)


def test_a_header_alone_is_a_file_with_no_rows():
    assert parse() == ParsedResponses(rows=(), warnings=())


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("referred_0_12m", "-3", "is not a whole number of 0 or more"),
    ("referred_0_18", "ten", "is not a whole number of 0 or more"),
    ("accessed_12_24m", "1.5", "is not a whole number of 0 or more"),
    ("accessed_0_18", "1 000", "is not a whole number of 0 or more"),
    ("accessed_24_36m", "n/a", "is not a whole number of 0 or more"),
    ("accepts_0_12m", "Yes", "is not yes, no or empty"),
    ("accepts_12_24m", "y", "is not yes, no or empty"),
    ("accepts_24_36m", "true", "is not yes, no or empty"),
    ("received_on", "2019-02-30", "is not a real date written YYYY-MM-DD"),
    ("received_on", "14/01/2019", "is not a real date written YYYY-MM-DD"),
    ("received_on", "20190114", "is not a real date written YYYY-MM-DD"),
    ("received_on", "", "is not a real date written YYYY-MM-DD"),
    ("respondent_type", "CCG", "is not a respondent type (ccg or trust)"),
    ("respondent_type", "provider", "is not a respondent type (ccg or trust)"),
    ("respondent_type", "", "is not a respondent type (ccg or trust)"),
    ("area_code", "XYZ", "is not a known 2019 CCG area code"),
    ("area_code", "02n", "is not a known 2019 CCG area code"),
    ("area_code", "", "is not a known 2019 CCG area code"),
    ("respondent_code", "", "is not an ODS code (letters and digits)"),
    ("respondent_code", "R-X", "is not an ODS code (letters and digits)"),
])
def test_a_bad_cell_is_named_by_row_column_and_value(column, value, problem):
    assert errors(GOOD, with_cell(column, value)) == [
        f"row 3, column {column!r}: {value!r} {problem}"]


def test_the_error_message_matches_the_contract_example():
    message = str(ResponsesFileError(errors("", "", "", "", "", with_cell("referred_0_12m", "-3"))))
    assert "row 7, column 'referred_0_12m': '-3' is not a whole number of 0 or more" in message


@pytest.mark.parametrize(("line", "expected"), [
    (GOOD + ",extra", "row 2: expected 16 columns, found 17"),
    (GOOD.rsplit(",", 1)[0], "row 2: expected 16 columns, found 15"),
])
def test_a_row_with_the_wrong_number_of_columns_is_an_error(line, expected):
    assert errors(line) == [expected]


def test_every_bad_row_and_column_is_reported_together_and_nothing_is_returned():
    with pytest.raises(ResponsesFileError) as caught:
        parse_responses((DATA / "responses_bad.csv").read_text(), CODES)
    assert caught.value.errors == [
        "row 3, column 'respondent_type': 'commissioner' is not a respondent type (ccg or trust)",
        "row 4, column 'area_code': 'XYZ' is not a known 2019 CCG area code",
        "row 4, column 'received_on': '2019-02-30' is not a real date written YYYY-MM-DD",
        "row 4, column 'accepts_0_12m': 'Yes' is not yes, no or empty",
        "row 4, column 'referred_0_12m': '-3' is not a whole number of 0 or more",
        "row 4, column 'referred_12_24m': 'ten' is not a whole number of 0 or more",
        "row 5: expected 16 columns, found 15",
        "row 6, column 'received_on': '18/01/2019' is not a real date written YYYY-MM-DD",
        "row 6, column 'accepts_12_24m': 'maybe' is not yes, no or empty",
        "row 6, column 'accessed_24_36m': '1.5' is not a whole number of 0 or more",
    ]
    message = str(caught.value)
    assert message.startswith("the responses file has 10 problems:\n")
    assert all(f"  {error}" in message.splitlines() for error in caught.value.errors)


def test_an_unknown_area_is_an_error_whatever_the_codes_given():
    with pytest.raises(ResponsesFileError, match="'02N' is not a known 2019 CCG area code"):
        parse_responses(f"{HEADER_LINE}\n{GOOD}\n", known_area_codes=set())


@pytest.mark.parametrize(("header", "detail"), [
    (HEADER_LINE.replace(",comment", ""), "missing 'comment'"),
    (HEADER_LINE + ",notes", "unexpected 'notes'"),
    (HEADER_LINE.replace("referred_0_18", "referred_total"),
     "missing 'referred_0_18'; unexpected 'referred_total'"),
    (HEADER_LINE.replace("accepts_0_12m,accepts_12_24m", "accepts_12_24m,accepts_0_12m"),
     "columns in the wrong order or repeated"),
    (HEADER_LINE.upper(), "missing"),
])
def test_a_wrong_header_rejects_the_file(header, detail):
    with pytest.raises(ResponsesFileError) as caught:
        parse_responses(f"{header}\n{GOOD}\n", CODES)
    error, = caught.value.errors
    assert error.startswith(f"row 1: the header must be exactly {HEADER_LINE} (")
    assert detail in error


@pytest.mark.parametrize("text", ["", []])
def test_an_empty_file_is_an_error(text):
    with pytest.raises(ResponsesFileError, match="row 1: the file is empty"):
        parse_responses(text, CODES)


def test_an_unterminated_quote_is_an_error_with_the_row():
    with pytest.raises(ResponsesFileError) as caught:
        parse_responses(f'{HEADER_LINE}\n{GOOD}\n02N,ccg,02N,2019-01-14,,,,,,,,,,,,"open', CODES)
    error, = caught.value.errors
    assert error.startswith("row 3: not readable as CSV")


def test_bad_cells_are_reported_with_a_bad_csv_ending():
    with pytest.raises(ResponsesFileError) as caught:
        parse_responses(f'{HEADER_LINE}\n{with_cell("referred_0_18", "-1")}\n"open', CODES)
    assert [error[:6] for error in caught.value.errors] == ["row 2,", "row 3:"]


def test_under_3_bands_above_the_0_18_total_are_flagged_not_rejected():
    parsed = parse_responses((DATA / "responses_flagged.csv").read_text(), CODES)
    assert len(parsed.rows) == 2
    assert parsed.warnings == (
        "row 2: children referred aged 2 and under (30 (referred_0_12m) + 2 (referred_12_24m) "
        "+ 0 (referred_24_36m) = 32) is more than the total 25 (referred_0_18); "
        "check the row (it is still used)",
        "row 2: children accessed aged 2 and under (0 (accessed_0_12m) + 3 (accessed_12_24m) "
        "+ 0 (accessed_24_36m) = 3) is more than the total 1 (accessed_0_18); "
        "check the row (it is still used)",
    )


@pytest.mark.parametrize(("bands", "total", "flagged"), [
    ("5,0,0", "4", True),
    ("2,2,1", "4", True),  # no band alone is above the total, but together they are
    ("4,0,0", "4", False),  # equal is not more
    ("2,1,1", "4", False),
    ("9,9,9", "", False),  # no total to compare with: an unknown is not 0
    ("9,,", "0", True),  # bands not given add nothing
    (",,", "0", False),
])
def test_bands_adding_up_to_more_than_the_total_are_flagged(bands, total, flagged):
    line = f"02N,ccg,02N,2019-01-14,yes,,,{bands},{total},,,,,"
    warnings = parse(line).warnings
    assert bool(warnings) is flagged
    assert all("(referred_0_18)" in warning for warning in warnings)


@pytest.mark.parametrize("name", ["responses_example.csv", "responses_flagged.csv"])
def test_a_written_file_reads_back_and_writes_out_byte_for_byte(name):
    text = (DATA / name).read_text()
    assert write_responses(parse_responses(text, CODES).rows) == text


def test_rows_round_trip_through_a_written_file():
    base = parse(GOOD).rows[0]
    rows = (
        base,
        replace(base, comment='commas, "quotes",\nnewlines\r\nand  spaces  '),
        replace(base, respondent_type=RespondentType.TRUST, respondent_code="RXA",
                accepts_0_12m=None, accepts_12_24m=None, referred_0_18=None, comment=""),
        replace(base, received_on=date(2020, 2, 29), accessed_0_18=0, referred_0_12m=123456),
    )
    text = write_responses(rows)
    assert text.startswith(HEADER_LINE + "\n")
    assert parse_responses(text, CODES).rows == rows


def test_writing_no_rows_writes_the_header():
    assert write_responses([]) == HEADER_LINE + "\n"
