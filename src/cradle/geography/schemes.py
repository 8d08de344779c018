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
    # ISO dates between which this configuration was the one in force; "" is open-ended
    # (not known to have ended, or, for a start, in force before the first date Cradle counts).
    in_force_from: str = ""
    in_force_to: str = ""
    # "gss" where codes are ONS GSS codes (the nation is read from the code); "ods" where no
    # GSS codes exist and the ODS code stands in (the nation is then the scheme's only nation).
    code_system: str = "gss"

    @property
    def in_force_label(self) -> str:
        """The dates in force as words, for pages: "from 2024-04-01", "2019-04-01 to ..."."""
        if self.in_force_from and self.in_force_to:
            return f"{self.in_force_from} to {self.in_force_to}"
        if self.in_force_from:
            return f"from {self.in_force_from}"
        return f"until {self.in_force_to}" if self.in_force_to else "not recorded"


SCHEMES: tuple[Scheme, ...] = (
    Scheme(
        "ccg2019", "Clinical commissioning group (April 2019)", "CCGs (April 2019)", "2019-04-01",
        ("England",), 191, True,
        "The 191 CCGs that commissioned NHS services in England when Rare Jewels was written.",
        "2019-04-01", "2020-03-31",
    ),
    Scheme(
        "ccg2021", "Clinical commissioning group (April 2021)", "CCGs (April 2021)", "2021-04-01",
        ("England",), 106, True,
        "The last CCG configuration, which became the sub-ICB locations in July 2022.",
        "2021-04-01", "2022-06-30",
    ),
    Scheme(
        "subicb2022", "Sub-ICB location (July 2022)", "Sub-ICB locations (July 2022)",
        "2022-07-01", ("England",), 106, True,
        "The places within integrated care boards that took over from CCGs in July 2022.",
        "2022-07-01", "2024-03-31",
    ),
    Scheme(
        "icb2023", "Integrated care board (April 2023)", "Integrated care boards (April 2023)",
        "2023-04-01", ("England",), 42, True,
        "The 42 statutory NHS commissioning bodies in England.",
        "2023-04-01", "2024-03-31",
    ),
    Scheme(
        "subicb2024", "Sub-ICB location (April 2024)", "Sub-ICB locations (April 2024)",
        "2024-04-01", ("England",), 106, True,
        "The 106 sub-ICB locations of April 2024, built exactly from the ONS LSOA (2021) lookup. "
        "No list of the sub-ICB locations of April 2026 is in Cradle's sources, so no end date "
        "is recorded.",
        "2024-04-01", "",
    ),
    Scheme(
        "icb2024", "Integrated care board (April 2024)", "Integrated care boards (April 2024)",
        "2024-04-01", ("England",), 42, True,
        "The 42 integrated care boards of April 2024, until 42 became 36 on 1 April 2026.",
        "2024-04-01", "2026-03-31",
    ),
    Scheme(
        "icb2026", "Integrated care board (April 2026)", "Integrated care boards (April 2026)",
        "2026-04-01", ("England",), 36, True,
        "The 36 integrated care boards of April 2026. Their areas are derived from the 2024 "
        "ICBs (no official boundaries or GSS codes were found): each area's page says how. "
        "Codes are ODS codes.",
        "2026-04-01", "", "ods",
    ),
    Scheme(
        "lhb", "Local health board", "Local health boards", "2020-04-01", ("Wales",), 7, True,
        "The seven health boards that plan and provide NHS services in Wales.",
        "2019-04-01", "",
    ),
    Scheme(
        "hb", "NHS health board", "NHS health boards", "2019-04-01", ("Scotland",), 14, True,
        "The 14 territorial health boards of NHS Scotland.",
        "2019-02-01", "",
    ),
    Scheme(
        "nitrust", "Health and social care trust", "Health and social care trusts", "2018-01-01",
        ("Northern Ireland",), 5, True,
        "The five area HSC trusts of Northern Ireland (coterminous with the local commissioning "
        "groups).",
        "2007-04-01", "",
    ),
    Scheme(
        "la", "Local authority (April 2020)", "Local authorities (April 2020)", "2020-04-01",
        NATIONS, 379, False,
        "Unitary authorities, districts, London boroughs, metropolitan districts, Scottish "
        "council areas, Welsh principal areas and Northern Ireland districts.",
        "2020-04-01", "2021-03-31",
    ),
    Scheme(
        "county", "County council (April 2020)", "County councils (April 2020)", "2020-04-01",
        ("England",), 25, False,
        "English upper-tier county councils; each is a union of districts in the la scheme.",
        "2020-04-01", "2021-03-31",
    ),
)

SCHEMES_BY_KEY = {scheme.key: scheme for scheme in SCHEMES}
HEALTH_SCHEMES = tuple(scheme.key for scheme in SCHEMES if scheme.is_health_area)
POPULATION_YEARS = (2019, 2020)
INFANT_AGES = (0, 1, 2)


def nation_for_area(scheme: str, code: str) -> str:
    """The nation of an area: from its GSS code, or the scheme's nation where codes are ODS."""
    known = SCHEMES_BY_KEY.get(scheme)
    if known is not None and known.code_system == "ods":
        (nation,) = known.nations
        return nation
    return nation_for_code(code)


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
