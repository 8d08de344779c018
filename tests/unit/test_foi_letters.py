"""The FOI letter placeholder language (cradle.foi.letters): what check refuses, and that fill
is plain substitution of plain strings."""

from __future__ import annotations

import datetime
import importlib

import pytest

from cradle.foi.letters import (
    PLACEHOLDERS,
    LetterTemplateError,
    check,
    fill,
    letter_values,
)
from cradle.foi.questions import CAMHS_2019, DEFAULT_LETTER

# The payload from issue 12: Django's template engine walked from the body to team members'
# password hashes.
INJECTION = ("Dear {{ body.name }},\n{% for a in body.areas.all %}{% for cov in "
             "a.service_coverage.all %}{% for m in cov.service.memberships.all %}"
             "{{ m.user.password }}{% endfor %}{% endfor %}{% endfor %}")

migration = importlib.import_module("cradle.foi.migrations.0002_letter_placeholders")


def values(**overrides) -> dict[str, str]:
    return letter_values(**({
        "body_name": "NHS Synthetic CCG", "body_address": "foi@synthetic.example.org",
        "regime": "foia", "is_commissioner": True, "campaign_name": "Synthetic campaign",
        "period": CAMHS_2019.period, "questions": ["First?", "Second?"],
        "due_on": datetime.date(2026, 3, 30), "reference": "CRADLE-FOI-7",
        "sender": "A. Researcher", "reply_to": "foi@cradle.example.org"} | overrides))


@pytest.mark.parametrize(("text", "named"), [
    (INJECTION, ["“{{”", "“{%”"]),
    ("{% debug %}", ["“{%”"]),
    ("{# a comment #}", ["“{#”"]),
    ("Dear {{body.name}}", ["“{{”"]),
])
def test_template_code_is_refused_and_named(text, named):
    problems = check(text)
    for opener in named:
        assert any(opener in problem for problem in problems), problems
    with pytest.raises(LetterTemplateError):
        fill(text, values())


@pytest.mark.parametrize("name", ["password", "body.areas", "Body_Name", "body name",
                                  "m-user-password"])
def test_an_unknown_placeholder_is_refused_by_name(name):
    problems = check(f"Dear [body_name], [{name}]")
    assert len(problems) == 1
    assert problems[0].startswith(f"[{name}] is not a placeholder Cradle knows")
    assert "[due_date]" in problems[0]  # the message lists the ones that exist


def test_each_unknown_placeholder_is_named_once():
    problems = check("[one] [two] [one]")
    assert [problem.split("]")[0] for problem in problems] == ["[one", "[two"]


def test_the_standard_letter_passes_and_uses_every_kind_of_value():
    assert check(DEFAULT_LETTER) == []
    letter = fill(DEFAULT_LETTER, values())
    assert letter.startswith("Dear NHS Synthetic CCG,\n\nOur reference: CRADLE-FOI-7\n")
    assert "under the Freedom of Information Act 2000." in letter
    assert "(CAMHS) commissioned for your area, for the financial year 2018/19" in letter
    assert "\n\n1. First?\n2. Second?\n\n" in letter
    assert "that is by 30 March 2026." in letter
    assert letter.endswith("A. Researcher\nfoi@cradle.example.org\n")
    assert "[" not in letter


def test_values_are_inserted_once_as_plain_text():
    """A body name that looks like a placeholder or template code stays literal."""
    name = "{{ campaign.reply_to }} [sender] {% debug %}"
    letter = fill("Dear [body_name], from [sender]", values(body_name=name))
    assert letter == f"Dear {name}, from A. Researcher"


def test_fill_takes_only_text_for_exactly_the_placeholders():
    class Body:
        name = "NHS Synthetic CCG"

    with pytest.raises(TypeError, match=r"\[body_name\] must be text"):
        fill("[body_name]", values() | {"body_name": Body()})
    with pytest.raises(ValueError, match="exactly"):
        fill("[body_name]", {"body_name": "x"})


def test_square_brackets_that_are_not_a_word_stay_as_written():
    assert check("See note [1] and [a, b]") == []
    assert fill("See note [1] and [a, b]", values()) == "See note [1] and [a, b]"


def test_a_scottish_provider_is_asked_under_foisa_about_its_services():
    letter = fill("[act]; [service_scope]", values(regime="foisa", is_commissioner=False))
    assert letter == ("Freedom of Information (Scotland) Act 2002; provided by your "
                      "organisation")


def test_the_placeholders_are_the_documented_set():
    assert set(PLACEHOLDERS) == {
        "body_name", "body_address", "act", "service_scope", "campaign_name", "period",
        "period_label", "questions", "due_date", "request_reference", "sender", "reply_to"}
    assert set(values()) == set(PLACEHOLDERS)


# Converting stored Django templates (migration 0002) ----------------------------------------

def test_the_old_standard_letter_becomes_the_new_one():
    assert migration.convert(migration.OLD_DEFAULT_LETTER) == DEFAULT_LETTER


def test_a_custom_template_in_the_old_style_is_converted_mechanically():
    old = ("Dear {{ body.name }} ({{body.email}}),\nUnder the {{ regime_name }}, for "
           "{{ question_set.period }}, services {% if body.kind == 'commissioner' %}commissioned "
           "for your area{% else %}provided by your organisation{% endif %}:\n"
           "{% for q in question_set.questions %}{{ forloop.counter }}. {{ q.text }}\n"
           "{% endfor %}\n{{ campaign.name }}\n{{ campaign.signatory }} {{ campaign.reply_to }}")
    assert migration.convert(old) == (
        "Dear [body_name] ([body_address]),\nUnder the [act], for [period], services "
        "[service_scope]:\n[questions]\n\n[campaign_name]\n[sender] [reply_to]")


@pytest.mark.parametrize("text", [
    INJECTION, "{% debug %}", "Dear {{ body.name|upper }}", "{{ body.pk }}",
    "Dear {{ body.name }} {# note #}", "{% load static %}[body_name]",
    "Dear {{ body.name }} [sic]",
])
def test_a_template_that_cannot_be_converted_is_not_converted(text):
    assert migration.convert(text) is None
