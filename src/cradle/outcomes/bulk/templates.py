"""The downloadable templates: a CSV header per record type, and one XLSX workbook with a sheet
per record type plus a "guide" sheet holding the column guide (pure)."""

from __future__ import annotations

import io

from cradle.core.spreadsheets import csv_bytes, neutralise

from .columns import RECORD_TYPES, RecordType, guide_rows
from .limits import GUIDE_TEXT
from .parsing import GUIDE_SHEET


def csv_template(kind: RecordType) -> bytes:
    """The header row only: an example row left in by mistake would be imported."""
    return csv_bytes(kind.header, [])


def xlsx_template() -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for kind in RECORD_TYPES.values():
        sheet = book.create_sheet(kind.key)
        sheet.append([neutralise(name) for name in kind.header])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    guide = book.create_sheet(GUIDE_SHEET)
    guide.append(["sheet", "column", "required", "accepts", "example"])
    for cell in guide[1]:
        cell.font = bold
    for kind in RECORD_TYPES.values():
        for row in guide_rows(kind):
            guide.append([neutralise(value) for value in (
                kind.key, row["column"], row["required"], row["accepts"], row["example"])])
    guide.append([])
    guide.append(["limits", "", "", GUIDE_TEXT, ""])
    for letter, width in zip("ABCDE", (12, 34, 10, 90, 30), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
