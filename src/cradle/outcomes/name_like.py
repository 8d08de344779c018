"""Does a team reference look like a person's name? A pure heuristic, used only to warn.

A team reference is the team's own code for a family ("PIT-042"); a name in it would put
identifying text where Cradle promises none. The test is deliberately cautious (it may warn on
"Leeds 12"; the user confirms) and never blocks: a warning, not an error.
"""

from __future__ import annotations

import re

#: Words that often appear in references and are not names.
NOT_NAMES = frozenset({
    "case", "family", "fam", "ref", "reference", "team", "client", "baby", "referral", "no",
    "number", "id", "pit", "pimh", "new", "old", "twin", "twins", "and",
})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TITLE = re.compile(r"[A-Z][a-z]+(?:['’]?[A-Z][a-z]+)*|[A-Z]['’][A-Z][a-z]+")


def looks_like_a_name(reference: str) -> bool:
    text = reference.strip()
    has_digits = any(ch.isdigit() for ch in text)
    # Words as a name is written (spaces, commas); a code's parts are joined by - / _ or .
    words = [w for w in re.split(r"[\s,]+", text) if w]
    alphabetic = [w for w in words if _WORD.fullmatch(w)]
    if not has_digits and len(alphabetic) >= 2 and len(alphabetic) == len(words):
        return True  # "Jane Smith", "jane smith", "SMITH, J"
    if not has_digits and len(words) == 1 and alphabetic and len(text) >= 3 \
            and not text.isupper():
        return True  # "Smith", "smith"
    parts = [w for w in re.split(r"[\s,./_-]+", text) if _WORD.fullmatch(w)]
    return any(_TITLE.fullmatch(w) and w.lower() not in NOT_NAMES for w in parts)
