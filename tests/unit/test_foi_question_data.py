"""Campaign questions as data (cradle.foi.question_data, question_analysis): validation, the
responses CSV header and column guide, answer checks and the per-question figures, as plain
tables."""

import datetime
from decimal import Decimal

import pytest

from cradle.foi.letters import empty_placeholders
from cradle.foi.question_analysis import summarise_answers
from cradle.foi.question_data import (
    AgeBand,
    QuestionDataError,
    QuestionKind,
    check_answers,
    column_guide,
    parse_bands,
    preset_data,
    question_lines,
    responses_header,
    to_data,
    validate,
    write_answers_csv,
)
from cradle.foi.questions import CAMHS_2019
from cradle.foi.responses_csv import ANSWER_FIELDS


def q(question_id, kind, text="Text?", bands=None):
    item = {"id": question_id, "kind": kind, "text": text}
    if bands is not None:
        item["bands"] = [{"from_months": a, "to_months": b} for a, b in bands]
    return item


def data(*items):
    return {"version": 1, "questions": list(items)}


CAMPAIGN_2026 = data(
    q("accepts", "yes_no", "Does your CAMHS accept referrals of children under 3?"),
    q("referred", "count", "How many children aged 0 to 18 were referred?"),
    q("seen", "age_band_count", "How many children were seen?", [(0, 12), (12, 24), (24, 36)]),
    q("pathway", "text", "Describe your pathway."),
)


# Validation: (data, a phrase each problem must contain) ---------------------------------------

REFUSED = [
    ({"questions": []}, ["version 1 question list"]),
    (data(), ["add at least one question"]),
    (data(q("Bad Id", "count")), ["Question 1, id", "lower-case"]),
    (data(q("a", "count"), q("a", "yes_no")), ["Question 2, id", "used by an earlier"]),
    (data(q("a", "maybe")), ["Question 1 (a), type"]),
    (data(q("a", "count", text="  ")), ["Question 1 (a), wording"]),
    (data(q("a", "age_band_count", bands=[])), ["Question 1 (a), age bands", "at least one"]),
    (data(q("a", "age_band_count", bands=[(12, 12)])), ["younger to an older"]),
    (data(q("a", "age_band_count", bands=[(0, 12), (6, 24)])), ["overlap or are out of order"]),
    (data(q("a", "age_band_count", bands=[(12, 24), (0, 12)])), ["overlap or are out of order"]),
    (data(q("a", "count", bands=[(0, 12)])), ["only a count for each age band has bands"]),
    (data(q("a_0_12m", "count"), q("a", "age_band_count", bands=[(0, 12)])),
     ["the column a_0_12m would come from two questions"]),
]


@pytest.mark.parametrize(("stored", "phrases"), REFUSED)
def test_validation_refuses_and_names_the_question_and_field(stored, phrases):
    with pytest.raises(QuestionDataError) as raised:
        validate(stored)
    message = str(raised.value)
    for phrase in phrases:
        assert phrase in message


def test_valid_questions_round_trip_through_their_stored_form():
    questions = validate(CAMPAIGN_2026)
    assert [question.kind for question in questions] == [
        QuestionKind.YES_NO, QuestionKind.COUNT, QuestionKind.AGE_BAND_COUNT, QuestionKind.TEXT]
    assert questions[2].bands == (AgeBand(0, 12), AgeBand(12, 24), AgeBand(24, 36))
    assert to_data(questions) == CAMPAIGN_2026


def test_bands_with_a_gap_between_them_are_allowed_in_order():
    (question,) = validate(data(q("a", "age_band_count", bands=[(0, 12), (24, 36)])))
    assert [band.id for band in question.bands] == ["0_12m", "24_36m"]


@pytest.mark.parametrize(("text", "bands"), [
    ("0-12, 12-24, 24-36", ((0, 12), (12, 24), (24, 36))),
    ("0 to 6; 6–12", ((0, 6), (6, 12))),
    ("", ()),
])
def test_bands_are_read_as_months_from_to(text, bands):
    assert parse_bands(text) == tuple(AgeBand(a, b) for a, b in bands)


def test_a_band_that_is_not_from_to_is_named():
    with pytest.raises(ValueError, match="“under 1” is not an age band"):
        parse_bands("0-12, under 1")


# The responses CSV header and its guide ------------------------------------------------------

HEADERS = [
    (data(q("a", "yes_no")), "respondent_code,respondent_type,received_on,a,comment"),
    (CAMPAIGN_2026, "respondent_code,respondent_type,received_on,accepts,referred,"
                    "seen_0_12m,seen_12_24m,seen_24_36m,pathway,comment"),
    (data(q("n", "age_band_count", bands=[(0, 3), (3, 6)]), q("t", "text")),
     "respondent_code,respondent_type,received_on,n_0_3m,n_3_6m,t,comment"),
]


@pytest.mark.parametrize(("stored", "header"), HEADERS)
def test_the_responses_header_follows_the_questions(stored, header):
    assert ",".join(responses_header(validate(stored))) == header


def test_the_column_guide_lists_every_header_column_with_its_type_and_meaning():
    questions = validate(CAMPAIGN_2026)
    guide = column_guide(questions)
    assert tuple(name for name, _, _ in guide) == responses_header(questions)
    by_name = {name: (kind, meaning) for name, kind, meaning in guide}
    assert by_name["seen_12_24m"][1] == ("Question 3, aged 12 to 24 months: How many children "
                                         "were seen? (aged 12 to 24 months)")
    assert "whole number" in by_name["referred"][0] and "not known" in by_name["referred"][0]


def test_the_2019_preset_keeps_its_keys_as_question_ids():
    questions = validate(preset_data(CAMHS_2019))
    assert tuple(question.id for question in questions) == ANSWER_FIELDS
    assert question_lines(questions) == [question.text for question in CAMHS_2019.questions]


def test_the_letter_lists_an_age_band_question_with_its_bands():
    lines = question_lines(validate(CAMPAIGN_2026))
    assert lines[2] == ("How many children were seen? Please give a number for each age band: "
                        "aged 0 to 12 months; aged 12 to 24 months; aged 24 to 36 months.")


# Answers -------------------------------------------------------------------------------------

ANSWERS_REFUSED = [
    ({"nope": {"status": "answered", "value": 1}}, "nope: not a field"),
    ({"referred": {"status": "answered", "value": -1}}, "whole number of 0 or more"),
    ({"referred": {"status": "answered", "value": True}}, "whole number of 0 or more"),
    ({"accepts": {"status": "answered", "value": "yes"}}, "must be yes or no"),
    ({"seen_0_12m": {"status": "maybe"}}, "Question 3, aged 0 to 12 months (seen_0_12m)"),
    ({"referred": {"status": "not_known", "value": 0}}, "not known has no value"),
]


@pytest.mark.parametrize(("answers", "phrase"), ANSWERS_REFUSED)
def test_answers_are_checked_per_type(answers, phrase):
    problems = check_answers(validate(CAMPAIGN_2026), answers)
    assert any(phrase in problem for problem in problems), problems


def test_not_known_is_written_apart_from_zero_and_from_not_answered():
    questions = validate(CAMPAIGN_2026)
    answers = {"accepts": {"status": "answered", "value": True},
               "referred": {"status": "not_known"},
               "seen_0_12m": {"status": "answered", "value": 0},
               "seen_12_24m": {"status": "refused"},
               "pathway": {"status": "answered", "value": "=HYPERLINK()"}}
    assert check_answers(questions, answers) == []
    text = write_answers_csv(questions, [("RX3", "trust", datetime.date(2026, 5, 1), answers,
                                          "")])
    assert text.splitlines()[1] == "RX3,trust,2026-05-01,yes,not known,0,refused,,'=HYPERLINK(),"


# The per-question figures --------------------------------------------------------------------

def test_figures_state_answered_not_known_refused_totals_and_medians():
    questions = validate(CAMPAIGN_2026)
    sets = [
        {"accepts": {"status": "answered", "value": True},
         "referred": {"status": "answered", "value": 10}},
        {"accepts": {"status": "answered", "value": False},
         "referred": {"status": "answered", "value": 3}},
        {"accepts": {"status": "refused"}, "referred": {"status": "not_known"}},
        {"referred": {"status": "answered", "value": 0}},
    ]
    by_name = {s.field.name: s for s in summarise_answers(questions, sets)}
    accepts, referred = by_name["accepts"], by_name["referred"]
    assert (accepts.bodies, accepts.answered, accepts.refused, accepts.not_answered,
            accepts.yes, accepts.no) == (4, 2, 1, 1, 1, 1)
    assert (referred.answered, referred.not_known, referred.total,
            referred.median) == (3, 1, 13, Decimal(3))
    assert by_name["seen_0_12m"].total is None and by_name["seen_0_12m"].median is None


@pytest.mark.parametrize(("counts", "median"), [([1], 1), ([1, 2], Decimal("1.5")),
                                                ([5, 1, 3], 3), ([0, 0, 7, 9], Decimal("3.5"))])
def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two(counts, median):
    questions = validate(data(q("n", "count")))
    sets = [{"n": {"status": "answered", "value": count}} for count in counts]
    (summary,) = summarise_answers(questions, sets)
    assert summary.median == median


# Empty placeholders --------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "values", "empty"), [
    ("Dear [body_name] at [body_address]", {"body_name": "X", "body_address": ""},
     ["body_address"]),
    ("Dear [body_name]", {"body_name": "X", "body_address": ""}, []),
    ("[period] [period] [body_address]", {"period": " ", "body_address": ""},
     ["period", "body_address"]),
])
def test_an_empty_placeholder_is_found_only_where_the_letter_uses_it(template, values, empty):
    assert empty_placeholders(template, values) == empty
