"""A campaign's questions as data: typed questions, validated, and what follows from them
(pure: no Django).

A campaign stores its questions as a versioned list (``{"version": 1, "questions": [...]}``),
each question a plain dict with a stable ``id``, a ``kind`` and its ``text``; a count per age
band also has its ``bands`` (``[{"from_months": 0, "to_months": 12}, ...]``). ``validate``
turns stored or submitted data into ``TypedQuestion``s, or raises ``QuestionDataError`` naming
every problem by question number and field.

Each question gives one or more *answer fields*, the unit everything else follows: a column of
the responses CSV, a field of the answer form and a line of the analysis. A yes/no, count or
text question has one field named by its id; a count per age band has one per band, named
``<id>_<band id>`` (``referred_0_12m``). An answer to a field is a *cell*: ``{"status":
"answered", "value": ...}``, ``{"status": "not_known"}`` or ``{"status": "refused"}``; a field
left out was not answered. A count that is not known is never 0.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cradle.core.spreadsheets import neutralise

__all__ = ["BASE_COLUMNS", "KIND_WORDS", "VERSION", "AgeBand", "AnswerField", "AnswerStatus",
           "QuestionDataError", "QuestionKind", "TypedQuestion", "answer_fields",
           "check_answers", "column_guide", "format_bands", "parse_bands", "preset_data",
           "question_lines", "responses_header", "to_data", "validate", "write_answers_csv"]

VERSION = 1
MAX_QUESTIONS = 60
MAX_TEXT = 1000
MAX_BANDS = 12
MAX_MONTHS = 12 * 19  # up to the 19th birthday, the oldest CAMHS age
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
BAND_TEXT = re.compile(r"\s*([0-9]+)\s*(?:-|–|to)\s*([0-9]+)\s*")

#: The columns every responses file starts with, before the questions' columns.
BASE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("respondent_code", "text", "the ODS code of the body that answered"),
    ("respondent_type", "ccg or trust", "ccg for a commissioner, trust for a provider"),
    ("received_on", "date", "the day the answer arrived, YYYY-MM-DD"),
)
COMMENT_COLUMN = ("comment", "text", "anything else the body said, exactly as written")


class QuestionKind(StrEnum):
    YES_NO = "yes_no"
    COUNT = "count"
    AGE_BAND_COUNT = "age_band_count"
    TEXT = "text"


KIND_WORDS = {
    QuestionKind.YES_NO: "Yes or no",
    QuestionKind.COUNT: "A count (a whole number of 0 or more)",
    QuestionKind.AGE_BAND_COUNT: "A count for each age band",
    QuestionKind.TEXT: "Text",
}


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    NOT_KNOWN = "not_known"
    REFUSED = "refused"


STATUS_WORDS = {AnswerStatus.NOT_KNOWN: "not known", AnswerStatus.REFUSED: "refused"}


class QuestionDataError(ValueError):
    """Questions that ``validate`` refuses; ``problems`` names each, by question and field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class AgeBand:
    """Ages from the ``from_months`` birthday up to, not including, the ``to_months`` one."""

    from_months: int
    to_months: int

    @property
    def id(self) -> str:
        return f"{self.from_months}_{self.to_months}m"

    @property
    def label(self) -> str:
        return f"aged {self.from_months} to {self.to_months} months"


@dataclass(frozen=True)
class TypedQuestion:
    id: str
    kind: QuestionKind
    text: str
    bands: tuple[AgeBand, ...] = ()
    # An age-band question's total: the id of the count question its bands are part of (the
    # bands together may not exceed it: answer_rules).
    part_of: str = ""


@dataclass(frozen=True)
class AnswerField:
    """One answer a body gives: a CSV column, a form field, a line of the analysis."""

    name: str
    number: int  # the question's number, from 1
    question: TypedQuestion
    band: AgeBand | None = None

    @property
    def value_kind(self) -> QuestionKind:
        """What one cell holds: an age band's cell is a count."""
        if self.question.kind == QuestionKind.AGE_BAND_COUNT:
            return QuestionKind.COUNT
        return self.question.kind

    @property
    def label(self) -> str:
        base = f"Question {self.number}"
        return f"{base}, {self.band.label}" if self.band else base


def parse_bands(text: str) -> tuple[AgeBand, ...]:
    """Bands written ``0-12, 12-24, 24-36`` (months); ValueError saying what is wrong."""
    bands = []
    for part in (piece for piece in re.split(r"[,;\n]", text) if piece.strip()):
        match = BAND_TEXT.fullmatch(part)
        if not match:
            raise ValueError(f"“{part.strip()}” is not an age band written as months from-to, "
                             "like 0-12")
        bands.append(AgeBand(int(match.group(1)), int(match.group(2))))
    return tuple(bands)


def format_bands(bands: Iterable[AgeBand]) -> str:
    return ", ".join(f"{band.from_months}-{band.to_months}" for band in bands)


def _band_problems(where: str, bands: Sequence[AgeBand]) -> list[str]:
    if not bands:
        return [f"{where}: give at least one age band, like 0-12, 12-24"]
    if len(bands) > MAX_BANDS:
        return [f"{where}: give at most {MAX_BANDS} age bands"]
    problems = []
    for band in bands:
        if not 0 <= band.from_months < band.to_months <= MAX_MONTHS:
            problems.append(f"{where}: the band {band.from_months}-{band.to_months} must go "
                            f"from a younger to an older age, within 0 to {MAX_MONTHS} months")
    for earlier, later in zip(bands, bands[1:], strict=False):
        if later.from_months < earlier.to_months:
            problems.append(f"{where}: the bands {earlier.from_months}-{earlier.to_months} and "
                            f"{later.from_months}-{later.to_months} overlap or are out of "
                            "order; give them youngest first, each starting where the one "
                            "before ends or later")
    return problems


def validate(data: object) -> list[TypedQuestion]:
    """The questions in stored or submitted data, checked; QuestionDataError lists every
    problem, each naming the question by number and the field."""
    if not isinstance(data, Mapping) or data.get("version") != VERSION:
        raise QuestionDataError([f"the questions must be a version {VERSION} question list"])
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise QuestionDataError(["add at least one question"])
    if len(items) > MAX_QUESTIONS:
        raise QuestionDataError([f"a campaign can ask at most {MAX_QUESTIONS} questions"])
    problems: list[str] = []
    questions: list[TypedQuestion] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"Question {number}"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: not a question")
            continue
        question_id = item.get("id")
        if not isinstance(question_id, str) or not QUESTION_ID.fullmatch(question_id):
            problems.append(f"{where}, id: “{question_id}” must start with a lower-case letter "
                            "and use only lower-case letters, digits and _ (at most 40)")
        elif question_id in seen:
            problems.append(f"{where}, id: “{question_id}” is used by an earlier question")
        else:
            seen.add(question_id)
        where = f"Question {number} ({question_id})" if isinstance(question_id, str) else where
        try:
            kind = QuestionKind(item.get("kind"))
        except ValueError:
            problems.append(f"{where}, type: choose yes or no, a count, a count for each age "
                            "band, or text")
            kind = None
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}, wording: enter the question")
        elif len(text) > MAX_TEXT:
            problems.append(f"{where}, wording: at most {MAX_TEXT} characters")
        bands: tuple[AgeBand, ...] = ()
        raw_bands = item.get("bands", [])
        if kind == QuestionKind.AGE_BAND_COUNT:
            try:
                bands = tuple(AgeBand(int(b["from_months"]), int(b["to_months"]))
                              for b in raw_bands)
            except (KeyError, TypeError, ValueError):
                problems.append(f"{where}, age bands: each band needs from and to months")
            else:
                problems.extend(_band_problems(f"{where}, age bands", bands))
        elif raw_bands:
            problems.append(f"{where}, age bands: only a count for each age band has bands")
        part_of = item.get("part_of", "")
        if part_of and kind != QuestionKind.AGE_BAND_COUNT:
            problems.append(f"{where}, part of: only a count for each age band can be part of "
                            "another question's total")
            part_of = ""
        elif not isinstance(part_of, str):
            problems.append(f"{where}, part of: give the id of a count question")
            part_of = ""
        if kind is not None and isinstance(text, str) and isinstance(question_id, str):
            questions.append(TypedQuestion(question_id, kind, text.strip(), bands, part_of))
    kinds = {question.id: question.kind for question in questions}
    for number, question in enumerate(questions, start=1):
        if question.part_of and kinds.get(question.part_of) != QuestionKind.COUNT:
            problems.append(f"Question {number} ({question.id}), part of: “{question.part_of}” "
                            "is not the id of a count question of this campaign")
    names = [field.name for field in answer_fields(questions)]
    clashes = sorted({name for name in names if names.count(name) > 1})
    problems.extend(f"the column {name} would come from two questions: change an id"
                    for name in clashes)
    if problems:
        raise QuestionDataError(problems)
    return questions


def to_data(questions: Iterable[TypedQuestion]) -> dict:
    """The stored form of questions (the inverse of ``validate``)."""
    items = []
    for question in questions:
        item = {"id": question.id, "kind": str(question.kind), "text": question.text}
        if question.bands:
            item["bands"] = [{"from_months": b.from_months, "to_months": b.to_months}
                             for b in question.bands]
        if question.part_of:
            item["part_of"] = question.part_of
        items.append(item)
    return {"version": VERSION, "questions": items}


def preset_data(question_set) -> dict:
    """A preset (questions.QuestionSet) as question data, its keys kept as the ids."""
    return to_data(TypedQuestion(q.key, QuestionKind(q.answer), q.text)
                   for q in question_set.questions)


def answer_fields(questions: Iterable[TypedQuestion]) -> list[AnswerField]:
    fields = []
    for number, question in enumerate(questions, start=1):
        if question.kind == QuestionKind.AGE_BAND_COUNT:
            fields.extend(AnswerField(f"{question.id}_{band.id}", number, question, band)
                          for band in question.bands)
        else:
            fields.append(AnswerField(question.id, number, question))
    return fields


def responses_header(questions: Iterable[TypedQuestion]) -> tuple[str, ...]:
    """The responses CSV header: the base columns, one per answer field, then comment."""
    return (*(name for name, _, _ in BASE_COLUMNS),
            *(field.name for field in answer_fields(questions)), COMMENT_COLUMN[0])


_CELL_WORDS = {
    QuestionKind.YES_NO: "yes or no",
    QuestionKind.COUNT: "a whole number of 0 or more",
    QuestionKind.TEXT: "text",
}


def column_guide(questions: Sequence[TypedQuestion]) -> list[tuple[str, str, str]]:
    """Each column of the responses CSV, in order: (name, type, meaning)."""
    rows = list(BASE_COLUMNS)
    for field in answer_fields(questions):
        meaning = f"{field.label}: {field.question.text}"
        if field.band:
            meaning += f" ({field.band.label})"
        rows.append((field.name, f"{_CELL_WORDS[field.value_kind]}, “not known”, “refused” "
                                 "or empty for not answered", meaning))
    rows.append(COMMENT_COLUMN)
    return rows


def question_lines(questions: Iterable[TypedQuestion]) -> list[str]:
    """Each question as the letter asks it; an age-band count names its bands."""
    lines = []
    for question in questions:
        line = question.text
        if question.bands:
            line += " Please give a number for each age band: " + "; ".join(
                band.label for band in question.bands) + "."
        lines.append(line)
    return lines


def check_answers(questions: Sequence[TypedQuestion], answers: object) -> list[str]:
    """Every problem with a set of answers (answer field name -> cell); [] if it is fine."""
    if not isinstance(answers, Mapping):
        return ["the answers must be a mapping of answer fields to cells"]
    fields = {field.name: field for field in answer_fields(questions)}
    problems = [f"{name}: not a field of this campaign's questions"
                for name in answers if name not in fields]
    for name, cell in answers.items():
        field = fields.get(name)
        if field is None:
            continue
        where = f"{field.label} ({name})"
        if not isinstance(cell, Mapping) or cell.get("status") not in set(AnswerStatus):
            problems.append(f"{where}: the status must be answered, not known or refused")
            continue
        if cell["status"] != AnswerStatus.ANSWERED:
            if "value" in cell:
                problems.append(f"{where}: an answer that is {STATUS_WORDS[cell['status']]} "
                                "has no value")
            continue
        value = cell.get("value")
        kind = field.value_kind
        if kind == QuestionKind.YES_NO and type(value) is not bool:
            problems.append(f"{where}: the answer must be yes or no")
        elif kind == QuestionKind.COUNT and (type(value) is not int or value < 0):
            problems.append(f"{where}: the answer must be a whole number of 0 or more")
        elif kind == QuestionKind.TEXT and (type(value) is not str or not value.strip()):
            problems.append(f"{where}: the answer must be some text")
    return problems


def format_cell(cell: Mapping | None) -> str:
    """A cell as the responses CSV writes it (before spreadsheet neutralising)."""
    if not cell:
        return ""
    if cell["status"] != AnswerStatus.ANSWERED:
        return STATUS_WORDS[AnswerStatus(cell["status"])]
    value = cell["value"]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_answers_csv(questions: Sequence[TypedQuestion], rows: Iterable[tuple]) -> str:
    """The responses file of a campaign with its own questions: ``responses_header`` first,
    then one line per (respondent_code, respondent_type, received_on, answers, comment).
    Text a spreadsheet would run as a formula is neutralised (cradle.core.spreadsheets)."""
    fields = answer_fields(questions)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(responses_header(questions))
    for code, kind, received_on, answers, comment in rows:
        writer.writerow([neutralise(code), neutralise(kind), received_on.isoformat(),
                         *(neutralise(format_cell(answers.get(field.name)))
                           for field in fields),
                         neutralise(comment)])
    return out.getvalue()
