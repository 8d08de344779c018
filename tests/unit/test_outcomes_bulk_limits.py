"""The limits of one uploaded file (bulk/limits.py), with plain data: the row cap stops
reading at the first row over it, the time budget is spent by reading and checking, a
workbook's archive is checked before it is parsed, and numbers and years are bounded."""

from __future__ import annotations

import io
import zipfile

import pytest

from cradle.outcomes.bulk import cells, limits
from cradle.outcomes.bulk.checks import check_sheets
from cradle.outcomes.bulk.columns import REFERRALS
from cradle.outcomes.bulk.parsing import read_csv, read_xlsx
from cradle.outcomes.bulk.problems import FileProblems
from cradle.outcomes.checks import workbook_xml_is_defused


def messages(error: FileProblems) -> list[str]:
    return [problem.message for problem in error.problems]


def test_reading_stops_at_the_first_row_over_the_cap():
    lines = ["team_reference,referred_on,referrer_type"] + [
        f"R-{i},2025-01-01,gp" for i in range(50)]
    budget = limits.Budget(max_rows=10)
    with pytest.raises(FileProblems) as refused:
        read_csv("\n".join(lines).encode(), REFERRALS, budget)
    assert messages(refused.value) == [limits.too_many_rows(10)]
    assert budget.rows == 11  # the other 39 rows were never read
    assert "more than 250,000 rows" in limits.TOO_MANY_ROWS
    assert "more than 10,000 rows" in limits.TOO_MANY_WORKBOOK_ROWS


def test_blank_rows_do_not_count_against_the_cap_but_rows_with_data_do():
    lines = ["team_reference,referred_on,referrer_type"] + [",,"] * 30 + [
        f"R-{i},2025-01-01,gp" for i in range(10)]
    budget = limits.Budget(max_rows=10)
    assert len(read_csv("\n".join(lines).encode(), REFERRALS, budget)[0].rows) == 10


class Clock:
    """Each reading is a second after the one before."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def test_the_time_budget_is_spent_by_reading_and_checking():
    lines = ["team_reference,referred_on,referrer_type"] + [
        f"R-{i},2025-01-01,gp" for i in range(600)]
    with pytest.raises(FileProblems) as refused:
        # The clock is read every 256 rows: 1,200 rows read and checked outlast 3 readings.
        budget = limits.Budget(seconds=3, clock=Clock())
        check_sheets(read_csv("\n".join(lines).encode(), REFERRALS, budget), budget)
    assert messages(refused.value) == [limits.TOO_SLOW]


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("data,message", [
    (b"not a zip file", limits.NOT_A_WORKBOOK),
    (zipped({f"part{i}.xml": b"<a/>" for i in range(limits.MAX_PARTS + 1)}),
     limits.NOT_A_WORKBOOK),
    (zipped({"xl/big.bin": bytes(2 * 1024 * 1024)}), limits.TOO_BIG_UNPACKED),
])
def test_an_archive_is_checked_before_it_is_parsed(data, message):
    with pytest.raises(FileProblems) as refused:
        limits.check_archive(data)
    assert messages(refused.value) == [message]


def test_an_ordinary_workbook_passes_the_archive_check():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["team_reference"])
    buffer = io.BytesIO()
    book.save(buffer)
    limits.check_archive(buffer.getvalue())


def test_workbooks_are_refused_without_defusedxml(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(FileProblems) as refused:
        read_xlsx(b"anything")
    assert "Cradle cannot read workbooks on this server" in messages(refused.value)[0]
    assert [error.id for error in workbook_xml_is_defused(None)] == ["cradle.outcomes.E002"]
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", True)
    assert workbook_xml_is_defused(None) == []


def test_openpyxl_uses_defusedxml_here():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("value", ["1" * 30, 10 ** 30, 1e30, "1000001", -1_000_001, "1e308"])
def test_numbers_beyond_the_largest_any_cell_takes_are_refused(value):
    with pytest.raises(cells.CellError, match="the number is too large"):
        cells.number(value)
    with pytest.raises(cells.CellError, match="the number is too large"):
        cells.whole_number(value)


@pytest.mark.parametrize("value", [0, "1000000", 999_999.5, "-3"])
def test_numbers_up_to_the_limit_are_read(value):
    assert cells.number(value) == float(value)


@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01", "01/01/1066"])
def test_years_before_1900_are_refused(value):
    import datetime

    with pytest.raises(cells.CellError, match="the year is out of range"):
        cells.date(value)
    with pytest.raises(cells.CellError, match="the year is out of range"):
        cells.date(datetime.date(1899, 12, 30))
    assert cells.date("1900-01-01") == datetime.date(1900, 1, 1)


@pytest.mark.parametrize("chunk_bytes", [1, 5, 7, 64, 65, 1000, limits.CHUNK_BYTES])
def test_row_elements_are_counted_across_chunk_edges(chunk_bytes):
    xml = (b'<worksheet><sheetData>' + b''.join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 101))
        + b'<x:row r="101"/><row>' + b'</sheetData><rowBreaks count="0"/></worksheet>')
    assert limits.count_row_elements(io.BytesIO(xml), chunk_bytes) == 102


def test_a_workbook_with_far_more_rows_than_allowed_is_refused_by_its_xml_alone():
    rows = b"".join(b'<row r="%d"/>' % n for n in range(limits.MAX_ROW_ELEMENTS + 1))
    data = zipped({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>" + rows
                   + b"</sheetData></worksheet>"})
    with pytest.raises(FileProblems) as refused:
        limits.check_archive(data)
    assert messages(refused.value) == [limits.TOO_MANY_ROW_ELEMENTS]


@pytest.mark.parametrize(("name", "data", "in_request"), [
    ("small.csv", b"h\n" + b"r\n" * limits.IN_REQUEST_ROWS, False),
    ("small.csv", b"h\n" + b"r\n" * (limits.IN_REQUEST_ROWS - 1), True),
    ("wide.csv", b"h\n" + b"x" * (limits.IN_REQUEST_BYTES + 1), False),
    ("broken.xlsx", b"not a zip", True),  # the request says why it cannot be read
])
def test_which_files_are_checked_in_the_request(name, data, in_request):
    assert limits.runs_in_request(name, data) is in_request


def test_the_budget_reports_rows_as_it_goes():
    seen = []
    budget = limits.Budget(max_rows=10_000, on_rows=seen.append)
    for _ in range(600):
        budget.record()
    assert seen == [256, 512]
