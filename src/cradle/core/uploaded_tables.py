"""An uploaded CSV file or XLSX workbook read as rows of cells (pure: no Django).

Shared by the imports of survey responses (`surveys.imports`) and census answers
(`census.imports`): the size and row limits, UTF-8 and NUL checks, the archive check of a
workbook before openpyxl opens it (`outcomes.bulk.limits.check_archive`), and the words for
each refusal. Every refusal is a `FileProblems` a page can show as it is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Collection, Iterable

from cradle.outcomes.bulk.limits import check_archive
from cradle.outcomes.bulk.problems import FileProblems, Problem


def refusal(message: str) -> FileProblems:
    """The whole file refused, for one reason that belongs to no row."""
    return FileProblems([Problem(message=message)])


def read_rows(filename: str, data: bytes, *, max_bytes: int, max_rows: int, rows_are: str,
              header_holds: str) -> list[list]:
    """The file's rows as lists of cells, header first, trailing blank rows dropped.

    `rows_are` names what a data row is ("responses"), `header_holds` what the first row
    must hold ("the question ids"), for the refusals' words."""
    if len(data) > max_bytes:
        raise refusal(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    def capped(rows: Iterable[list]) -> list[list]:
        return _capped(rows, max_rows=max_rows, rows_are=rows_are, header_holds=header_holds)

    name = filename.lower()
    if name.endswith(".csv"):
        return capped(_csv_rows(data))
    if name.endswith(".xlsx"):
        return _xlsx_rows(data, capped)
    raise refusal("upload a CSV file (.csv) or an Excel workbook (.xlsx)")


def _csv_rows(data: bytes) -> Iterable[list]:
    if b"\x00" in data:
        raise refusal("the file holds NUL characters: save it again as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refusal("the file is not UTF-8 text: save it from Excel as CSV UTF-8") from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise refusal(f"the file is not CSV Cradle can read ({error})") from None


def _xlsx_rows(data: bytes, capped: Callable[[Iterable[list]], list[list]]) -> list[list]:
    check_archive(data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser failure on a hostile file is a refusal
        raise refusal("the file is not an Excel workbook Cradle can read: save it as .xlsx, "
                      "or as CSV UTF-8") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        # Capped while reading: a sheet of too many rows stops at the first one too many.
        return capped(list(row) for row in sheet.iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise refusal("the workbook's first sheet cannot be read: save it again as .xlsx, or "
                      "as CSV UTF-8") from None
    finally:
        book.close()


def _capped(rows: Iterable[list], *, max_rows: int, rows_are: str,
            header_holds: str) -> list[list]:
    out = []
    for row in rows:
        if len(out) > max_rows:
            raise refusal(f"the file has more than {max_rows:,} {rows_are}: split it")
        out.append(list(row))
    while out and all(is_blank(cell) for cell in out[-1]):
        out.pop()
    if not out:
        raise refusal(f"the file is empty: its first row must hold {header_holds}")
    return out


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def heading(cell) -> str:
    """A header cell as a column name: trimmed, lower case."""
    return "" if cell is None else str(cell).strip().lower()


def header_problems(header: list[str], known: Collection[str], *, unnamed: str,
                    unknown: str) -> list[Problem]:
    """A header row's problems: a column with no heading ("column N has no heading: " +
    `unnamed`), a heading twice, a heading not in `known` (`unknown`)."""
    problems, seen = [], set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(row=1, message=f"column {position} has no heading: "
                                    + unnamed))
        elif name in seen:
            problems.append(Problem(row=1, column=name, message="the column appears twice"))
        elif name not in known:
            problems.append(Problem(row=1, column=name, message=unknown))
        seen.add(name)
    return problems


def cell_text(cell):
    """A whole number a workbook stored as a float (3.0) as the text a person typed ("3")."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return cell
