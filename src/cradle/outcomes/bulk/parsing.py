"""Reading an uploaded file into sheets of rows, and the header check (pure).

A CSV file holds one record type (the uploader says which); an XLSX workbook holds one sheet
per record type, named after it ("referrals", "episodes", "contacts", "measures"); a sheet
named "guide" (the template's column guide) is skipped. Row numbers are the spreadsheet's
own: the header is row 1, so the first record is row 2, as the user sees it in Excel.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

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


def _sheet(kind: RecordType, name: str, records) -> tuple[Sheet, list[Problem]]:
    """`records`: the sheet's rows as sequences of cells, header first."""
    records = iter(records)
    for first in records:
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
            continue
        if len(cells) > width and any(c is not None and str(c).strip() for c in cells[width:]):
            problems.append(Problem(name, number, "", "the row has more cells than the header "
                                    "has columns: give the extra columns a heading, or clear "
                                    "them"))
        sheet.rows.append((number, {header[i]: cells[i] if i < len(cells) else None
                                    for i in range(width) if header[i]}))
    return sheet, problems


def read_csv(data: bytes, kind: RecordType) -> list[Sheet]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblems([Problem(message="the file is not saved as CSV UTF-8: in Excel, "
                                    "use Save As and choose 'CSV UTF-8 (Comma delimited)'")]
                           ) from None
    try:
        sheet, problems = _sheet(kind, "", list(csv.reader(io.StringIO(text, newline=""))))
    except csv.Error:
        raise FileProblems([Problem(message="the file could not be read as CSV: check that "
                                    "quoted cells are closed")]) from None
    if problems:
        raise FileProblems(problems)
    return [sheet]


def _one_of(names) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl  # imported here: only workbook uploads need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblems([Problem(message="the file is not an Excel workbook Cradle can "
                                    "read: save it as .xlsx, or as CSV UTF-8")]) from None
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
            sheet, found = _sheet(RECORD_TYPES[key], name,
                                  worksheet.iter_rows(values_only=True))
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


def read_upload(filename: str, data: bytes, csv_kind: str | None) -> list[Sheet]:
    """The sheets of an uploaded file, or FileProblems listing every problem found so far."""
    found = file_format(filename)
    if found == XLSX:
        return read_xlsx(data)
    if found == CSV:
        if csv_kind not in RECORD_TYPES:
            raise FileProblems([Problem(message="say what the CSV file holds")])
        return read_csv(data, RECORD_TYPES[csv_kind])
    raise FileProblems([Problem(message="the file must be a .csv or an .xlsx file")])
