"""Survey responses collected elsewhere, from a CSV file or an XLSX workbook (pure: no Django).

One row per response; the header is the survey's question ids (any order, every one
optional), plus an optional `submitted_on` (a date, YYYY-MM-DD or DD/MM/YYYY; blank means
the day of the import). Each cell is checked by the same `questions.check_answer` as the web
form; every problem is named by row (the spreadsheet's own number: the header is row 1) and
column, and a file with any problem is refused whole. Workbooks are checked before parsing as
the outcomes import checks them (`outcomes.bulk.limits.check_archive`).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping

from cradle.outcomes.bulk.limits import check_archive
from cradle.outcomes.bulk.problems import FileProblems, Problem

from .questions import AnswerError, Question, check_answer

DATE_COLUMN = "submitted_on"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_PROBLEMS = 200


def _refuse(message: str) -> FileProblems:
    return FileProblems([Problem(message=message)])


def read_rows(filename: str, data: bytes) -> list[list]:
    """The file's rows as lists of cells, header first."""
    if len(data) > MAX_BYTES:
        raise _refuse(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".xlsx"):
        return _xlsx_rows(data)
    raise _refuse("upload a CSV file (.csv) or an Excel workbook (.xlsx)")


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise _refuse("the file holds NUL characters: save it again as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("the file is not UTF-8 text: save it from Excel as CSV UTF-8") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise _refuse(f"the file is not CSV Cradle can read ({error})") from None
    return _capped(rows)


def _xlsx_rows(data: bytes) -> list[list]:
    check_archive(data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser failure on a hostile file is a refusal
        raise _refuse("the file is not an Excel workbook Cradle can read: save it as .xlsx, "
                      "or as CSV UTF-8") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return _capped(list(row) for row in sheet.iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _refuse("the workbook's first sheet cannot be read: save it again as .xlsx, or "
                      "as CSV UTF-8") from None
    finally:
        book.close()


def _capped(rows: Iterable[list]) -> list[list]:
    out = []
    for row in rows:
        if len(out) > MAX_ROWS:
            raise _refuse(f"the file has more than {MAX_ROWS:,} responses: split it")
        out.append(list(row))
    while out and all(_blank(cell) for cell in out[-1]):
        out.pop()
    if not out:
        raise _refuse("the file is empty: its first row must hold the question ids")
    return out


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _heading(cell) -> str:
    return "" if cell is None else str(cell).strip().lower()


def _date(cell, today: datetime.date) -> str:
    if _blank(cell):
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


def _cell_text(cell):
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return cell


def check_rows(rows: list[list], questions: list[Question], *,
               area_codes: Mapping[str, str], today: datetime.date) -> list[dict]:
    """Every data row as {"submitted_on": ISO date, "answers": {question id: value}}; or
    FileProblems naming every bad heading, row and column (up to MAX_PROBLEMS)."""
    header = [_heading(cell) for cell in rows[0]]
    by_id = {q.id: q for q in questions}
    problems = []
    seen = set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(row=1, message=f"column {position} has no heading: give "
                                    "it a question id, or delete it"))
        elif name in seen:
            problems.append(Problem(row=1, column=name, message="the column appears twice"))
        elif name not in by_id and name != DATE_COLUMN:
            problems.append(Problem(row=1, column=name, message="unknown column: the headings "
                                    "are this survey's question ids: " + ", ".join(by_id)))
        seen.add(name)
    if not set(header) & set(by_id):
        problems.append(Problem(row=1, message="no column is one of this survey's question ids"))
    if problems:
        raise FileProblems(problems)
    checked = []
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(cell) for cell in row):
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
                    answers[name] = check_answer(by_id[name], _cell_text(cell),
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
        raise _refuse("the file has a header but no responses")
    return checked
