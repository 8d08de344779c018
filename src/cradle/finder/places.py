"""Match what a person typed to a place Cradle knows: a local authority of December 2023, a
former authority merged since April 2020, a county, a health area of any scheme, or a nation.

Plain data, no Django imports: the caller passes the places (the shipped December 2023 list
from `read_authorities`, and the areas in the database). A name is matched on a normalised
form that drops what people leave off ("NHS", "CCG", "City of", "Health Board"), so
"Edinburgh" finds the City of Edinburgh and "Lothian" finds NHS Lothian. A close misspelling
("Manchster") gets suggestions, never a match: the person confirms. Every real place on the
lists matches itself exactly, so a real place is never told to check its spelling.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

AUTHORITIES_FILE = Path(__file__).parent / "data" / "lad_dec2023_names_codes.csv"

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")

# How well a 0-1 difflib ratio must match for "did you mean": 0.8 takes one slip in a short
# name ("Manchster", "Leds" is too short to be sure of and gets the prefix rule instead) and
# keeps "Bath" from suggesting "Barth".
SUGGESTION_CUTOFF = 0.8
MAX_SUGGESTIONS = 5

# Preference among places with the same normalised name: the finest place first, then the
# newest health areas ("Leeds" is the council before the Leeds CCG of 2019).
KIND_ORDER = {"local authority": 0, "former local authority": 1, "county": 2,
              "health area": 3, "nation": 4}

# Words people leave off a name, removed at the start or end after lower-casing.
PREFIXES = ("nhs ", "city of ", "county of ", "the ")
SUFFIXES = (" university health board", " teaching health board", " health board",
            " health and social care trust", " hsc trust", " integrated care board",
            " clinical commissioning group", " ccg", " icb", " council", " city council",
            " county council", " borough council", " district council", ", city of",
            ", county of", " city")


# Everyday names that none of the normalisations reach, by December 2023 code.
EVERYDAY_NAMES = {
    "E06000010": ("Hull",),
    "E06000043": ("Brighton", "Hove"),
    "E06000033": ("Southend",),
    "S12000036": ("Edinburgh",),
    "S12000049": ("Glasgow",),
}


@dataclass(frozen=True)
class Authority:
    """A local authority of December 2023 with its centroid (WGS84)."""

    code: str
    name: str
    welsh_name: str
    latitude: float
    longitude: float

    @property
    def nation(self) -> str:
        return {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}[
            self.code[0]]


def read_authorities(lines) -> dict[str, Authority]:
    return {row["LAD23CD"].strip(): Authority(
        row["LAD23CD"].strip(), row["LAD23NM"].strip(), row["LAD23NMW"].strip(),
        float(row["LAT"]), float(row["LONG"])) for row in csv.DictReader(lines)}


@cache
def shipped_authorities() -> dict[str, Authority]:
    with AUTHORITIES_FILE.open(encoding="utf-8-sig", newline="") as handle:
        return read_authorities(handle)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Place:
    """Something a name can mean. `code` is the authority code (December 2023 for a local
    authority, April 2020 for a former one), the area code for a county or health area
    (with its `scheme`), or the nation's name."""

    name: str
    kind: str
    code: str
    scheme: str = ""
    nation: str = ""
    also_known_as: tuple[str, ...] = field(default=(), compare=False)
    order: int = field(default=0, compare=False)  # among health areas: newer schemes first

    @property
    def rank(self) -> tuple[int, int, str]:
        return (KIND_ORDER[self.kind], self.order, self.name)


def normalise(text: str) -> str:
    """Lower case, "&" as "and", punctuation and hyphens as spaces, one space between words."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+|_", " ", text).replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def keys_for(name: str) -> set[str]:
    """The normalised forms a name answers to: itself, and itself without the prefixes and
    suffixes people leave off (repeatedly: "NHS Leeds CCG" → "leeds"), and without a
    sub-ICB location's trailing ODS code ("NHS West Yorkshire ICB - 15F")."""
    lowered = re.sub(r"\s+-\s+[0-9a-z]{3,5}$", "", name.lower().strip())
    lowered = re.sub(r"^(.*), (city|county) of$", r"\2 of \1", lowered)
    keys = {normalise(name)}
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            if lowered.startswith(prefix):
                lowered, changed = lowered[len(prefix):], True
        for suffix in SUFFIXES:
            if lowered.endswith(suffix):
                lowered, changed = lowered[:-len(suffix)], True
        keys.add(normalise(lowered))
    return {key for key in keys if key}


@dataclass(frozen=True)
class PlaceMatch:
    """The places the text names exactly (best first), or else names close to it."""

    text: str
    exact: tuple[Place, ...] = ()
    suggestions: tuple[Place, ...] = ()

    @property
    def best(self) -> Place | None:
        return self.exact[0] if self.exact else None


class Gazetteer:
    """Places indexed by every normalised form of their names."""

    def __init__(self, places):
        self.by_key: dict[str, list[Place]] = {}
        for place in places:
            for name in (place.name, *place.also_known_as):
                for key in keys_for(name):
                    self.by_key.setdefault(key, []).append(place)
        for found in self.by_key.values():
            found.sort(key=lambda place: place.rank)

    def match(self, text: str) -> PlaceMatch:
        wanted = normalise(text)
        if not wanted:
            return PlaceMatch(text)
        # The text as typed first, then without the words people add ("Leeds council").
        for key in sorted(keys_for(text), key=lambda key: (key != wanted, -len(key))):
            if key in self.by_key:
                return PlaceMatch(text, exact=tuple(_unique(self.by_key[key])))
        return PlaceMatch(text, suggestions=tuple(self.suggest(wanted)))

    def suggest(self, wanted: str) -> list[Place]:
        """Places whose name is close to the text (a slip of a letter or two), then places
        whose name starts with it as a word ("Newcastle" → both Newcastles); one per name."""
        close = difflib.get_close_matches(wanted, self.by_key, n=MAX_SUGGESTIONS * 3,
                                          cutoff=SUGGESTION_CUTOFF)
        starting = sorted(key for key in self.by_key if key.startswith(wanted + " "))
        places: list[Place] = []
        for key in [*close, *starting]:
            places.extend(self.by_key[key][:1])
        return _unique(places)[:MAX_SUGGESTIONS]


def _unique(places) -> list[Place]:
    seen, result = set(), []
    for place in places:
        if (place.kind, place.code, place.scheme) not in seen:
            seen.add((place.kind, place.code, place.scheme))
            result.append(place)
    return result


def authority_places(authorities: dict[str, Authority]) -> list[Place]:
    """The December 2023 authorities as places (the Welsh name too: "Caerdydd")."""
    return [Place(a.name, "local authority", a.code, nation=a.nation,
                  also_known_as=(*((a.welsh_name,) if a.welsh_name else ()),
                                 *EVERYDAY_NAMES.get(a.code, ())))
            for a in authorities.values()]


def nation_places() -> list[Place]:
    return [Place(nation, "nation", nation, nation=nation) for nation in NATIONS]
