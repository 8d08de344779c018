"""Reading an uploaded file into sheets of rows, and the header check (pure).

A CSV file holds one record type (the uploader says which); an XLSX workbook holds one sheet
per record type, named after it ("referrals", "episodes", "contacts", "measures"); a sheet
named "guide" (the template's column guide) is skipped. Row numbers are the spreadsheet's
own: the header is row 1, so the first record is row 2, as the user sees it in Excel.

Bad files are refused with a message, never an exception (limits.py): rows are counted against
the row cap and the time budget as they are read, and reading stops at the first row over the
cap; a workbook's archive is checked before it is parsed; its XML is parsed by defusedxml
(openpyxl uses it when it is installed: entity and external declarations are refused, never
expanded or fetched); its rows are read without trusting the sheet's stated `<dimension>`,
which a program writing the file may have left stale. NUL bytes, which no text column can
hold on PostgreSQL, are refused in a CSV file (a workbook's XML cannot hold them).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from . import limits
from .columns import RECORD_TYPES, RecordType
from .problems import FileProblems, Problem

GUIDE_SHEET = "guide"
CSV, XLSX = "csv", "xlsx"
_SPACES = re.compile(r"[\s\-]+")


@dataclass
class Sheet:
    kind: RecordType
    name: str  # the sheet's name in a workbook, "" for a CSV file
    header: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)


def file_format(filename: str) -> str | None:
    name = filename.lower()
    if name.endswith(".csv"):
        return CSV
    if name.endswith(".xlsx"):
        return XLSX
    return None


def column_name(heading) -> str:
    return _SPACES.sub("_", str(heading if heading is not None else "").strip().lower())


def check_header(kind: RecordType, header: list[str], sheet: str = "") -> list[Problem]:
    """Missing required columns, unknown columns and repeated columns, each named."""
    problems = []
    known = set(kind.header)
    seen = set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(sheet, 1, "", f"column {position} has no heading: give "
                                    "it one of the template's headings, or delete it"))
        elif name in seen:
            problems.append(Problem(sheet, 1, name, "the column appears more than once"))
        elif name not in known:
            problems.append(Problem(sheet, 1, name, "unknown column: use the template's "
                                    "headings (see the column guide), or delete the column"))
        seen.add(name)
    for name in kind.required:
        if name not in seen:
            problems.append(Problem(sheet, 1, name, "this required column is missing: add it "
                                    "with this heading"))
    return problems


def _sheet(kind: RecordType, name: str, records,
           budget: limits.Budget) -> tuple[Sheet, list[Problem]]:
    """`records`: the sheet's rows as sequences of cells, header first, read lazily so that
    reading stops at the row cap."""
    records = iter(records)
    for first in records:
        budget.tick()
        if any(cell not in (None, "") for cell in first):
            break
    else:
        return Sheet(kind, name, []), [Problem(name, 0, "", "the file is empty: the first row "
                                               "must be the template's headings")]
    while first and first[-1] in (None, ""):
        first = first[:-1]
    header = [column_name(cell) for cell in first]
    problems = check_header(kind, header, name)
    sheet = Sheet(kind, name, header)
    width = len(header)
    for number, cells in enumerate(records, start=2):
        if not any(cell is not None and str(cell).strip() for cell in cells):
            budget.tick()
            continue
        budget.record()
        if len(cells) > width and any(c is not None and str(c).strip() for c in cells[width:]):
            problems.append(Problem(name, number, "", "the row has more cells than the header "
                                    "has columns: give the extra columns a heading, or clear "
                                    "them"))
        sheet.rows.append((number, {header[i]: cells[i] if i < len(cells) else None
                                    for i in range(width) if header[i]}))
    return sheet, problems


NOT_CSV_UTF8 = ("the file is not saved as CSV UTF-8: in Excel, use Save As and choose "
                "'CSV UTF-8 (Comma delimited)'")


def read_csv(data: bytes, kind: RecordType, budget: limits.Budget | None = None) -> list[Sheet]:
    budget = budget or limits.Budget()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblems([Problem(message=NOT_CSV_UTF8)]) from None
    if "\x00" in text:
        # NUL bytes: a file saved as UTF-16 ("Unicode text"), or not text at all.
        raise FileProblems([Problem(message="the file holds NUL bytes, so it is not CSV UTF-8 "
                                    "text: " + NOT_CSV_UTF8[len("the file is not saved as CSV "
                                                                "UTF-8: "):])])
    try:
        sheet, problems = _sheet(kind, "", csv.reader(io.StringIO(text, newline="")), budget)
    except csv.Error:
        raise FileProblems([Problem(message="the file could not be read as CSV: check that "
                                    "quoted cells are closed")]) from None
    if problems:
        raise FileProblems(problems)
    return [sheet]


def _one_of(names) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def read_xlsx(data: bytes, budget: limits.Budget | None = None) -> list[Sheet]:
    """The workbook's sheets. Any failure of the parser on a malformed workbook (openpyxl
    raises many kinds of exception on bad XML, bad cell references or bad numbers) is a
    refusal of the file, never an error page."""
    import openpyxl  # imported here: only workbook uploads need it

    budget = budget or limits.Budget()
    if not openpyxl.DEFUSEDXML:
        # Fail closed: without defusedxml, openpyxl would parse entity declarations.
        raise limits.refuse("Cradle cannot read workbooks on this server: save the sheets as "
                            "CSV UTF-8 and upload them one by one")
    limits.check_archive(data)
    budget.max_rows = min(budget.max_rows, limits.MAX_WORKBOOK_ROWS)
    try:
        return _read_book(openpyxl, data, budget)
    except FileProblems:
        raise
    except Exception as error:  # noqa: BLE001 - see the docstring: a malformed file, refused
        raise limits.refuse(limits.UNSAFE_XML if _unsafe_xml(error)
                            else limits.NOT_A_WORKBOOK) from None


def _unsafe_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps some errors in a ValueError)."""
    from defusedxml import DefusedXmlException

    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _read_book(openpyxl, data: bytes, budget: limits.Budget) -> list[Sheet]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise limits.refuse(limits.NOT_A_WORKBOOK) from None
    sheets, problems = [], []
    try:
        for worksheet in book.worksheets:
            name = worksheet.title.strip()
            key = column_name(name)
            if key == GUIDE_SHEET:
                continue
            if key not in RECORD_TYPES:
                problems.append(Problem(name, 0, "", "Cradle does not import this sheet: name "
                                        f"it {_one_of(RECORD_TYPES)}, or delete it"))
                continue
            # The sheet's <dimension> says how far its rows go, and read-only openpyxl stops
            # there; a stale one would drop rows silently, so it is not trusted.
            worksheet.reset_dimensions()
            sheet, found = _sheet(RECORD_TYPES[key], name,
                                  worksheet.iter_rows(values_only=True), budget)
            sheets.append(sheet)
            problems += found
    finally:
        book.close()
    if not sheets and not problems:
        problems.append(Problem(message="the workbook has no sheet to import: name each sheet "
                                + _one_of(RECORD_TYPES)))
    if problems:
        raise FileProblems(problems)
    return sorted(sheets, key=lambda s: list(RECORD_TYPES).index(s.kind.key))


def read_upload(filename: str, data: bytes, csv_kind: str | None,
                budget: limits.Budget | None = None) -> list[Sheet]:
    """The sheets of an uploaded file, or FileProblems listing every problem found so far.
    `budget` (one per file) is also what the row checks then spend."""
    found = file_format(filename)
    if found == XLSX:
        return read_xlsx(data, budget)
    if found == CSV:
        if csv_kind not in RECORD_TYPES:
            raise FileProblems([Problem(message="say what the CSV file holds")])
        return read_csv(data, RECORD_TYPES[csv_kind], budget)
    raise FileProblems([Problem(message="the file must be a .csv or an .xlsx file")])
