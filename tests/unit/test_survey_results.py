"""Survey questions, answers, results under disclosure control and the file check: plain data."""

import datetime
import random

import pytest

from cradle.outcomes.bulk.problems import FileProblems
from cradle.surveys import imports
from cradle.surveys.questions import (
    AnswerError,
    QuestionSetError,
    check_answer,
    question_from,
    questions_from,
    shipped_sets,
)
from cradle.surveys.results import Reply, percent, question_result, year_on_year

SETS = shipped_sets()
V1 = SETS[("professionals-2019", 1)]
CAMHS = V1.question("camhs_under_2")
WHERE = V1.question("support_available")
HOURS = V1.question("trained_last_year")
AREAS = {"E08000035": "England", "W06000015": "Wales"}


def test_the_2019_preset_quotes_the_report_and_labels_the_rest_as_examples():
    assert CAMHS.text == ("Does the CAMHS in your area take referrals for children aged 2 or "
                          "under?")
    assert CAMHS.origin.startswith("Rare Jewels 2019")
    assert {q.origin for q in V1.questions if q.id != "camhs_under_2"} == {"example"}
    assert "EXAMPLE" in V1.source


def test_question_ids_are_stable_across_versions():
    v2 = SETS[("professionals-2019", 2)]
    for question in V1.questions:
        assert v2.question(question.id).kind == question.kind


@pytest.mark.parametrize(("question", "raw", "expected"), [
    (CAMHS, "yes", "yes"), (CAMHS, "I don't know", "dont_know"), (CAMHS, " NO ", "no"),
    (CAMHS, "", None), (WHERE, "camhs; nowhere", ["camhs", "nowhere"]),
    (WHERE, ["nowhere", "camhs"], ["camhs", "nowhere"]), (HOURS, "12", 12), (HOURS, "3.0", 3),
    (V1.question("area"), "e08000035", "E08000035"),
])
def test_answers_are_checked(question, raw, expected):
    assert check_answer(question, raw, area_codes=AREAS) == expected


@pytest.mark.parametrize(("question", "raw", "message"), [
    (CAMHS, "maybe", "is not one of: yes, no, dont_know"), (HOURS, "2.5", "whole number"),
    (HOURS, "-1", "from 0 to 1000"), (HOURS, "lots", "not a number"),
    (V1.question("area"), "X99", "not the code of an area"),
    (V1.question("comments"), "x" * 2001, "at most 2000"),
    (V1.question("comments"), "Write to me at jo@example.org", "an email address"),
    (V1.question("comments"), "call 0113 496 0000", "a long number"),
    (V1.question("comments"), "we are near LS1 4AP", "a postcode"),
])
def test_bad_answers_say_why(question, raw, message):
    with pytest.raises(AnswerError, match=message):
        check_answer(question, raw, area_codes=AREAS)


def test_a_question_set_refuses_repeated_ids_and_two_area_questions():
    one = {"id": "a", "kind": "area", "scheme": "la", "text": "Where?"}
    with pytest.raises(QuestionSetError, match="more than once"):
        questions_from([one, one])
    with pytest.raises(QuestionSetError, match="at most one area"):
        questions_from([one, {**one, "id": "b"}])
    with pytest.raises(QuestionSetError, match="two or more choices"):
        question_from({"id": "c", "kind": "single", "text": "?", "choices": [["y", "Y"]]})


def replies(seed: int, n: int) -> list[Reply]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        nation = rng.choice(["England"] * 6 + ["Wales", "Scotland", "Northern Ireland", None])
        out.append(Reply(nation=nation, area="E08000035" if nation == "England" and
                         rng.random() < 0.3 else None, answers={
            "camhs_under_2": rng.choice(["yes", "no", "no", "dont_know"]),
            "support_available": rng.sample(["camhs", "pip_team", "nowhere", "voluntary"],
                                            rng.randint(1, 3)),
            "trained_last_year": rng.randint(0, 40)}))
    return out


def shown_numbers(result):
    for row in result.rows:
        yield from [row.total, *row.cells]


@pytest.mark.parametrize("seed", range(25))
def test_no_count_from_1_to_7_is_ever_shown(seed):
    found = replies(seed, random.Random(seed).randint(3, 120))
    for question in (CAMHS, WHERE, HOURS):
        result = question_result(question, found, area=("E08000035", "Leeds", "England"))
        for value in shown_numbers(result):
            assert value == "*" or value == "0" or (int(value) >= 10 and int(value) % 5 == 0)


def test_percentages_are_worked_out_from_the_shown_counts():
    found = replies(3, 100)
    result = question_result(CAMHS, found)
    for row in result.rows:
        for cell, share in row.pairs:
            assert share == percent(cell, row.total)
    assert percent("10", "40") == "25" and percent("*", "40") == "*" and percent("0", "0") is None


def test_a_small_nation_is_hidden_and_cannot_be_worked_out_from_the_uk():
    # 40 in England, 3 in Wales: Wales's total is hidden, and so is enough else that UK minus
    # England does not give it.
    found = [Reply("England", None, {"camhs_under_2": "no"}) for _ in range(40)] + [
        Reply("Wales", None, {"camhs_under_2": "yes"}) for _ in range(3)]
    result = question_result(CAMHS, found)
    wales = next(r for r in result.nations if r.label == "Wales")
    assert wales.total == "*" and wales.cells[0] == "*"
    assert result.uk.total == "45" and result.uk.cells[0] == "*"


def test_medians_need_more_than_seven_answers_and_are_withheld_together():
    found = [Reply("England", None, {"trained_last_year": 5}) for _ in range(30)] + [
        Reply("Wales", None, {"trained_last_year": 20}) for _ in range(4)]
    result = question_result(HOURS, found)
    by_label = {r.label: r for r in result.rows}
    assert by_label["Wales"].median == "*"
    # England's median with the UK's would pin Wales's down, so England's is withheld too.
    assert by_label["England"].median == "*"
    assert by_label["UK"].median == "5"


def test_a_multiple_choice_total_hidden_in_one_table_is_hidden_in_all():
    found = [Reply("England", None, {"support_available": ["camhs"]}) for _ in range(30)] + [
        Reply("Scotland", None, {"support_available": ["nowhere"]}) for _ in range(2)]
    result = question_result(WHERE, found)
    scotland = next(r for r in result.nations if r.label == "Scotland")
    assert scotland.total == "*"


def test_year_on_year_reads_each_year_by_question_id():
    last = question_result(CAMHS, [Reply("England", None, {"camhs_under_2": "no"})] * 20)
    this = question_result(CAMHS, [Reply("England", None, {"camhs_under_2": "yes"})] * 30)
    columns = year_on_year(CAMHS, [("2025", {"camhs_under_2": last}), ("2024", {})],
                           ("2026", this))
    assert [(c.label, c.asked) for c in columns] == [("2025", True), ("2024", False),
                                                      ("2026", True)]
    assert columns[0].cells["no"] == "20" and columns[2].percents["yes"] == "100"


TODAY = datetime.date(2026, 12, 10)


def test_a_file_is_checked_row_by_row_and_column_by_column():
    rows = imports.read_rows("r.csv", (
        b"camhs_under_2,trained_last_year,area,submitted_on\n"
        b"yes,4,E08000035,2026-11-01\n"
        b"perhaps,4,E08000035,\n"
        b"no,lots,NOWHERE,31/02/2026\n"))
    with pytest.raises(FileProblems) as refused:
        imports.check_rows(rows, list(V1.questions), area_codes=AREAS, today=TODAY)
    assert [str(p) for p in refused.value.problems] == [
        "Row 3, column camhs_under_2: 'perhaps' is not one of: yes, no, dont_know",
        "Row 4, column trained_last_year: 'lots' is not a number",
        "Row 4, column area: 'NOWHERE' is not the code of an area this question offers",
        "Row 4, column submitted_on: '31/02/2026' is not a date: write YYYY-MM-DD or DD/MM/YYYY",
    ]


def test_a_good_file_gives_the_checked_rows_and_a_bad_header_is_named():
    rows = imports.read_rows("r.csv", b"Camhs_Under_2,support_available\nYes,camhs;nowhere\n")
    assert imports.check_rows(rows, list(V1.questions), area_codes=AREAS, today=TODAY) == [
        {"submitted_on": "2026-12-10",
         "answers": {"camhs_under_2": "yes", "support_available": ["camhs", "nowhere"]}}]
    with pytest.raises(FileProblems, match="1 problem"):
        imports.check_rows([["camhs_under_2", "email"], ["yes", "a@b.c"]], list(V1.questions),
                           area_codes=AREAS, today=TODAY)
    with pytest.raises(FileProblems):
        imports.read_rows("r.txt", b"x")


def test_the_survey_logic_imports_no_django():
    import json
    import subprocess
    import sys

    names = ["cradle.surveys.questions", "cradle.surveys.results", "cradle.surveys.imports"]
    code = ("import importlib, json, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("rounding", [5, 1])
@pytest.mark.parametrize("seed", range(30))
def test_an_area_is_protected_inside_its_nation(seed, rounding):
    """Whatever the answers, an attacker holding England's release and an area's cannot pin
    any count of the area, nor of the rest of England, to one value (with rounding switched
    off too, where suppression alone must do it)."""
    from cradle.stats.disclosure import DisclosurePolicy
    from cradle.stats.families import Shown, exposed_within

    policy = DisclosurePolicy(threshold=7, rounding=rounding)
    rng = random.Random(seed)
    found = [Reply("England", rng.choice(["E08000035", "E08000035", "E09000001"]),
                   {"camhs_under_2": rng.choice(["yes", "no", "dont_know"])})
             for _ in range(rng.randint(1, 40))]
    result = question_result(CAMHS, found, area=("E08000035", "Leeds", "England"),
                             policy=policy)

    def counts(replies):
        return {key: sum(r.answers["camhs_under_2"] == key for r in replies)
                for key in CAMHS.choice_keys}

    england = next(r for r in result.nations if r.label == "England")
    keys = CAMHS.choice_keys
    assert exposed_within(
        counts([r for r in found if r.area == "E08000035"]),
        Shown(dict(zip(keys, result.area.cells, strict=True)), result.area.total),
        counts(found), Shown(dict(zip(keys, england.cells, strict=True)), england.total),
        policy=policy) == []
