"""Checking one row, column by column, keeping every problem (shared by the row checks)."""

from __future__ import annotations

from cradle.outcomes import validation as rules

from . import cells
from .parsing import Sheet
from .problems import Problem

#: What a column's check gives when it refused the cell (its problem is already kept).
FAILED = object()


class RowCheck:
    """One row's cells and the problems found in it."""

    def __init__(self, sheet: Sheet, number: int, values: dict, problems: list[Problem]):
        self.sheet, self.number, self.values, self.problems = sheet.name, number, values, \
            problems
        self.failed = False

    def cell(self, column: str):
        return self.values.get(column)

    def problem(self, column: str, message: str) -> None:
        self.failed = True
        self.problems.append(Problem(self.sheet, self.number, column, message))

    def take(self, column: str, check, *args, **kwargs):
        """check(*args) or, if it refuses, a Problem against `column` and FAILED."""
        try:
            return check(*args, **kwargs)
        except rules.InvalidRecord as error:
            self.problem(column, " ".join(m for ms in error.message_dict.values() for m in ms))
        except (cells.CellError, ValueError, TypeError) as error:
            self.problem(column, str(error))
        return FAILED

    def required(self, column: str, what: str) -> bool:
        if cells.is_blank(self.cell(column)):
            self.problem(column, f"give {what}")
            return False
        return True

    def date(self, column: str, what: str, **limits):
        if not self.required(column, what):
            return FAILED
        day = self.take(column, cells.date, self.cell(column))
        return FAILED if day is FAILED else self.take(column, rules.checked_date, column, day,
                                                      **limits)

    def choice(self, column: str, what: str, lookup: dict[str, str], allowed: str):
        """A required controlled-list cell, as its key."""
        if not self.required(column, what):
            return FAILED
        return self.take(column, cells.choice, self.cell(column), lookup, allowed)

    def reference(self):
        return self.take("team_reference", rules.checked_reference_text,
                         cells.text(self.cell("team_reference")))
