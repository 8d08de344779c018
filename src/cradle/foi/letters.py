"""FOI letter templates: a closed placeholder language (pure: no Django).

A campaign's letter is plain text with placeholders in square brackets, such as
`Dear [body_name],`. The placeholders are the fixed set in `PLACEHOLDERS`; each is replaced by
a plain string that code prepares (`letter_values`), by plain string substitution (`fill`).
Nothing in a letter is evaluated: there are no expressions, attributes, loops or tags, and
no object ever reaches the letter, only text.

`check` lists what is wrong with a template: every unknown placeholder, by name, and any
Django template syntax (`{{`, `{%`, `{#`), which Cradle letters used before and which is now
refused so an old template can never be mistaken for a working one. A bracketed word made of
letters, digits, spaces, dots, underscores or hyphens counts as a placeholder, so a mistyped
one is refused rather than printed in the letter as it is.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence

__all__ = ["ACT_NAMES", "PLACEHOLDERS", "LetterTemplateError", "check", "empty_placeholders",
           "fill", "letter_values", "long_date", "placeholder", "request_reference",
           "used_placeholders"]

PLACEHOLDERS: dict[str, str] = {
    "body_name": "the name of the body asked, for example NHS Leeds CCG",
    "body_address": "the body's email address (Cradle keeps no postal addresses; empty if "
                    "the body has no email address)",
    "act": "the Act the request is made under: the Freedom of Information Act 2000, or the "
           "Freedom of Information (Scotland) Act 2002 for a Scottish body",
    "service_scope": "“commissioned for your area” for a commissioner, “provided by your "
                     "organisation” for a provider",
    "campaign_name": "the campaign's name",
    "period": "the period the questions ask about, with its dates, for example the financial "
              "year 2025/26 (1 April 2025 to 31 March 2026)",
    "period_label": "the period's short name, for example 2025/26",
    "questions": "the campaign's questions, numbered, one a line (an age-band count lists its "
                 "bands)",
    "due_date": "the date a response is due: 20 working days after the letter is sent, for "
                "example 30 March 2026",
    "request_reference": "this request's reference in Cradle, for example CRADLE-FOI-123",
    "sender": "the name the letters are signed with",
    "reply_to": "the email address replies should go to",
}

ACT_NAMES = {"foia": "Freedom of Information Act 2000",
             "foisa": "Freedom of Information (Scotland) Act 2002"}

# A bracketed word: what a placeholder looks like, known or not.
PLACEHOLDER = re.compile(r"\[([A-Za-z][A-Za-z0-9 ._-]*)\]")
DJANGO_SYNTAX = ("{{", "{%", "{#")
MAX_SHOWN = 40  # characters of an unknown placeholder quoted in a message


class LetterTemplateError(ValueError):
    """A template that `check` refuses; `problems` says each thing wrong with it."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def placeholder(name: str) -> str:
    return f"[{name}]"


def check(text: str) -> list[str]:
    """Every problem with a letter template, each naming what is wrong; [] if it is fine."""
    problems = []
    for opener in DJANGO_SYNTAX:
        if opener in text:
            problems.append(
                f"The letter contains “{opener}”, which is template code, not a placeholder: "
                f"use the placeholders in square brackets, such as [body_name]")
    unknown = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    for name in unknown:
        shown = name if len(name) <= MAX_SHOWN else name[:MAX_SHOWN] + "…"
        problems.append(f"[{shown}] is not a placeholder Cradle knows; the placeholders are "
                        + ", ".join(placeholder(known) for known in PLACEHOLDERS))
    return problems


def used_placeholders(text: str) -> list[str]:
    """The known placeholders a template uses, in order of first use."""
    used = []
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) in PLACEHOLDERS and match.group(1) not in used:
            used.append(match.group(1))
    return used


def empty_placeholders(text: str, values: Mapping[str, str]) -> list[str]:
    """The placeholders the template uses whose value is empty: a letter with a gap in it,
    such as [body_address] for a body with no address. Sending is refused while any is."""
    return [name for name in used_placeholders(text) if not values.get(name, "").strip()]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The letter: each placeholder replaced by its value, as plain text.

    Refuses a template `check` refuses (so a bad stored template never renders), and values
    that are not exactly the placeholders' strings. Values are inserted once, as they are:
    a value that itself looks like a placeholder or template code stays literal text.
    """
    problems = check(text)
    if problems:
        raise LetterTemplateError(problems)
    if set(values) != set(PLACEHOLDERS):
        raise ValueError(f"letter values must be exactly {sorted(PLACEHOLDERS)}")
    for name, value in values.items():
        if type(value) is not str:
            raise TypeError(f"the value of [{name}] must be text, not {type(value).__name__}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def request_reference(request_id: int) -> str:
    return f"CRADLE-FOI-{request_id}"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def letter_values(*, body_name: str, body_address: str, regime: str, is_commissioner: bool,
                  campaign_name: str, period: str, questions: Sequence[str],
                  due_on: datetime.date, reference: str, sender: str,
                  reply_to: str, period_label: str = "") -> dict[str, str]:
    """The placeholders' values, as text, from plain facts about one request."""
    return {
        "body_name": str(body_name),
        "body_address": str(body_address),
        "act": ACT_NAMES[regime],
        "service_scope": ("commissioned for your area" if is_commissioner
                          else "provided by your organisation"),
        "campaign_name": str(campaign_name),
        "period": str(period),
        "period_label": str(period_label),
        "questions": "\n".join(f"{number}. {question}"
                               for number, question in enumerate(questions, start=1)),
        "due_date": long_date(due_on),
        "request_reference": str(reference),
        "sender": str(sender),
        "reply_to": str(reply_to),
    }
