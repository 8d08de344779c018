"""The area schemes Cradle knows, as plain data (no Django imports).

Every area belongs to exactly one scheme, and a scheme fixes both the kind of area and its
vintage: nothing assumes that today's boundaries were yesterday's.
"""

from dataclasses import dataclass

NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


@dataclass(frozen=True)
class Scheme:
    key: str
    label: str
    plural: str
    vintage: str
    nations: tuple[str, ...]
    expected_count: int
    is_health_area: bool
    description: str


SCHEMES: tuple[Scheme, ...] = (
    Scheme(
        "ccg2019", "Clinical commissioning group (April 2019)", "CCGs (April 2019)", "2019-04-01",
        ("England",), 191, True,
        "The 191 CCGs that commissioned NHS services in England when Rare Jewels was written.",
    ),
    Scheme(
        "ccg2021", "Clinical commissioning group (April 2021)", "CCGs (April 2021)", "2021-04-01",
        ("England",), 106, True,
        "The last CCG configuration, which became the sub-ICB locations in July 2022.",
    ),
    Scheme(
        "subicb2022", "Sub-ICB location (July 2022)", "Sub-ICB locations (July 2022)",
        "2022-07-01", ("England",), 106, True,
        "The places within integrated care boards that took over from CCGs in July 2022.",
    ),
    Scheme(
        "icb2023", "Integrated care board (April 2023)", "Integrated care boards (April 2023)",
        "2023-04-01", ("England",), 42, True,
        "The 42 statutory NHS commissioning bodies in England.",
    ),
    Scheme(
        "lhb", "Local health board", "Local health boards", "2020-04-01", ("Wales",), 7, True,
        "The seven health boards that plan and provide NHS services in Wales.",
    ),
    Scheme(
        "hb", "NHS health board", "NHS health boards", "2019-04-01", ("Scotland",), 14, True,
        "The 14 territorial health boards of NHS Scotland.",
    ),
    Scheme(
        "nitrust", "Health and social care trust", "Health and social care trusts", "2018-01-01",
        ("Northern Ireland",), 5, True,
        "The five area HSC trusts of Northern Ireland (coterminous with the local commissioning "
        "groups).",
    ),
    Scheme(
        "la", "Local authority (April 2020)", "Local authorities (April 2020)", "2020-04-01",
        NATIONS, 379, False,
        "Unitary authorities, districts, London boroughs, metropolitan districts, Scottish "
        "council areas, Welsh principal areas and Northern Ireland districts.",
    ),
    Scheme(
        "county", "County council (April 2020)", "County councils (April 2020)", "2020-04-01",
        ("England",), 25, False,
        "English upper-tier county councils; each is a union of districts in the la scheme.",
    ),
)

SCHEMES_BY_KEY = {scheme.key: scheme for scheme in SCHEMES}
HEALTH_SCHEMES = tuple(scheme.key for scheme in SCHEMES if scheme.is_health_area)
POPULATION_YEARS = (2019, 2020)
INFANT_AGES = (0, 1, 2)


def nation_for_code(code: str) -> str:
    """The nation an area belongs to, read from its code's first letter (GSS convention)."""
    # NI trusts carry DoH short codes (BHSCT, SHSCT, WHSCT...), which are not GSS codes.
    if code.upper().endswith("HSCT"):
        return "Northern Ireland"
    nation = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}.get(
        code[:1].upper())
    if nation is None:
        raise ValueError(f"cannot tell the nation of area code {code!r}")
    return nation
