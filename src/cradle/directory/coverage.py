"""Who lives where a team operates: coverage arithmetic over plain data (no Django imports).

Coverage is counted at the finest geography a service records: a town's team that names its
local authority covers that authority, not the whole CCG around it. Everything is reduced to
local authorities, whose infant populations are known exactly; a health area covers the share
of each authority's babies that live inside it.

Each area of the scheme in force is then **covered**, **partly covered** or **not covered**
(`area_status`, ADR 0017): covered where a team's recorded coverage names the whole area or
teams cover at least half its babies; partly covered where they cover some (at least one baby,
rounded) or where a team is recorded as covering an unknown part of it; not covered otherwise.
A sliver of one authority's babies placed in a neighbouring area by apportioning therefore
makes that neighbour partly covered, with its (small) share shown, never covered.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LOCAL_SCHEMES = ("la", "county")
TEAM = "team"
SPECIALISTS = "camhs_specialists"

COVERED = "covered"
PARTLY_COVERED = "partly_covered"
NOT_COVERED = "not_covered"
STATUSES = (COVERED, PARTLY_COVERED, NOT_COVERED)
STATUS_WORDS = {COVERED: "Covered", PARTLY_COVERED: "Partly covered", NOT_COVERED: "Not covered"}
SPECIALISTS_WORDS = "CAMHS parent-infant specialists, no team"
# Teams covering at least this share of an area's babies make it covered.
HALF = 0.5
# Fewer covered babies than this round to none: the area is not covered at all. Shares are
# sums of floating-point products, so "some" must mean at least one baby once rounded.
SOME_BABIES = 0.5
# Float sums of shares that should be exactly one half may land a hair below it.
_EPSILON = 1e-9

AreaKey = tuple[str, str]  # (scheme, code)


@dataclass(frozen=True)
class Geography:
    la_population: Mapping[str, int]
    la_nation: Mapping[str, str]
    # For every area of every scheme: {la code: share of that LA's babies living in the area}.
    area_las: Mapping[AreaKey, Mapping[str, float]]
    area_nation: Mapping[AreaKey, str]
    area_name: Mapping[AreaKey, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceCover:
    kind: str
    areas: tuple[AreaKey, ...]
    # The areas among `areas` recorded as covered only in part (ServiceCoverage.partial).
    partial: frozenset[AreaKey] = frozenset()

    @property
    def whole_areas(self) -> frozenset[AreaKey]:
        """The areas its recorded coverage names without the partial flag."""
        return frozenset(self.areas) - self.partial


@dataclass(frozen=True)
class AreaCoverage:
    key: AreaKey
    name: str
    nation: str
    status: str  # COVERED, PARTLY_COVERED or NOT_COVERED
    population_0_2: float
    # Babies known to be covered; None where a team covers a part of the area Cradle cannot
    # place (a partial coverage row with no finer geography recorded).
    population_0_2_covered: float | None
    specialists: bool = False  # CAMHS parent-infant specialists cover some of it
    named: bool = False  # a team's recorded coverage names the whole area

    @property
    def share(self) -> float | None:
        """Share (0 to 1) of its babies covered; None where not known."""
        if self.population_0_2_covered is None or not self.population_0_2:
            return None
        return min(1.0, self.population_0_2_covered / self.population_0_2)

    @property
    def pct_covered(self) -> float | None:
        share = self.share
        return None if share is None else round(100 * share, 1)

    @property
    def shade(self) -> str:
        """How a map shades it: its status, or "specialists" for an uncovered area with CAMHS
        parent-infant specialists."""
        if self.status == NOT_COVERED and self.specialists:
            return "specialists"
        return self.status

    @property
    def status_words(self) -> str:
        """"Covered", "Partly covered" or "Not covered"."""
        return STATUS_WORDS[self.status]

    @property
    def in_words(self) -> str:
        return status_in_words(self.status, self.pct_covered, specialists=self.specialists)

    def as_dict(self) -> dict:
        scheme, code = self.key
        return {"scheme": scheme, "code": code, "name": self.name, "nation": self.nation,
                "status": self.status, "pct_covered": self.pct_covered,
                "population_0_2": round(self.population_0_2),
                "named_by_team": self.named, "camhs_specialists": self.specialists}


def pct_in_words(pct: float | None) -> str:
    if pct is None:
        return "share of babies not known"
    if pct < 0.1:
        return "less than 0.1% of babies"
    return f"{pct:g}% of babies"


def status_in_words(status: str, pct: float | None = None, *, specialists: bool = False) -> str:
    """"Covered", "Partly covered (23.4% of babies)", "Not covered", or "Not covered: CAMHS
    parent-infant specialists, no team"."""
    if status == PARTLY_COVERED:
        return f"{STATUS_WORDS[status]} ({pct_in_words(pct)})"
    if status == NOT_COVERED and specialists:
        return f"{STATUS_WORDS[status]}: {SPECIALISTS_WORDS}"
    return STATUS_WORDS[status]


@dataclass(frozen=True)
class KeyEntry:
    shade: str
    words: str
    look: str  # the fill, in words, for those who cannot tell the colours apart


def map_key() -> tuple[KeyEntry, ...]:
    """The coverage maps' key, in the order of the legend (status-map.js draws the same)."""
    return (
        KeyEntry(COVERED, STATUS_WORDS[COVERED], "solid blue"),
        KeyEntry(PARTLY_COVERED, STATUS_WORDS[PARTLY_COVERED], "blue stripes"),
        KeyEntry("specialists", status_in_words(NOT_COVERED, specialists=True),
                 "purple stripes"),
        KeyEntry(NOT_COVERED, STATUS_WORDS[NOT_COVERED], "white"),
    )


def area_status(*, named: bool, population_0_2: float, covered: float,
                unplaced_part: bool = False) -> str:
    """The one rule (ADR 0017). `named`: a team's recorded coverage names the whole area;
    `covered`: its babies known to be covered; `unplaced_part`: a team covers a part of it
    that cannot be placed (recorded as partial with no finer geography)."""
    if named:
        return COVERED
    if population_0_2 > 0 and covered >= HALF * population_0_2 - _EPSILON:
        return COVERED
    if unplaced_part or covered >= SOME_BABIES:
        return PARTLY_COVERED
    return NOT_COVERED


@dataclass(frozen=True)
class NationCoverage:
    areas: int
    areas_with_team: int  # areas covered (ADR 0017), not merely touched by a team
    population_0_2: int
    population_0_2_covered: int
    areas_partly_covered: int = 0
    # Partly covered areas whose share is not known (their unknown part is not counted in
    # population_0_2_covered, which is then a lower bound).
    areas_share_not_known: int = 0

    @property
    def areas_covered(self) -> int:
        return self.areas_with_team

    @property
    def areas_not_covered(self) -> int:
        return self.areas - self.areas_with_team - self.areas_partly_covered

    @property
    def pct_covered(self) -> float:
        if not self.population_0_2:
            return 0.0
        return round(100 * self.population_0_2_covered / self.population_0_2, 1)

    def as_dict(self) -> dict:
        return {"areas": self.areas, "areas_with_team": self.areas_with_team,
                "areas_partly_covered": self.areas_partly_covered,
                "areas_share_not_known": self.areas_share_not_known,
                "population_0_2": self.population_0_2,
                "population_0_2_covered": self.population_0_2_covered,
                "pct_covered": self.pct_covered}


@dataclass(frozen=True)
class CoverageReport:
    on: datetime.date
    teams_operating: int
    schemes: Mapping[str, str]
    nations: Mapping[str, NationCoverage]
    uk: NationCoverage
    areas: tuple[AreaCoverage, ...]

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "teams_operating": self.teams_operating,
                "nations": {n: c.as_dict() for n, c in self.nations.items()},
                "uk": self.uk.as_dict(),
                "areas": [area.as_dict() for area in self.areas]}

    def area(self, key: AreaKey) -> AreaCoverage | None:
        return next((row for row in self.areas if row.key == key), None)


def schemes_in_force(on: datetime.date) -> dict[str, str]:
    """The health-area scheme of each nation on a date, so every date is counted on the areas
    of its time (the dates are those of `cradle.geography.schemes`).

    England: the 191 CCGs of April 2019 until March 2021 (the 135 CCGs of April 2020 are not
    loaded, so 2020-21 is counted on their 2019 predecessors, and earlier dates on the 2019
    CCGs too), the CCGs of April 2021 from 2021-04-01, the sub-ICB locations of July 2022 from
    2022-07-01, those of April 2024 from 2024-04-01, and the 36 ICBs of April 2026 from
    2026-04-01 (no list of the 2026 sub-ICB locations exists in the sources). Wales, Scotland
    and Northern Ireland: their one configuration.
    """
    if on < datetime.date(2021, 4, 1):
        england = "ccg2019"
    elif on < datetime.date(2022, 7, 1):
        england = "ccg2021"
    elif on < datetime.date(2024, 4, 1):
        england = "subicb2022"
    elif on < datetime.date(2026, 4, 1):
        england = "subicb2024"
    else:
        england = "icb2026"
    return {"England": england, "Wales": "lhb", "Scotland": "hb", "Northern Ireland": "nitrust"}


def planning_schemes(on: datetime.date) -> dict[str, str]:
    """The areas teams are planned for on a date: the schemes in force, except that while
    England is counted on its integrated care boards (from April 2026), teams are planned for
    the sub-ICB locations of April 2024, the places inside them.

    A team serves a place (Rare Jewels counted CCGs, and the 49 teams of 2025 are mostly one
    per borough); one team per ICB would put ten Greater Manchester teams in one area and make
    "teams to add" meaningless.
    """
    schemes = schemes_in_force(on)
    if schemes["England"] == "icb2026":
        schemes["England"] = "subicb2024"
    return schemes


def finest_areas(areas: Iterable[AreaKey]) -> tuple[AreaKey, ...]:
    """Local authorities where a service names any; otherwise its health areas."""
    areas = tuple(areas)
    local = tuple(a for a in areas if a[0] in LOCAL_SCHEMES)
    return local or areas


def _fractions(geo: Geography, areas: set[AreaKey], exclude_scheme: str | None = None):
    """Share of each LA's babies living in the given areas (the best scheme for each LA)."""
    by_scheme: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key in areas:
        if key[0] == exclude_scheme:
            continue
        scheme = "local" if key[0] in LOCAL_SCHEMES else key[0]
        for la, share in geo.area_las.get(key, {}).items():
            by_scheme[scheme][la] += share
    fractions: dict[str, float] = defaultdict(float)
    for shares in by_scheme.values():
        for la, share in shares.items():
            fractions[la] = max(fractions[la], min(1.0, share))
    return fractions


def _placed_and_unplaced(services: list[ServiceCover]) -> tuple[set[AreaKey], set[AreaKey]]:
    """The teams' finest areas whose babies can be placed, and those recorded as partial with
    nothing finer (a part of the area, which part not known)."""
    placed, unplaced = set(), set()
    for service in services:
        if service.kind != TEAM:
            continue
        for key in finest_areas(service.areas):
            (unplaced if key in service.partial else placed).add(key)
    return placed, unplaced


def _has_unplaced_part(key: AreaKey, las, unplaced: set[AreaKey], geo: Geography) -> bool:
    # Areas of one scheme do not overlap: only the area itself; another scheme's area may hold
    # the unplaced part wherever they share a local authority.
    return key in unplaced or any(
        other[0] != key[0] and set(geo.area_las.get(other, {})) & set(las) for other in unplaced)


def coverage_on(
    on: datetime.date, geo: Geography, services: Iterable[ServiceCover],
    schemes: Mapping[str, str] | None = None,
) -> CoverageReport:
    """Coverage on a date, counted on the schemes in force (or on `schemes`, one per nation,
    e.g. `planning_schemes(on)`)."""
    services = list(services)
    in_force = dict(schemes) if schemes is not None else schemes_in_force(on)
    team_areas, unplaced = _placed_and_unplaced(services)
    named = {a for s in services if s.kind == TEAM for a in s.whole_areas}
    specialist_areas = {a for s in services if s.kind == SPECIALISTS
                        for a in finest_areas(s.areas)}
    team_fraction = _fractions(geo, team_areas)
    specialist_las = {la for la, f in _fractions(geo, specialist_areas).items() if f > 0}
    # Inside an area of the scheme in force, coverage recorded against that same scheme is
    # known exactly (the area is covered or not); coverage recorded at other geographies is
    # spread evenly over each local authority it touches.
    from_other_geographies = {
        scheme: _fractions(geo, team_areas, exclude_scheme=scheme)
        for scheme in set(in_force.values())
    }

    area_rows = []
    for key, nation in sorted(geo.area_nation.items()):
        if in_force.get(nation) != key[0]:
            continue
        other = from_other_geographies[key[0]]
        las = geo.area_las.get(key, {})
        population = covered = 0.0
        for la, share in las.items():
            babies = share * geo.la_population.get(la, 0)
            population += babies
            covered += babies * (1.0 if key in team_areas else other.get(la, 0.0))
        is_named = key in named
        if is_named:
            covered = population  # the record names the whole area
        unplaced_part = not is_named and _has_unplaced_part(key, las, unplaced, geo)
        status = area_status(named=is_named, population_0_2=population, covered=covered,
                             unplaced_part=unplaced_part)
        if status == NOT_COVERED:
            covered = 0.0
        specialists = key in specialist_areas or bool(specialist_las & set(las))
        area_rows.append(AreaCoverage(
            key, geo.area_name.get(key, key[1]), nation, status, population,
            None if unplaced_part else covered, specialists, is_named))

    nations = {}
    for nation in in_force:
        las = [la for la, n in geo.la_nation.items() if n == nation]
        rows = [r for r in area_rows if r.nation == nation]
        nations[nation] = NationCoverage(
            areas=len(rows),
            areas_with_team=sum(1 for r in rows if r.status == COVERED),
            population_0_2=sum(geo.la_population.get(la, 0) for la in las),
            population_0_2_covered=round(sum(
                geo.la_population.get(la, 0) * team_fraction.get(la, 0.0) for la in las)),
            areas_partly_covered=sum(1 for r in rows if r.status == PARTLY_COVERED),
            areas_share_not_known=sum(1 for r in rows if r.status == PARTLY_COVERED
                                      and r.share is None),
        )
    uk = NationCoverage(
        areas=sum(n.areas for n in nations.values()),
        areas_with_team=sum(n.areas_with_team for n in nations.values()),
        population_0_2=sum(n.population_0_2 for n in nations.values()),
        population_0_2_covered=sum(n.population_0_2_covered for n in nations.values()),
        areas_partly_covered=sum(n.areas_partly_covered for n in nations.values()),
        areas_share_not_known=sum(n.areas_share_not_known for n in nations.values()),
    )
    teams = sum(1 for s in services if s.kind == TEAM)
    return CoverageReport(on, teams, in_force, nations, uk, tuple(area_rows))
