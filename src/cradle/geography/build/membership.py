"""Which small areas make up which health areas, from official LSOA lookups (no Django imports).

Population estimates exist for 2011 MSOAs; the ONS lookups place LSOAs. Every LSOA lies in one
MSOA and every MSOA in one local authority, so an MSOA is placed in areas by the share of its
LSOAs in each, and an area can only ever receive babies of the authorities its LSOAs lie in.
Plain functions over plain data, so each rule can be checked by hand.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction


def msoa_of_lsoa(
    names_2011: Iterable[tuple[str, str]],
    names_2021: Iterable[tuple[str, str]],
    msoa11_by_name: Mapping[str, str],
    msoa21_by_name: Mapping[str, str],
) -> dict[str, str]:
    """{LSOA code: 2011 MSOA code} from the (LSOA code, LSOA name) pairs of the lookups.

    An LSOA's name is its MSOA's plus a letter ("Barnet 001A" lies in "Barnet 001"). 2011
    LSOAs are tied by their 2011 names; a 2021 LSOA by its 2021 MSOA, where that MSOA kept its
    2011 code (`msoa21_by_name` gives "" for MSOAs new in 2021). An LSOA that kept its code in
    2021 is the same LSOA, so one table serves both censuses: that is how the 2011 LSOAs of
    districts renamed since (Dorset, Buckinghamshire, Suffolk...) are found.
    """
    found: dict[str, str] = {}
    for code, name in names_2011:
        msoa = msoa11_by_name.get(name[:-1])
        if msoa and code not in found:
            found[code] = msoa
    for code, name in names_2021:
        msoa = msoa21_by_name.get(name[:-1])
        if msoa and code not in found:
            found[code] = msoa
    return found


def msoa_fractions(
    lsoa_areas: Mapping[str, str], msoa_by_lsoa: Mapping[str, str]
) -> dict[str, dict[str, Fraction]]:
    """Fraction of each MSOA in each area: the share of its known LSOAs the lookup puts there."""
    return shares_of_lsoas(msoa_by_lsoa, lsoa_areas)


def touching(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """{local authority: the areas it touches} from (local authority, area) pairs."""
    touches: dict[str, set[str]] = defaultdict(set)
    for la, area in pairs:
        touches[la].add(area)
    return dict(touches)


def shares_outside_touch(
    la_shares: Mapping[str, Mapping[str, Fraction]], touches: Mapping[str, set[str]]
) -> list[tuple[str, str]]:
    """(area, local authority) pairs holding babies of an authority the area does not touch."""
    return sorted((area, la) for la, shares in la_shares.items() for area, share in shares.items()
                  if share and area not in touches.get(la, ()))


def whole_authorities(lsoa_las: Mapping[str, str], lsoa_areas: Mapping[str, str]) -> set[str]:
    """Areas every local authority of which lies wholly inside them, by LSOA membership."""
    areas_of_la: dict[str, set[str]] = defaultdict(set)
    las_of_area: dict[str, set[str]] = defaultdict(set)
    for lsoa, area in lsoa_areas.items():
        la = lsoa_las.get(lsoa)
        if la is None:
            continue
        areas_of_la[la].add(area)
        las_of_area[area].add(la)
    return {area for area, las in las_of_area.items()
            if all(areas_of_la[la] == {area} for la in las)}


def shares_of_lsoas(
    from_areas: Mapping[str, str], to_areas: Mapping[str, str]
) -> dict[str, dict[str, Fraction]]:
    """For each area of one grouping of LSOAs (earlier areas, or MSOAs), the share of its
    LSOAs in each area of another (LSOAs in both only)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for lsoa, earlier in from_areas.items():
        later = to_areas.get(lsoa)
        if later is not None:
            counts[earlier][later] += 1
    return {earlier: {later: Fraction(n, sum(c.values())) for later, n in sorted(c.items())}
            for earlier, c in counts.items()}
