"""UK postcodes and postcode districts to the local authority (December 2023) they lie in.

Plain data, no Django imports. Two shipped files (see data/PROVENANCE.md):

- `postcode_la_ranges_onspd_nov2022_lad23.json`: mySociety's range-compressed lookup built
  from the ONS Postcode Directory of November 2022. Postcodes, upper case without spaces, are
  read as base-36 integers; the authority changes only at the keys listed, so a lookup is a
  binary search for the last key at or below the postcode's integer. 66,851 ranges stand for
  about 2.6 million postcodes.
- `postcode_district_lad23_shares.csv`: for a district alone (LS1, SW1A), the authorities its
  postcodes fall in and each one's share of them: an approximate answer, said to be one.

The postcode a person types is only ever held in memory here: nothing in this module logs,
stores or caches it (see ADR 0019).
"""

from __future__ import annotations

import bisect
import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
RANGES_FILE = DATA_DIR / "postcode_la_ranges_onspd_nov2022_lad23.json"
DISTRICT_SHARES_FILE = DATA_DIR / "postcode_district_lad23_shares.csv"

# The outward code's six shapes (A9, A99, AA9, AA99, A9A, AA9A), then the inward code (9AA).
# Inward letters never include C, I, K, M, O or V; outward positions have their own rules,
# which the lookup does not need: a well-formed code outside every range is simply unknown.
OUTCODE = r"(?:[A-Z]{1,2}[0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z]{2}[0-9][A-Z])"
INCODE = r"[0-9][ABD-HJLNP-UW-Z]{2}"
FULL_POSTCODE_RE = re.compile(rf"^({OUTCODE})({INCODE})$")
DISTRICT_RE = re.compile(rf"^{OUTCODE}$")
# GIR 0AA (Girobank) is the one postcode outside the pattern; it has no local authority.
SPECIAL_POSTCODES = frozenset({"GIR0AA"})

# Postcode areas of the Crown Dependencies: Royal Mail postcodes, but not the UK, so no UK
# local authority or NHS service covers them (the district file leaves them out).
CROWN_DEPENDENCIES = {"GY": "Guernsey", "JE": "Jersey", "IM": "the Isle of Man"}
# Codes the lookup gives that are not UK local authorities.
NOT_UK_AUTHORITIES = {
    "L99999999": "the Channel Islands",
    "M99999999": "the Isle of Man",
}


@dataclass(frozen=True)
class Postcode:
    """A well-formed full postcode or district, normalised (upper case, one space)."""

    text: str  # "LS1 4AP" or "LS1"
    is_district: bool

    @property
    def district(self) -> str:
        return self.text.split(" ")[0]

    @property
    def is_northern_ireland(self) -> bool:
        # Every Northern Ireland postcode is in the BT area, and no other postcode is.
        return re.match(r"BT[0-9]", self.text) is not None


def squeeze(text: str) -> str:
    """Upper case, with every kind of whitespace removed."""
    return re.sub(r"\s+", "", text).upper()


def parse(text: str) -> Postcode | None:
    """The postcode or district the text spells, or None if it is neither.

    Spaces anywhere and lower case are forgiven ("ls14ap", " sw1a 1aa "); nothing else is.
    """
    compact = squeeze(text)
    if not compact or len(compact) > 8:
        return None
    match = FULL_POSTCODE_RE.match(compact)
    if match:
        return Postcode(f"{match[1]} {match[2]}", is_district=False)
    if DISTRICT_RE.match(compact) and not re.search(r"\s", text.strip()):
        # "LS1 4" is half an inward code, not the district LS14.
        return Postcode(compact, is_district=True)
    return None


def looks_like_postcode(text: str) -> bool:
    """Whether the text was probably meant as a postcode (letters then a digit, short), so a
    failed parse is reported as a postcode problem rather than as an unknown place."""
    compact = squeeze(text)
    return bool(re.match(r"^[A-Z]{1,2}[0-9]", compact)) and len(compact) <= 8


def to_integer(postcode: str) -> int:
    """The postcode's key in the lookup: its characters, without spaces, read in base 36."""
    return int(squeeze(postcode), 36)


# Decoding the mySociety format ------------------------------------------------------------

def undo_differences(deltas: list[int]) -> list[int]:
    """`postcode_keys` stores each key as its difference from the one before."""
    return list(accumulate(deltas))


def undo_value_key(coded: list[int]) -> list[int | None]:
    """`value_key` as 0-based positions in `value_values`.

    mySociety's coding: the first two entries are as they are; after them, 0 means "the same
    as the entry two back" (authorities often alternate A, B, A, B along the ranges), and
    every index is one more than the position, so the result is shifted down by one. A
    position of -1 (a coded 0 among the first two) means no authority.
    """
    decoded: list[int] = list(coded[:2])
    for value in coded[2:]:
        decoded.append(decoded[-2] if value == 0 else value)
    return [index - 1 if index > 0 else None for index in decoded]


@dataclass(frozen=True)
class RangeLookup:
    keys: tuple[int, ...]
    positions: tuple[int | None, ...]
    values: tuple[str | None, ...]

    @classmethod
    def from_data(cls, data: dict) -> RangeLookup:
        keys = undo_differences(data["postcode_keys"])
        positions = undo_value_key(data["value_key"])
        if len(keys) != len(positions):
            raise ValueError("postcode_keys and value_key differ in length")
        if any(later <= earlier for earlier, later in zip(keys, keys[1:], strict=False)):
            raise ValueError("postcode_keys do not increase")
        return cls(tuple(keys), tuple(positions), tuple(data["value_values"]))

    def code_for(self, postcode: str) -> str | None:
        """The authority code of the range the postcode falls in (None before the first key
        or where the range has no authority)."""
        where = bisect.bisect_right(self.keys, to_integer(postcode)) - 1
        if where < 0:
            return None
        position = self.positions[where]
        if position is None or position >= len(self.values):
            return None
        return self.values[position]


@cache
def shipped_lookup() -> RangeLookup:
    with RANGES_FILE.open(encoding="utf-8") as handle:
        return RangeLookup.from_data(json.load(handle))


# Districts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DistrictShare:
    code: str
    share: float  # of the district's postcode records, 0 to 1
    postcodes: int


def read_district_shares(lines) -> dict[str, tuple[DistrictShare, ...]]:
    """District → its authorities, largest share first."""
    shares: dict[str, list[DistrictShare]] = {}
    for row in csv.DictReader(lines):
        shares.setdefault(row["postcode_district"].strip().upper(), []).append(DistrictShare(
            row["lad23cd"].strip(), float(row["share"]), int(row["n_postcode_records"])))
    return {district: tuple(sorted(rows, key=lambda row: (-row.share, row.code)))
            for district, rows in shares.items()}


@cache
def shipped_district_shares() -> dict[str, tuple[DistrictShare, ...]]:
    with DISTRICT_SHARES_FILE.open(encoding="utf-8", newline="") as handle:
        return read_district_shares(handle)


# The answer ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Located:
    """Where a postcode or district is: one authority (a full postcode), or the authorities
    of a district with their shares (approximate). `problem` says why there is no answer."""

    postcode: Postcode | None
    shares: tuple[DistrictShare, ...] = ()
    problem: str = ""  # "" | "not-a-postcode" | "unknown" | "outside-uk:<where>" | "ni-off"

    @property
    def code(self) -> str | None:
        """The authority of a full postcode, or the main one of a district."""
        return self.shares[0].code if self.shares else None

    @property
    def approximate(self) -> bool:
        return bool(self.postcode and self.postcode.is_district)


def locate(text: str, *, northern_ireland: bool = True,
           lookup: RangeLookup | None = None,
           district_shares: dict[str, tuple[DistrictShare, ...]] | None = None) -> Located:
    """The local authority of a full postcode, or the authorities of a district.

    With `northern_ireland` off, BT postcodes are not looked up at all (their data is under
    Land & Property Services' non-commercial terms; see data/PROVENANCE.md).
    """
    postcode = parse(text)
    if postcode is None:
        if squeeze(text) in SPECIAL_POSTCODES:
            return Located(None, problem="unknown")
        return Located(None, problem="not-a-postcode")
    if postcode.is_northern_ireland and not northern_ireland:
        return Located(postcode, problem="ni-off")
    outside = CROWN_DEPENDENCIES.get(re.sub(r"[0-9].*", "", postcode.text))
    if outside:
        return Located(postcode, problem=f"outside-uk:{outside}")
    known_districts = district_shares if district_shares is not None else shipped_district_shares()
    if postcode.is_district:
        shares = known_districts.get(postcode.text, ())
        shares = tuple(row for row in shares if row.code not in NOT_UK_AUTHORITIES)
        if not shares:
            return Located(postcode, problem="unknown")
        return Located(postcode, shares)
    if postcode.district not in known_districts:
        # The ranges answer any well-formed string; a district that no postcode of May 2025
        # (live or terminated) belongs to is not a real one, so neither is the postcode.
        return Located(postcode, problem="unknown")
    code = (lookup or shipped_lookup()).code_for(postcode.text)
    if code is None:
        return Located(postcode, problem="unknown")
    if code in NOT_UK_AUTHORITIES:
        return Located(postcode, problem=f"outside-uk:{NOT_UK_AUTHORITIES[code]}")
    return Located(postcode, (DistrictShare(code, 1.0, 1),))
