"""Impossible answers (cradle.foi.answer_rules), over plain data tables."""

import datetime

import pytest

from cradle.foi.answer_rules import part_of_problems, problems_2019, reply_before_letter
from cradle.foi.question_data import QuestionDataError, validate

SENT = datetime.date(2026, 5, 11)


@pytest.mark.parametrize(("received", "refused"), [
    (SENT - datetime.timedelta(days=1), True),
    (SENT, False),  # a reply the day the letter went out is possible (an email)
    (SENT + datetime.timedelta(days=30), False),
])
def test_a_reply_cannot_arrive_before_its_letter(received, refused):
    assert bool(reply_before_letter(received, SENT)) is refused


def test_an_unsent_letter_has_no_date_to_compare():
    assert reply_before_letter(SENT, None) is None


@pytest.mark.parametrize(("values", "flagged"), [
    ({"referred_0_12m": 1, "referred_12_24m": 2, "referred_24_36m": 3, "referred_0_18": 6}, []),
    ({"referred_0_12m": 1, "referred_12_24m": 2, "referred_24_36m": 3, "referred_0_18": 5},
     ["referred"]),
    ({"referred_0_12m": 9, "referred_0_18": None}, []),  # an unknown total is not 0
    ({"referred_0_12m": None, "referred_0_18": 0}, []),  # nothing given adds nothing
    ({"accessed_24_36m": 1, "accessed_0_18": 0, "referred_0_12m": 4, "referred_0_18": 3},
     ["referred", "accessed"]),
])
def test_the_2019_bands_together_cannot_exceed_their_total(values, flagged):
    problems = problems_2019(values, "Area")
    assert [p.split("children ")[1].split(" ")[0] for p in problems] == flagged
    assert all(p.startswith("Area: ") for p in problems)


QUESTIONS = validate({"version": 1, "questions": [
    {"id": "referred_total", "kind": "count", "text": "Children 0-18 referred?"},
    {"id": "referred", "kind": "age_band_count", "text": "By age", "part_of": "referred_total",
     "bands": [{"from_months": 0, "to_months": 12}, {"from_months": 12, "to_months": 36}]},
    {"id": "seen", "kind": "age_band_count", "text": "Seen by age",
     "bands": [{"from_months": 0, "to_months": 36}]},
]})


def cell(value):
    return {"status": "answered", "value": value}


@pytest.mark.parametrize(("answers", "refused"), [
    ({"referred_total": cell(10), "referred_0_12m": cell(4), "referred_12_36m": cell(6)}, False),
    ({"referred_total": cell(10), "referred_0_12m": cell(4), "referred_12_36m": cell(7)}, True),
    ({"referred_total": {"status": "not_known"}, "referred_0_12m": cell(40)}, False),
    ({"referred_total": cell(1), "referred_0_12m": {"status": "refused"},
      "referred_12_36m": cell(2)}, True),
    ({"referred_total": cell(0), "seen_0_36m": cell(99)}, False),  # seen names no total
])
def test_a_question_part_of_a_total_cannot_exceed_it(answers, refused):
    problems = part_of_problems(QUESTIONS, answers)
    assert bool(problems) is refused
    assert all(p.startswith("Question 2: the age bands together") for p in problems)


@pytest.mark.parametrize(("item", "problem"), [
    ({"id": "a", "kind": "count", "text": "A?", "part_of": "total"},
     "Question 2 (a), part of: only a count for each age band"),
    ({"id": "a", "kind": "age_band_count", "text": "A?", "part_of": "nothing",
      "bands": [{"from_months": 0, "to_months": 12}]},
     "Question 2 (a), part of: “nothing” is not the id of a count question"),
    ({"id": "a", "kind": "age_band_count", "text": "A?", "part_of": "words",
      "bands": [{"from_months": 0, "to_months": 12}]},
     "Question 2 (a), part of: “words” is not the id of a count question"),
])
def test_part_of_must_name_a_count_question(item, problem):
    data = {"version": 1, "questions": [
        {"id": "total", "kind": "count", "text": "Total?"}, item,
        {"id": "words", "kind": "text", "text": "Words?"}]}
    with pytest.raises(QuestionDataError) as caught:
        validate(data)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
