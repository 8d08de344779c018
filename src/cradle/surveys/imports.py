"""Survey responses collected elsewhere, from a CSV file or an XLSX workbook (pure: no Django).

One row per response; the header is the survey's question ids (any order, every one
optional), plus an optional `submitted_on` (a date, YYYY-MM-DD or DD/MM/YYYY; blank means
the day of the import). Each cell is checked by the same `questions.check_answer` as the web
form; every problem is named by row (the spreadsheet's own number: the header is row 1) and
column, and a file with any problem is refused whole. Workbooks are checked before parsing as
the outcomes import checks them (`core.uploaded_tables`, shared with the census import).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from cradle.core import uploaded_tables
from cradle.core.uploaded_tables import cell_text, header_problems, heading, is_blank
from cradle.outcomes.bulk.problems import FileProblems, Problem

from .questions import AnswerError, Question, check_answer

DATE_COLUMN = "submitted_on"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_PROBLEMS = 200


def read_rows(filename: str, data: bytes) -> list[list]:
    """The file's rows as lists of cells, header first."""
    return uploaded_tables.read_rows(filename, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                                     rows_are="responses", header_holds="the question ids")


def _date(cell, today: datetime.date) -> str:
    if is_blank(cell):
        return today.isoformat()
    if isinstance(cell, datetime.datetime):
        cell = cell.date()
    if isinstance(cell, datetime.date):
        day = cell
    else:
        text = str(cell).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise AnswerError(f"{text[:12]!r} is not a date: write YYYY-MM-DD or DD/MM/YYYY")
    if not datetime.date(2000, 1, 1) <= day <= today:
        raise AnswerError("must be a date from 2000 to today")
    return day.isoformat()


def check_rows(rows: list[list], questions: list[Question], *,
               area_codes: Mapping[str, str], today: datetime.date) -> list[dict]:
    """Every data row as {"submitted_on": ISO date, "answers": {question id: value}}; or
    FileProblems naming every bad heading, row and column (up to MAX_PROBLEMS)."""
    header = [heading(cell) for cell in rows[0]]
    by_id = {q.id: q for q in questions}
    problems = header_problems(
        header, {*by_id, DATE_COLUMN}, unnamed="give it a question id, or delete it",
        unknown="unknown column: the headings are this survey's question ids: "
                + ", ".join(by_id))
    if not set(header) & set(by_id):
        problems.append(Problem(row=1, message="no column is one of this survey's question ids"))
    if problems:
        raise FileProblems(problems)
    checked = []
    for number, row in enumerate(rows[1:], start=2):
        if all(is_blank(cell) for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(row=number, message="has more cells than there are "
                                    "headings"))
            continue
        answers, submitted_on = {}, today.isoformat()
        for name, cell in zip(header, row, strict=False):
            try:
                if name == DATE_COLUMN:
                    submitted_on = _date(cell, today)
                else:
                    answers[name] = check_answer(by_id[name], cell_text(cell),
                                                 area_codes=area_codes)
            except AnswerError as error:
                problems.append(Problem(row=number, column=name, message=str(error)))
        if not any(value not in (None, []) for value in answers.values()):
            problems.append(Problem(row=number, message="answers no question"))
        checked.append({"submitted_on": submitted_on, "answers": answers})
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise FileProblems(problems)
    if not checked:
        raise uploaded_tables.refusal("the file has a header but no responses")
    return checked
