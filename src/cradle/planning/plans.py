"""Area plans, area profiles and the national picture: the pure sizing, cost and gap rules
applied to what queries.py reads."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cradle.directory.coverage import AreaCoverage, CoverageReport, planning_schemes
from cradle.directory.coverage_queries import coverage_report, population_year_for
from cradle.foi.area_queries import TodaysAreaFigures, todays_area_figures
from cradle.geography.models import Area
from cradle.geography.schemes import NATIONS

from . import queries
from .costs import ZERO, CostRange, TeamCost, cost_team, price_gap
from .gaps import (
    AttributedTeam,
    Pace,
    StaffingGap,
    attribute_staffing,
    latest_count,
    staffing_gap,
)
from .reference_data import PlanningData, shipped
from .sizing import SizedTeam, size_team


@dataclass(frozen=True)
class AreaPlan:
    key: tuple[str, str]
    name: str
    nation: str
    births: int | None
    population_0_2: int | None
    team: SizedTeam | None
    cost: TeamCost | None
    existing: tuple[AttributedTeam, ...]

    @property
    def needed_wte(self) -> Decimal:
        return self.team.total_wte if self.team else Decimal(0)

    @property
    def gap(self) -> StaffingGap:
        return staffing_gap(self.needed_wte, self.existing)

    @property
    def existing_wte(self) -> Decimal:
        """The staffing recorded for the area (teams that recorded none are not counted as 0:
        see `staffing_known` and `gap`)."""
        return self.gap.recorded_wte

    @property
    def staffing_known(self) -> bool:
        return self.gap.staffing_known

    @property
    def gap_cost(self) -> CostRange:
        """The gap's cost: its low end priced low, its high end priced high."""
        if not self.cost:
            return ZERO
        gap = self.gap
        return CostRange(price_gap(gap.low, self.cost).low, price_gap(gap.high, self.cost).high)

    @property
    def total_cost(self) -> CostRange:
        return self.cost.total if self.cost else ZERO

    @property
    def existing_per_1000(self) -> Decimal | None:
        if not self.births or not self.staffing_known:
            return None
        return (self.existing_wte * 1000 / self.births).quantize(Decimal("0.01"))


def plan_area(figures: queries.AreaFigures, teams, geo, data: PlanningData,
              on_cost_pct: Decimal | None = None) -> AreaPlan:
    on_cost = data.costs.on_cost_pct if on_cost_pct is None else on_cost_pct
    team = size_team(figures.births, data.reference) if figures.births is not None else None
    cost = cost_team(team, data.pay.table, on_cost) if team else None
    existing = tuple(attribute_staffing(teams, figures.key, geo.area_las, geo.la_population))
    return AreaPlan(figures.key, figures.name, figures.nation, figures.births,
                    figures.population_0_2, team, cost, existing)


def _compute_scheme_plans(scheme: str, on: datetime.date) -> dict:
    data = shipped()
    year = population_year_for(on)
    geo = queries.geography_for(on)
    teams = [s.as_team_staffing() for s in queries.operating_services(on) if s.is_team]
    return {key: plan_area(figures, teams, geo, data)
            for key, figures in queries.area_figures(scheme, year).items()}


def scheme_plans(scheme: str, on: datetime.date) -> dict[tuple[str, str], AreaPlan]:
    return queries.cached(f"scheme-plans-{scheme}", on,
                          lambda: _compute_scheme_plans(scheme, on))


@dataclass
class Totals:
    """Sums over a group of area plans (a nation, the UK)."""

    name: str
    areas: int = 0
    births: int = 0
    needed_wte: Decimal = Decimal(0)
    existing_wte: Decimal = Decimal(0)  # recorded staffing only
    gap_low_wte: Decimal = Decimal(0)
    gap_high_wte: Decimal = Decimal(0)
    cost: CostRange = ZERO
    gap_cost: CostRange = ZERO
    areas_with_gap: int = 0
    # Areas covered by a team that has recorded no staffing: their gap is a range.
    areas_staffing_not_recorded: int = 0

    def add(self, plan: AreaPlan) -> None:
        gap = plan.gap
        self.areas += 1
        self.births += plan.births or 0
        self.needed_wte += plan.needed_wte
        self.existing_wte += gap.recorded_wte
        self.gap_low_wte += gap.low
        self.gap_high_wte += gap.high
        self.cost += plan.total_cost
        self.gap_cost += plan.gap_cost
        self.areas_with_gap += 1 if gap.high > 0 else 0
        self.areas_staffing_not_recorded += 0 if gap.staffing_known else 1

    @property
    def staffing_known(self) -> bool:
        return self.areas_staffing_not_recorded == 0

    @property
    def gap_is_range(self) -> bool:
        return self.gap_low_wte != self.gap_high_wte

    def per_1000_births(self, wte: Decimal) -> Decimal | None:
        return (wte * 1000 / self.births).quantize(Decimal("0.01")) if self.births else None

    @property
    def existing_per_1000(self):
        return self.per_1000_births(self.existing_wte) if self.staffing_known else None

    @property
    def needed_per_1000(self):
        return self.per_1000_births(self.needed_wte)


def totals(name: str, plans) -> Totals:
    result = Totals(name)
    for plan in plans:
        result.add(plan)
    return result


@dataclass(frozen=True)
class AreaProfile:
    area: Area
    plan: AreaPlan
    on: datetime.date
    population_year: int
    services: tuple[queries.ServiceLine, ...]
    attributed: dict[int, AttributedTeam]
    foi: tuple[queries.FoiAnswer, ...]
    nation: Totals
    similar: tuple[AreaPlan, ...]
    coverage_pct: float | None  # None: not counted (not in force) or share not known
    nation_coverage_pct: float | None
    in_force: bool
    # The area's row of the coverage report (covered, partly covered or not covered), when its
    # scheme is in force.
    coverage: AreaCoverage | None
    data: PlanningData = field(repr=False)
    # Today's ICB or sub-ICB location: the latest campaign's checked answers about it (ADR 0034).
    todays_foi: TodaysAreaFigures | None = None


def area_profile(area: Area, on: datetime.date) -> AreaProfile:
    from .gaps import nearest_by_births, share_in_area

    plans = scheme_plans(area.scheme, on)
    plan = plans[(area.scheme, area.code)]
    geo = queries.geography_for(on)
    services = tuple(s for s in queries.operating_services(on)
                     if share_in_area(s.areas, plan.key, geo.area_las, geo.la_population) > 0)
    attributed = {line.team.key: line for line in plan.existing}
    nation = totals(area.nation, [p for p in plans.values() if p.nation == area.nation])
    births = {key: p.births for key, p in plans.items() if p.births is not None}
    names = {key: p.name for key, p in plans.items()}
    similar = tuple(plans[key] for key in nearest_by_births(plan.key, births, names))
    in_force = planning_schemes(on).get(area.nation) == area.scheme
    coverage_pct = nation_pct = row = None
    if in_force:
        report = coverage_report(on, planning_schemes(on))
        row = report.area(plan.key)
        if row is not None:
            coverage_pct = row.pct_covered
        nation_pct = report.nations[area.nation].pct_covered
    return AreaProfile(area, plan, on, population_year_for(on), services, attributed,
                       tuple(queries.latest_foi_answers(area)), nation, similar, coverage_pct,
                       nation_pct, in_force, row, shipped(),
                       todays_foi=todays_area_figures(area))


@dataclass(frozen=True)
class TrajectoryRow:
    on: datetime.date
    teams: int
    source: str


@dataclass(frozen=True)
class NationalPicture:
    on: datetime.date
    schemes: dict[str, str]
    nations: tuple[Totals, ...]
    uk: Totals
    plans: tuple[AreaPlan, ...]
    register_counts: tuple[TrajectoryRow, ...]
    milestones: tuple[TrajectoryRow, ...]
    pace: Pace
    data: PlanningData = field(repr=False)
    # Today's coverage report: the same covered / partly covered / not covered counts as the
    # coverage map, for the same areas.
    coverage: CoverageReport | None = field(default=None, repr=False)


def register_counts(on: datetime.date) -> list[TrajectoryRow]:
    """Teams operating in the register on 1 January of each year since 2019, and today."""
    dates = [datetime.date(year, 1, 1) for year in range(2019, on.year + 1)]
    dates = [d for d in dates if d <= on] + [on]
    return [TrajectoryRow(d, queries.teams_operating_on(d), "Cradle register")
            for d in dict.fromkeys(dates)]


def national_picture(on: datetime.date) -> NationalPicture:
    data = shipped()
    in_force = planning_schemes(on)
    by_nation: dict[str, list[AreaPlan]] = defaultdict(list)
    for nation in NATIONS:
        for plan in scheme_plans(in_force[nation], on).values():
            if plan.nation == nation:
                by_nation[nation].append(plan)
    nations = tuple(totals(nation, by_nation[nation]) for nation in NATIONS)
    every = [plan for nation in NATIONS for plan in by_nation[nation]]
    counts = register_counts(on)
    published = [TrajectoryRow(m.on, m.teams, f"{m.publisher}: {m.publication}")
                 for m in queries.milestones() if m.on <= on]
    counted_on, teams_now = latest_count((counts[-1].on, counts[-1].teams),
                                         [(r.on, r.teams) for r in published])
    pace = Pace(teams_now, counted_on, len(every), data.target.teams_everywhere_by, today=on)
    return NationalPicture(on, in_force, nations, totals("UK", every), tuple(every),
                           tuple(counts), tuple(published), pace, data,
                           coverage_report(on, in_force))
