"""CSV and XLSX downloads that a spreadsheet cannot turn against its user (pure: no Django).

Every CSV and XLSX file Cradle writes for someone to open goes through this module
(`tests/integration/test_spreadsheet_writers.py` checks each download). Text that a
spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return) is
prefixed with an apostrophe, so a name can never run as a formula; numbers stay numbers.

Text that already starts with apostrophes and then a formula character gets one more, so
`restore` can undo `neutralise` exactly: a file Cradle reads back (the FOI responses CSV) gets
the text as it was written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What neutralise prefixes: any number of apostrophes, then a formula character.
_NEEDS_PREFIX = re.compile(r"'*[=+\-@\t\r]")
_PREFIXED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value):
    """Text a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and _NEEDS_PREFIX.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text `neutralise` was given, from what it returned."""
    return value[1:] if _PREFIXED.match(value) else value


def _csv_cell(value):
    return "" if value is None else neutralise(value)


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        # Excel has no decimal type; a whole amount stays an integer.
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence], *,
             lineterminator: str = "\r\n") -> str:
    """The rows as CSV text; numbers are written as numbers, text neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A CSV download: UTF-8 with a byte order mark, so Excel reads accents correctly."""
    return csv_text(header, rows).encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str,
               notes: Sequence[str] = ()) -> bytes:
    """A workbook with one table (header row frozen) and, if `notes` are given, a "Notes"
    sheet with one note a row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    if notes:
        notes_sheet = workbook.create_sheet(title="Notes")
        for note in notes:
            notes_sheet.append([_xlsx_cell(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
