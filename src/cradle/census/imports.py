"""Census answers collected elsewhere, from a CSV file or an XLSX workbook (pure: no models).

One service's answer a row. The header is `service` (the service's register reference, such as
T15; a service with none is named by its Cradle id), `respondent_role`, and any of the census's
field keys (`fields.FIELDS`: `status`, `coverage`, `staffing.clinical_psychologist`, ...), in
any order; `service_name` may be there for people to read and is not read by Cradle. Each cell
is checked by the rules of the census answer form (`forms.AnswerForm`): statuses and other
choices by key or label, WTE above 0 with at most two decimals, ages in months from 0 to 216,
yes or no, emails and web addresses, area codes Cradle knows.

A blank cell says nothing: the answer keeps the register's value there, as the web form is
pre-filled with it. So "none" is written out where an answer says there is none: `none` for a
profession's WTE removes it, and for a list (coverage, interventions, funding) empties it. A
section counts as confirmed when the row fills in a cell of it.

Every problem is named by row (the spreadsheet's own number: the header is row 1) and column,
and a file with any problem is refused whole; so is a service not in the round, one named twice,
and one that already has an answer sent in this round (`RoundServices.answered` says why).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from cradle.core import uploaded_tables
from cradle.core.spreadsheets import restore
from cradle.core.uploaded_tables import cell_text, header_problems, heading, is_blank
from cradle.outcomes.bulk.problems import FileProblems, Problem

from .fields import (
    AREAS,
    CHOICE,
    FIELDS,
    FIELDS_BY_KEY,
    MANY,
    NUMBER,
    RESPONDENT_ROLES,
    SECTION_KEYS,
    TEXT,
    WTE,
    YES_NO,
    Field,
    text_max_length,
)

SERVICE_COLUMN = "service"
NAME_COLUMN = "service_name"  # for people reading the file; Cradle does not read it
ROLE_COLUMN = "respondent_role"
FIELD_COLUMNS = tuple(field.key for field in FIELDS)
COLUMNS = (SERVICE_COLUMN, NAME_COLUMN, ROLE_COLUMN, *FIELD_COLUMNS)
NONE_WORD = "none"
LIST_SEPARATOR = ";"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1_000  # a round asks a few hundred services at most
MAX_PROBLEMS = 200
MAX_MONTHS = 216
MAX_WTE = Decimal("999")


class CellError(ValueError):
    """A cell the census cannot take; the message says what to write instead."""


@dataclass(frozen=True)
class RoundServices:
    """What the check needs to know of the round, as plain data.

    `services`: each identifier (register reference or id, lower case) -> service id, for every
    service the round asks. `answered`: service id -> why it cannot be imported ("already has
    an answer in this round, sent on 3 March 2027"). `known_areas`: of a set of area keys
    ("la:E08000035"), those Cradle holds."""

    services: Mapping[str, int]
    answered: Mapping[int, str]
    known_areas: Callable[[set[str]], set[str]]


@dataclass(frozen=True)
class ImportedAnswer:
    row: int
    service_id: int
    respondent_role: str
    values: dict  # field key -> value, only the cells filled in
    sections: tuple[str, ...]  # the sections a cell was filled in, in the census's order


def read_rows(filename: str, data: bytes) -> list[list]:
    return uploaded_tables.read_rows(filename, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                                     rows_are="answers",
                                     header_holds="the column names (service, respondent_role "
                                                  "and the census fields)")


def read_answers(filename: str, data: bytes, round_services: RoundServices
                 ) -> list[ImportedAnswer]:
    """Every answer in the file; or FileProblems naming every problem (up to MAX_PROBLEMS)."""
    return check_rows(read_rows(filename, data), round_services)


# One cell -------------------------------------------------------------------------------------

def _by_key_or_label(choices, text: str, what: str) -> str:
    wanted = text.strip().casefold()
    for key, label in choices:
        if wanted in (key.casefold(), label.casefold()):
            return key
    raise CellError(f"{text[:40]!r} is not {what}: write one of "
                    + ", ".join(key for key, _ in choices))


def _text(field: Field, text: str) -> str:
    limit = text_max_length(field.key)
    if len(text) > limit:
        raise CellError(f"is longer than {limit} characters")
    if field.key == "contact_email":
        try:
            validate_email(text)
        except ValidationError:
            raise CellError("is not an email address: write it like team@example.org") from None
    if field.key == "website":
        text = text if "://" in text else f"https://{text}"
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise CellError("is not a web address: write it like https://example.org") from None
    return text


def _number(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_MONTHS:
        raise CellError(f"write a whole number of months from 0 to {MAX_MONTHS}")
    return int(text)


def _wte(text: str) -> str | None:
    if text.casefold() == NONE_WORD:
        return None
    try:
        wte = Decimal(text)
    except InvalidOperation:
        raise CellError("write a whole-time equivalent such as 0.5 or 1.2, or none") from None
    if not wte.is_finite() or not Decimal("0.01") <= wte <= MAX_WTE:
        raise CellError(f"write a whole-time equivalent from 0.01 to {MAX_WTE}, or none for "
                        "nobody of this profession")
    if wte != wte.quantize(Decimal("0.01")):
        raise CellError("write a whole-time equivalent with at most two decimals")
    return f"{wte:.2f}"


def _yes_no(cell) -> bool | None:
    if isinstance(cell, bool):
        return cell
    words = {"yes": True, "no": False, "not known": None}
    if str(cell).strip().casefold() not in words:
        raise CellError("write yes, no or not known")
    return words[str(cell).strip().casefold()]


def _items(text: str) -> list[str]:
    return [item.strip() for line in text.splitlines() for item in line.split(LIST_SEPARATOR)
            if item.strip()]


def _many(field: Field, text: str) -> list[str]:
    if text.casefold() == NONE_WORD:
        return []
    return sorted({_by_key_or_label(field.choices, item, "one of the choices")
                   for item in _items(text)})


def _areas(text: str) -> list[str]:
    if text.casefold() == NONE_WORD:
        return []
    keys = sorted({item.split(None, 1)[0] for item in _items(text)})
    bad = [key for key in keys if ":" not in key]
    if bad:
        raise CellError(f"{bad[0][:20]!r} is not an area code: write codes as shown, such as "
                        "la:E08000035, separated by ;")
    return keys


def cell_value(field: Field, cell):
    """The value a filled-in cell gives the field, as the answer form would hold it; None for
    "not known" (which proposes nothing). Raises CellError."""
    if isinstance(cell, datetime.date):
        raise CellError("is a date; the field takes " + field.kind.replace("_", " "))
    if field.kind == YES_NO:
        return _yes_no(cell)
    text = restore(str(cell_text(cell)).strip())
    if field.kind == TEXT:
        return _text(field, text)
    if field.kind == NUMBER:
        return _number(text)
    if field.kind == WTE:
        return _wte(text)
    if field.kind == CHOICE:
        return _by_key_or_label(field.choices, text, "one of the choices")
    if field.kind == MANY:
        return _many(field, text)
    assert field.kind == AREAS
    return _areas(text)


def cell_for(field: Field, value) -> str:
    """A value as a cell of the template: what `cell_value` reads back as the same value."""
    if value is None:
        return ""
    if field.kind == YES_NO:
        return "yes" if value else "no"
    if isinstance(value, list):
        return f" {LIST_SEPARATOR} ".join(value) if value else NONE_WORD
    return str(value)


# The file ------------------------------------------------------------------------------------

def _header_problems(header: list[str]) -> list[Problem]:
    problems = header_problems(
        header, COLUMNS, unnamed="give it a census field's name, or delete it",
        unknown="unknown column: the headings are service, respondent_role and the census "
                "fields' names (download the template)")
    for required in (SERVICE_COLUMN, ROLE_COLUMN):
        if required not in header:
            problems.append(Problem(row=1, message=f"the file has no {required} column"))
    if not set(header) & set(FIELD_COLUMNS):
        problems.append(Problem(row=1, message="no column is one of the census's fields"))
    return problems


class _RowChecker:
    def __init__(self, header: list[str], round_services: RoundServices):
        self.header, self.round = header, round_services
        self.problems: list[Problem] = []
        self.first_row_of: dict[int, int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row=row, column=column, message=message))

    def service(self, number: int, cell) -> int | None:
        text = "" if is_blank(cell) else str(cell_text(cell)).strip()
        if not text:
            self.problem(number, SERVICE_COLUMN, "say which service: its register reference "
                         "(such as T15), as in the template")
            return None
        service_id = self.round.services.get(text.casefold())
        if service_id is None:
            self.problem(number, SERVICE_COLUMN, f"{text[:20]!r} is not a service this round "
                         "asks: use the references in the round's template")
        elif service_id in self.first_row_of:
            self.problem(number, SERVICE_COLUMN, "the same service as row "
                         f"{self.first_row_of[service_id]}: give each service one row")
        elif service_id in self.round.answered:
            self.problem(number, SERVICE_COLUMN, self.round.answered[service_id])
        else:
            self.first_row_of[service_id] = number
            return service_id
        return None

    def role(self, number: int, cell) -> str:
        if is_blank(cell):
            self.problem(number, ROLE_COLUMN, "say the respondent's role: one of "
                         + ", ".join(key for key, _ in RESPONDENT_ROLES))
            return ""
        try:
            return _by_key_or_label(RESPONDENT_ROLES, str(cell), "a role")
        except CellError as error:
            self.problem(number, ROLE_COLUMN, str(error))
            return ""

    def row(self, number: int, row: list) -> ImportedAnswer | None:
        cells = dict(zip(self.header, row, strict=False))
        service_id = self.service(number, cells.get(SERVICE_COLUMN))
        role = self.role(number, cells.get(ROLE_COLUMN))
        values, bad_cells = {}, False
        for key in FIELD_COLUMNS:
            cell = cells.get(key)
            if is_blank(cell):
                continue
            try:
                value = cell_value(FIELDS_BY_KEY[key], cell)
            except CellError as error:
                self.problem(number, key, str(error))
                bad_cells = True
                continue
            if value is not None or FIELDS_BY_KEY[key].kind == WTE:
                values[key] = value
        if not values and not bad_cells:
            self.problem(number, "", "answers none of the census's fields: fill in at least "
                         "one (not known says nothing)")
        if service_id is None or not role or not values:
            return None
        sections = {FIELDS_BY_KEY[key].section for key in values}
        return ImportedAnswer(row=number, service_id=service_id, respondent_role=role,
                              values=values,
                              sections=tuple(key for key in SECTION_KEYS if key in sections))

    def unknown_areas(self, answers: list[ImportedAnswer]) -> None:
        wanted = {key for answer in answers for key in answer.values.get("coverage") or []}
        known = self.round.known_areas(wanted) if wanted else set()
        for answer in answers:
            unknown = [key for key in answer.values.get("coverage") or [] if key not in known]
            if unknown:
                self.problem(answer.row, "coverage", "not an area code Cradle knows: "
                             + ", ".join(key[:20] for key in unknown[:5])
                             + " (use the codes as shown, such as la:E08000035)")


def check_rows(rows: list[list], round_services: RoundServices) -> list[ImportedAnswer]:
    """Every data row as an ImportedAnswer; or FileProblems naming every bad heading, row and
    column (up to MAX_PROBLEMS)."""
    header = [heading(cell) for cell in rows[0]]
    problems = _header_problems(header)
    if problems:
        raise FileProblems(problems)
    checker, answers = _RowChecker(header, round_services), []
    for number, row in enumerate(rows[1:], start=2):
        if all(is_blank(cell) for cell in row):
            continue
        if len(row) > len(header) and not all(is_blank(c) for c in row[len(header):]):
            checker.problem(number, "", "has more cells than there are headings")
            continue
        answer = checker.row(number, row)
        if answer is not None:
            answers.append(answer)
        if len(checker.problems) >= MAX_PROBLEMS:
            break
    checker.unknown_areas(answers)
    if checker.problems:
        raise FileProblems(sorted(checker.problems, key=lambda p: p.row)[:MAX_PROBLEMS])
    if not answers:
        raise uploaded_tables.refusal("the file has a header but no answers")
    return answers


def column_guide() -> list[tuple[str, str, str]]:
    """(heading, what it is, what to write) for every column, as the import page lists them."""
    kinds = {
        TEXT: "Text",
        NUMBER: f"A whole number of months, 0 to {MAX_MONTHS}",
        WTE: "A whole-time equivalent such as 0.6 (at most two decimals), or none",
        YES_NO: "yes, no or not known",
        AREAS: "Area codes such as la:E08000035, separated by ; (or none)",
    }
    guide = [(SERVICE_COLUMN, "The service", "Its register reference, as in the template"),
             (NAME_COLUMN, "The service's name (optional)", "Not read: for people only"),
             (ROLE_COLUMN, "Who answered, by role",
              "One of " + ", ".join(key for key, _ in RESPONDENT_ROLES))]
    for field in FIELDS:
        if field.kind in (CHOICE, MANY):
            words = ("One of " if field.kind == CHOICE else "Any of, separated by ; (or none): ") \
                + ", ".join(key for key, _ in field.choices)
        elif field.key == "contact_email":
            words = "An email address"
        elif field.key == "website":
            words = "A web address"
        else:
            words = kinds[field.kind]
        guide.append((field.key, field.label, words))
    return guide
