"""Question sets as versioned data, and the check of one answer (pure: no Django imports).

A question set is a JSON file in `data/question_sets/` named `<key>.v<version>.json`. A
question's `id` is stable: the same id means the same question in every version and every
year, which is what lets results be compared year on year; a question whose meaning changes
gets a new id. Kinds: `single` (one choice), `multiple` (any choices), `number` (a whole
number within bounds), `text` (free text) and `area` (an area of one geography scheme).

A survey keeps its own copy of the questions it asks (`Question.as_data`), so a later edit of
a file never changes what an open or past survey asked. See docs/adr/0025-survey-of-professionals.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SINGLE, MULTIPLE, NUMBER, TEXT, AREA = "single", "multiple", "number", "text", "area"
KINDS = (SINGLE, MULTIPLE, NUMBER, TEXT, AREA)
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DATA_DIR = Path(__file__).resolve().parent / "data" / "question_sets"
LIST_SEPARATOR = ";"


class QuestionSetError(ValueError):
    pass


class AnswerError(ValueError):
    """An answer that cannot be taken; the message never repeats free text."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    scheme: str = ""          # area questions: the geography scheme of the areas offered
    minimum: int = 0          # number questions
    maximum: int = 1_000_000
    max_length: int = 2000    # text questions
    origin: str = "example"   # where the wording comes from

    @property
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.choices)

    def label_of(self, key: str) -> str:
        return dict(self.choices).get(key, key)

    def as_data(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "text": self.text, "hint": self.hint,
                "origin": self.origin}
        if self.kind in (SINGLE, MULTIPLE):
            data["choices"] = [list(choice) for choice in self.choices]
        if self.kind == AREA:
            data["scheme"] = self.scheme
        if self.kind == NUMBER:
            data |= {"minimum": self.minimum, "maximum": self.maximum}
        if self.kind == TEXT:
            data["max_length"] = self.max_length
        return data


@dataclass(frozen=True)
class QuestionSet:
    key: str
    version: int
    title: str
    source: str
    questions: tuple[Question, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def question_from(data: Mapping, where: str = "question") -> Question:
    if not isinstance(data, Mapping):
        raise QuestionSetError(f"{where}: must be an object")
    qid = data.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        raise QuestionSetError(f"{where}: id {qid!r} must be lower-case letters, digits and _")
    kind = data.get("kind")
    if kind not in KINDS:
        raise QuestionSetError(f"{where} {qid}: kind {kind!r} is not one of {', '.join(KINDS)}")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise QuestionSetError(f"{where} {qid}: has no text")
    choices = tuple((str(key), str(label)) for key, label in data.get("choices", ()))
    if kind in (SINGLE, MULTIPLE):
        keys = [key for key, _ in choices]
        if len(keys) < 2 or len(set(keys)) != len(keys):
            raise QuestionSetError(f"{where} {qid}: needs two or more choices, each key once")
    if kind == AREA and not data.get("scheme"):
        raise QuestionSetError(f"{where} {qid}: an area question names its scheme")
    question = Question(
        id=qid, kind=kind, text=text.strip(), hint=str(data.get("hint", "")), choices=choices,
        scheme=str(data.get("scheme", "")), minimum=int(data.get("minimum", 0)),
        maximum=int(data.get("maximum", 1_000_000)),
        max_length=int(data.get("max_length", 2000)), origin=str(data.get("origin", "example")))
    if question.minimum > question.maximum:
        raise QuestionSetError(f"{where} {qid}: minimum is above maximum")
    return question


def questions_from(items: Iterable[Mapping]) -> tuple[Question, ...]:
    questions = tuple(question_from(item, f"question {n}") for n, item in enumerate(items, 1))
    ids = [q.id for q in questions]
    repeated = sorted({qid for qid in ids if ids.count(qid) > 1})
    if repeated:
        raise QuestionSetError(f"question ids appear more than once: {', '.join(repeated)}")
    if sum(q.kind == AREA for q in questions) > 1:
        raise QuestionSetError("a survey asks at most one area question")
    return questions


def parse_question_set(data: Mapping) -> QuestionSet:
    try:
        key, version = str(data["key"]), int(data["version"])
        return QuestionSet(key=key, version=version, title=str(data["title"]),
                           source=str(data.get("source", "")),
                           questions=questions_from(data["questions"]))
    except (KeyError, TypeError) as error:
        raise QuestionSetError(f"question set is missing {error}") from None


def shipped_sets(directory: Path = DATA_DIR) -> dict[tuple[str, int], QuestionSet]:
    """Every shipped question set by (key, version). A question id kept across versions must
    keep its kind and, for choice questions, every choice key it had."""
    sets: dict[tuple[str, int], QuestionSet] = {}
    for path in sorted(directory.glob("*.json")):
        qs = parse_question_set(json.loads(path.read_text(encoding="utf-8")))
        if path.name != f"{qs.key}.v{qs.version}.json":
            raise QuestionSetError(f"{path.name}: name it {qs.key}.v{qs.version}.json")
        sets[(qs.key, qs.version)] = qs
    _check_stable_ids(sets)
    return sets


def _check_stable_ids(sets: Mapping[tuple[str, int], QuestionSet]) -> None:
    first_seen: dict[str, tuple[QuestionSet, Question]] = {}
    for qs in sorted(sets.values(), key=lambda s: (s.key, s.version)):
        for question in qs.questions:
            earlier = first_seen.setdefault(question.id, (qs, question))
            old = earlier[1]
            if old.kind != question.kind or not set(old.choice_keys) <= set(
                    question.choice_keys):
                raise QuestionSetError(
                    f"question {question.id} of {qs.label} changes the kind or drops choices "
                    f"of {earlier[0].label}: give it a new id")


# Checking one answer ---------------------------------------------------------------------

def check_answer(question: Question, raw, *, area_codes: Mapping[str, str] | None = None):
    """The stored value of one answer, or None when it is left blank; AnswerError otherwise.

    `raw` is the text typed (a CSV cell), or for a multiple-choice question a list of keys
    (a web form) or keys joined by ";" (a file). Choices are matched by key or label, in any
    case. `area_codes` maps each area code the question offers to its nation."""
    if isinstance(raw, list | tuple):
        values = [str(v).strip() for v in raw if str(v).strip()]
        text = LIST_SEPARATOR.join(values)
    else:
        text = "" if raw is None else str(raw).strip()
        values = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    if not text:
        return None
    if question.kind == SINGLE:
        return _choice(question, text)
    if question.kind == MULTIPLE:
        keys = [_choice(question, value) for value in values]
        return [key for key in question.choice_keys if key in keys]
    if question.kind == NUMBER:
        return _number(question, text)
    if question.kind == AREA:
        code = text.upper()
        if area_codes is None or code not in area_codes:
            raise AnswerError(f"{text[:12]!r} is not the code of an area this question offers")
        return code
    if len(text) > question.max_length:
        raise AnswerError(f"is {len(text)} characters long; at most {question.max_length}")
    _refuse_contact_details(text)
    return text


# An anonymous answer must not carry what would name its writer or a family: contact details
# are refused (a name cannot be recognised by a rule; the hint asks for none). The message
# never repeats the text.
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_PHONE_OR_NHS_NUMBER = re.compile(r"\d(?:[\s\-./]?\d){8,}", re.ASCII)
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)


def _refuse_contact_details(text: str) -> None:
    for pattern, what in ((_EMAIL, "an email address"),
                          (_PHONE_OR_NHS_NUMBER, "a long number (a phone or NHS number?)"),
                          (_FULL_POSTCODE, "a postcode")):
        if pattern.search(text):
            raise AnswerError(f"contains {what}: answers are anonymous, so leave it out")


def _choice(question: Question, text: str) -> str:
    wanted = text.casefold()
    for key, label in question.choices:
        if wanted in (key.casefold(), label.casefold()):
            return key
    raise AnswerError(f"{text[:40]!r} is not one of: {', '.join(question.choice_keys)}")


def _number(question: Question, text: str) -> int:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise AnswerError(f"{text[:20]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")) or value != int(value):
        raise AnswerError(f"{text[:20]!r} is not a whole number")
    value = int(value)
    if not question.minimum <= value <= question.maximum:
        raise AnswerError(f"must be from {question.minimum} to {question.maximum}")
    return value
