"""A problem found in an uploaded file, located by sheet, row and column (pure)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """`row` is the spreadsheet's own row number (the header is row 1); `sheet` is set for a
    workbook. The message says what to fix and never repeats an NHS number or a postcode."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    message: str = ""

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message[:1].upper() + self.message[1:]


class FileProblems(Exception):
    """The file cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
