"""The reason given for a correction or a withdrawal (pure Python, no Django).

A reason is free text, and it is kept twice: on the case timeline and in the audit chain,
which can never be edited. So it is short and is refused when it carries what identifies a
person: an NHS number (or any long run of digits: a phone or a hospital number), an email
address, a full postcode, or a date written out in full (a date of birth). Names cannot be
recognised by a rule; the form says not to write them. Messages never repeat the text.
"""

from __future__ import annotations

import re
import unicodedata

MAX_REASON = 200
MIN_REASON = 3

_LONG_NUMBER = re.compile(r"\d(?:[\s\-./]?\d){6,}", re.ASCII)
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
_FULL_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b", re.ASCII)


class BadReason(ValueError):
    """A reason that cannot be kept; the message says why, without repeating it."""


def check_reason(text) -> str:
    """The reason, trimmed, or BadReason saying what is wrong with it."""
    if not isinstance(text, str):
        raise BadReason("give a reason for the correction")
    reason = " ".join(text.split())
    if len(reason) < MIN_REASON:
        raise BadReason("give a reason for the correction, for example 'date typed wrong'")
    if len(reason) > MAX_REASON:
        raise BadReason(f"give the reason in at most {MAX_REASON} characters")
    if any(unicodedata.category(char).startswith("C") for char in reason):
        raise BadReason("the reason contains characters that cannot be kept")
    if _LONG_NUMBER.search(reason):
        raise BadReason("the reason contains a long number (an NHS, hospital or phone "
                        "number?): say what was wrong without it")
    if _EMAIL.search(reason):
        raise BadReason("the reason contains an email address: say what was wrong without it")
    if _FULL_POSTCODE.search(reason):
        raise BadReason("the reason contains a postcode: say what was wrong without it")
    if _FULL_DATE.search(reason):
        raise BadReason("the reason contains a full date (a date of birth?): say what was "
                        "wrong without it, for example 'wrong day typed'")
    return reason
