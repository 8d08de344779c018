"""Is a suggested service one the register already has? Fuzzy matching on plain data.

A suggestion gives a name, and perhaps a place (a town or council) and a postcode. Names are
compared after folding case, punctuation and the words every service shares ("service",
"team", "NHS"...), so "Leeds Infant Mental Health Service" finds "Leeds IMHS"'s other name
"Infant Mental Health Service (Leeds)". A shared place adds weight; a name alone can match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

COMMON_WORDS = frozenset({
    "the", "and", "of", "for", "service", "services", "team", "nhs", "trust", "project",
    "parent", "infant", "parentinfant", "relationship", "relationships", "partnership",
})
THRESHOLD = 0.6


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    other_names: tuple[str, ...] = ()
    places: tuple[str, ...] = ()   # locality, nation's areas it covers, in words
    postcode_districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    id: int
    name: str
    score: float
    why: str


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.casefold().replace("-", ""))
            if w not in COMMON_WORDS]


def _name_score(a: str, b: str) -> float:
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    ordered = SequenceMatcher(None, " ".join(left), " ".join(right)).ratio()
    shared = len(set(left) & set(right)) / min(len(set(left)), len(set(right)))
    return max(ordered, shared)


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode ("LS1 4AP" -> "LS1"); "" if it is not one."""
    text = re.sub(r"\s+", "", postcode.upper())
    match = re.fullmatch(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?", text)
    return match.group(1) if match else ""


def _place_hit(place: str, candidate: Candidate) -> bool:
    words = set(_words(place))
    return bool(words) and any(words <= set(_words(known)) or set(_words(known)) <= words
                               for known in candidate.places if _words(known))


def suggest_duplicates(name: str, place: str, postcode: str,
                       candidates: list[Candidate], limit: int = 5) -> list[Match]:
    """The register's services most like the suggestion, best first (at most `limit`)."""
    district = postcode_district(postcode)
    found = []
    for candidate in candidates:
        score = max(_name_score(name, known) for known in (candidate.name, *candidate.other_names))
        reasons = [f"name {round(score * 100)}% alike"] if score >= THRESHOLD else []
        if place and _place_hit(place, candidate):
            score += 0.25
            reasons.append("same place")
        if district and district in candidate.postcode_districts:
            score += 0.25
            reasons.append("same postcode district")
        if score >= THRESHOLD and reasons:
            found.append(Match(candidate.id, candidate.name, round(score, 2), ", ".join(reasons)))
    found.sort(key=lambda match: (-match.score, match.name))
    return found[:limit]
