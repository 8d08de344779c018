"""What a short free-text note about a family must not hold (pure Python, no Django).

Cradle keeps no names, addresses, phone numbers or NHS numbers. A name cannot be told from
other words, so the form asks for none; what can be recognised is refused: a run of ten or
more digits (an NHS or phone number), a full postcode, an email address. The message says
what was found, never the text itself.
"""

from __future__ import annotations

import re

_LONG_NUMBER = re.compile(r"(?:[0-9][\s\-()]*){9,}[0-9]", re.ASCII)
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b",
                            re.ASCII | re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")

PROBLEMS = (
    (_LONG_NUMBER, "it holds a long number (an NHS or phone number?): leave it out"),
    (_FULL_POSTCODE, "it holds a full postcode: leave it out"),
    (_EMAIL, "it holds an email address: leave it out"),
)


def note_problem(text: str) -> str | None:
    """Why the note cannot be kept, or None."""
    for pattern, message in PROBLEMS:
        if pattern.search(text):
            return message
    return None
