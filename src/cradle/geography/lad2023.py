"""Local authorities of December 2023 in terms of the April 2020 authorities Cradle counts on.

Cradle's population and overlap tables are on April 2020 local authorities. Between then and
December 2023 the only changes were whole-district mergers into new unitary authorities
(Northamptonshire 2021; Cumbria, North Yorkshire and Somerset 2023), so every December 2023
authority is exactly one April 2020 authority or a union of several: nothing is apportioned.
Plain data, no Django imports.
"""

# New code: (name, the April 2020 authorities it was made from).
MERGED_SINCE_APRIL_2020: dict[str, tuple[str, tuple[str, ...]]] = {
    "E06000061": ("North Northamptonshire", ("E07000150", "E07000152", "E07000153", "E07000156")),
    "E06000062": ("West Northamptonshire", ("E07000151", "E07000154", "E07000155")),
    "E06000063": ("Cumberland", ("E07000026", "E07000028", "E07000029")),
    "E06000064": ("Westmorland and Furness", ("E07000027", "E07000030", "E07000031")),
    "E06000065": ("North Yorkshire", (
        "E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168",
        "E07000169")),
    "E06000066": ("Somerset", ("E07000187", "E07000188", "E07000189", "E07000246")),
}

SUCCESSOR_OF_APRIL_2020: dict[str, str] = {
    part: new for new, (_name, parts) in MERGED_SINCE_APRIL_2020.items() for part in parts
}


def april_2020_parts(code: str) -> tuple[str, ...]:
    """The April 2020 authorities a December 2023 (or April 2020) authority code stands for."""
    merged = MERGED_SINCE_APRIL_2020.get(code)
    return merged[1] if merged else (code,)


def december_2023_code(code: str) -> str:
    """The December 2023 authority an April 2020 authority lies in (itself if unchanged)."""
    return SUCCESSOR_OF_APRIL_2020.get(code, code)
