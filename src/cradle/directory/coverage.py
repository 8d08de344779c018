"""Who lives where a team operates: coverage arithmetic over plain data (no Django imports).

Coverage is counted at the finest geography a service records: a town's team that names its
local authority covers that authority, not the whole CCG around it. Everything is reduced to
local authorities, whose infant populations are known exactly; a health area covers the share
of each authority's babies that live inside it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LOCAL_SCHEMES = ("la", "county")
TEAM = "team"
SPECIALISTS = "camhs_specialists"

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


@dataclass(frozen=True)
class AreaCoverage:
    key: AreaKey
    name: str
    nation: str
    status: str  # "team", "specialists" or "none"
    population_0_2: float
    population_0_2_covered: float


@dataclass(frozen=True)
class NationCoverage:
    areas: int
    areas_with_team: int
    population_0_2: int
    population_0_2_covered: int

    @property
    def pct_covered(self) -> float:
        if not self.population_0_2:
            return 0.0
        return round(100 * self.population_0_2_covered / self.population_0_2, 1)

    def as_dict(self) -> dict:
        return {"areas": self.areas, "areas_with_team": self.areas_with_team,
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
                "uk": self.uk.as_dict()}


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


def coverage_on(
    on: datetime.date, geo: Geography, services: Iterable[ServiceCover]
) -> CoverageReport:
    services = list(services)
    in_force = schemes_in_force(on)
    team_areas = {a for s in services if s.kind == TEAM for a in finest_areas(s.areas)}
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
        if covered > 0:
            status = "team"
        elif key in specialist_areas or specialist_las & set(las):
            status = "specialists"
        else:
            status = "none"
        area_rows.append(AreaCoverage(key, geo.area_name.get(key, key[1]), nation, status,
                                      population, covered))

    nations = {}
    for nation in in_force:
        las = [la for la, n in geo.la_nation.items() if n == nation]
        rows = [r for r in area_rows if r.nation == nation]
        nations[nation] = NationCoverage(
            areas=len(rows),
            areas_with_team=sum(1 for r in rows if r.status == "team"),
            population_0_2=sum(geo.la_population.get(la, 0) for la in las),
            population_0_2_covered=round(sum(
                geo.la_population.get(la, 0) * team_fraction.get(la, 0.0) for la in las)),
        )
    uk = NationCoverage(
        areas=sum(n.areas for n in nations.values()),
        areas_with_team=sum(n.areas_with_team for n in nations.values()),
        population_0_2=sum(n.population_0_2 for n in nations.values()),
        population_0_2_covered=sum(n.population_0_2_covered for n in nations.values()),
    )
    teams = sum(1 for s in services if s.kind == TEAM)
    return CoverageReport(on, teams, in_force, nations, uk, tuple(area_rows))
