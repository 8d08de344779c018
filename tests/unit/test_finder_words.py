"""The finder's messages (cradle.finder.words): shared by page and command."""

import pytest

from cradle.finder import words


@pytest.mark.parametrize("problem", ["unknown-postcode", "outside-uk"])
def test_without_a_postcode_the_message_does_not_repeat_one(problem):
    with_postcode = words.problem_in_words(problem, postcode="ZZ9 9ZZ", outside="Jersey")
    without = words.problem_in_words(problem, outside="Jersey")
    assert "ZZ9 9ZZ" in with_postcode
    assert "ZZ9" not in without and without.startswith("That")


def test_an_unknown_place_is_not_repeated_back():
    assert words.problem_in_words("not-found") == (
        "No council, health area or nation has that name. Check the spelling, or enter a "
        "postcode")


@pytest.mark.parametrize(("names", "question"), [
    (["Manchester"], "Did you mean Manchester?"),
    (["A", "B", "C"], "Did you mean A, B or C?"),
    ([], ""),
])
def test_did_you_mean(names, question):
    assert words.did_you_mean(names) == question


def test_the_alternatives_name_the_four_people_the_issue_asks_for():
    who = " ".join(name for name, _ in words.ALTERNATIVES)
    for person in ("health visitor", "GP", "midwife", "perinatal mental health service"):
        assert person in who
    assert "not medical advice" in words.NOT_ADVICE
