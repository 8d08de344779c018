"""Record-level FOI responses about CAMHS for children aged 2 and under, as CSV (pure: no Django).

One row is one respondent's answer about one 2019 CCG area. The first row is this header,
exactly, in this order (``HEADER``)::

    respondent_code,respondent_type,area_code,received_on,accepts_0_12m,accepts_12_24m,
    accepts_24_36m,referred_0_12m,referred_12_24m,referred_24_36m,referred_0_18,
    accessed_0_12m,accessed_12_24m,accessed_24_36m,accessed_0_18,comment

- ``respondent_code``: the ODS code of whoever answered (letters and digits).
- ``respondent_type``: ``ccg`` or ``trust`` (a mental health trust).
- ``area_code``: the ODS code of the 2019 CCG the answer describes; it must be a known code.
- ``received_on``: the day the answer arrived, ``YYYY-MM-DD``.
- ``accepts_*``: does CAMHS take referrals of children in that age band: ``yes``, ``no``, or
  empty for not answered.
- ``referred_*`` and ``accessed_*``: children referred to / who accessed the service, by age band
  and in total aged 0-18: a whole number of 0 or more, or empty for not provided.
- ``comment``: free text, kept exactly as written. When written, a comment a spreadsheet would
  run as a formula (starting with =, +, -, @, a tab or a carriage return) gets an apostrophe in
  front (``cradle.core.spreadsheets.neutralise``), and reading takes it off again.

Values other than the comment may have spaces around them; ``yes``, ``no``, ``ccg`` and ``trust``
must be lower case. Rows are numbered as in a spreadsheet: the header is row 1. A file with any
bad row is rejected whole: ``parse_responses`` collects every problem, each naming its row and
column, and raises one ``ResponsesFileError``. Rows whose age bands add up to more than the
matching 0-18 total (answer_rules.problems_2019) are read but flagged in
``ParsedResponses.warnings``; importing them needs a person's confirmation with a note.

``write_responses`` writes the same format (``\\n`` line endings, quoting only where needed), so
``parse_responses(write_responses(rows), codes).rows == tuple(rows)``, and a file written that
way reads back and writes out again byte for byte.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable
from dataclasses import asdict, astuple, dataclass
from datetime import date
from enum import StrEnum

from cradle.core.spreadsheets import neutralise, restore

from .answer_rules import problems_2019

__all__ = [
    "ACCEPTS_FIELDS",
    "ANSWER_FIELDS",
    "BANDS",
    "COUNT_FIELDS",
    "HEADER",
    "ParsedResponses",
    "RespondentType",
    "ResponseRow",
    "ResponsesFileError",
    "parse_responses",
    "write_responses",
]

HEADER: tuple[str, ...] = (
    "respondent_code", "respondent_type", "area_code", "received_on",
    "accepts_0_12m", "accepts_12_24m", "accepts_24_36m",
    "referred_0_12m", "referred_12_24m", "referred_24_36m", "referred_0_18",
    "accessed_0_12m", "accessed_12_24m", "accessed_24_36m", "accessed_0_18",
    "comment",
)
BANDS: tuple[str, ...] = ("0_12m", "12_24m", "24_36m")
ACCEPTS_FIELDS: tuple[str, ...] = tuple(f"accepts_{band}" for band in BANDS)
COUNT_FIELDS: tuple[str, ...] = tuple(
    f"{measure}_{band}" for measure in ("referred", "accessed") for band in (*BANDS, "0_18"))
ANSWER_FIELDS: tuple[str, ...] = ACCEPTS_FIELDS + COUNT_FIELDS

WHOLE_NUMBER = re.compile(r"[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ODS_CODE = re.compile(r"[A-Za-z0-9]+")
YES_NO = {"yes": True, "no": False, "": None}


class RespondentType(StrEnum):
    CCG = "ccg"
    TRUST = "trust"


@dataclass(frozen=True)
class ResponseRow:
    """One answer, typed: ``None`` means the question was not answered or the count not given."""

    respondent_code: str
    respondent_type: RespondentType
    area_code: str
    received_on: date
    accepts_0_12m: bool | None = None
    accepts_12_24m: bool | None = None
    accepts_24_36m: bool | None = None
    referred_0_12m: int | None = None
    referred_12_24m: int | None = None
    referred_24_36m: int | None = None
    referred_0_18: int | None = None
    accessed_0_12m: int | None = None
    accessed_12_24m: int | None = None
    accessed_24_36m: int | None = None
    accessed_0_18: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class ParsedResponses:
    rows: tuple[ResponseRow, ...]
    warnings: tuple[str, ...]


class ResponsesFileError(ValueError):
    """The file was rejected; ``errors`` names every bad row and column found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        count = len(self.errors)
        heading = f"the responses file has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *(f"  {error}" for error in self.errors)]))


def parse_responses(text_or_lines: str | Iterable[str],
                    known_area_codes: Collection[str]) -> ParsedResponses:
    """Read and check a whole file; raise ``ResponsesFileError`` listing every problem."""
    lines = (io.StringIO(text_or_lines, newline="") if isinstance(text_or_lines, str)
             else text_or_lines)
    reader = csv.reader(lines, strict=True)
    rows: list[ResponseRow] = []
    warnings: list[str] = []
    errors: list[str] = []
    last = 0  # the number of the last row read
    try:
        header = next(reader, None)
        if header is None:
            raise ResponsesFileError(
                [f"row 1: the file is empty; it must start with the header {','.join(HEADER)}"])
        header_error = _check_header(header)
        if header_error:
            raise ResponsesFileError([header_error])
        last = 1
        for number, record in enumerate(reader, start=2):
            last = number
            if not record:  # a blank line
                continue
            row = _parse_row(number, record, known_area_codes, errors)
            if row is not None:
                rows.append(row)
                warnings.extend(_flags(number, row))
    except csv.Error as error:
        errors.append(f"row {last + 1}: not readable as CSV ({error})")
    if errors:
        raise ResponsesFileError(errors)
    return ParsedResponses(tuple(rows), tuple(warnings))


def write_responses(rows: Iterable[ResponseRow]) -> str:
    """The rows as a responses file, header first, in the format ``parse_responses`` reads."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(_format(value) for value in astuple(row))
    return out.getvalue()


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _check_header(header: list[str]) -> str | None:
    found = [name.strip() for name in header]
    if found and found[0].startswith("\ufeff"):
        found[0] = found[0][1:]
    if tuple(found) == HEADER:
        return None
    missing = [name for name in HEADER if name not in found]
    unexpected = [name for name in found if name not in HEADER]
    details = []
    if missing:
        details.append("missing " + ", ".join(repr(name) for name in missing))
    if unexpected:
        details.append("unexpected " + ", ".join(repr(name) for name in unexpected))
    if not details:
        details.append("columns in the wrong order or repeated")
    return (f"row 1: the header must be exactly {','.join(HEADER)} ({'; '.join(details)})")


def _parse_row(number: int, record: list[str], known_area_codes: Collection[str],
               errors: list[str]) -> ResponseRow | None:
    if len(record) != len(HEADER):
        errors.append(f"row {number}: expected {len(HEADER)} columns, found {len(record)}")
        return None
    raw = dict(zip(HEADER, record, strict=True))
    values: dict[str, object] = {"comment": restore(raw.pop("comment"))}
    before = len(errors)

    def bad(column: str, problem: str) -> None:
        errors.append(f"row {number}, column {column!r}: {raw[column].strip()!r} {problem}")

    code = raw["respondent_code"].strip()
    if not ODS_CODE.fullmatch(code):
        bad("respondent_code", "is not an ODS code (letters and digits)")
    values["respondent_code"] = code

    kind = raw["respondent_type"].strip()
    if kind not in {t.value for t in RespondentType}:
        bad("respondent_type", "is not a respondent type (ccg or trust)")
    else:
        values["respondent_type"] = RespondentType(kind)

    area = raw["area_code"].strip()
    if area not in known_area_codes:
        bad("area_code", "is not a known 2019 CCG area code")
    values["area_code"] = area

    received = raw["received_on"].strip()
    try:
        if not ISO_DATE.fullmatch(received):
            raise ValueError(received)
        values["received_on"] = date.fromisoformat(received)
    except ValueError:
        bad("received_on", "is not a real date written YYYY-MM-DD")

    for column in ACCEPTS_FIELDS:
        answer = raw[column].strip()
        if answer not in YES_NO:
            bad(column, "is not yes, no or empty")
        else:
            values[column] = YES_NO[answer]

    for column in COUNT_FIELDS:
        count = raw[column].strip()
        if count and not WHOLE_NUMBER.fullmatch(count):
            bad(column, "is not a whole number of 0 or more")
        else:
            values[column] = int(count) if count else None

    if len(errors) > before:
        return None
    return ResponseRow(**values)


def _flags(number: int, row: ResponseRow) -> list[str]:
    return [f"row {number}: {problem}; check the row (it is still used)"
            for problem in problems_2019(asdict(row))]
