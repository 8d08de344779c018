"""Planning's reads from the register, the geography and FOI campaigns.

Every read here goes through the owning app's named queryset methods where one exists; the
arithmetic is in the pure modules (sizing, costs, gaps).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from cradle.directory.coverage_queries import cached as coverage_cached
from cradle.directory.coverage_queries import (
    data_version,
    load_geography,
    population_year_for,
)
from cradle.directory.models import Service, ServiceKind, ServiceStaffing, TeamCountMilestone
from cradle.foi.analysis import MergedArea, merge_by_area
from cradle.foi.models import Campaign, ResponseRecord
from cradle.foi.report import record_to_row
from cradle.geography.models import Area, AreaSuccession

from .gaps import TeamStaffing

FOI_SCHEME = "ccg2019"

@dataclass(frozen=True)
class AreaFigures:
    key: tuple[str, str]
    name: str
    nation: str
    births: int | None  # the age-0 population, standing in for annual births
    population_0_2: int | None


def area_figures(scheme: str, year: int) -> dict[tuple[str, str], AreaFigures]:
    areas = Area.objects.in_scheme(scheme).with_infant_population(year).order_by("name")
    return {(a.scheme, a.code): AreaFigures((a.scheme, a.code), a.name, a.nation,
                                            a.population_age_0, a.population_0_2)
            for a in areas}


@dataclass(frozen=True)
class ServiceLine:
    pk: int
    name: str
    kind: str
    kind_label: str
    staffing: tuple[tuple[str, Decimal], ...]  # (profession label, WTE)
    areas: tuple[tuple[str, str], ...]

    @property
    def total_wte(self) -> Decimal | None:
        """The WTE recorded; None when the service has recorded no staffing (unknown, which
        is not 0: a recorded WTE is always above zero)."""
        if not self.staffing:
            return None
        return sum((wte for _, wte in self.staffing), Decimal(0))

    @property
    def is_team(self) -> bool:
        return self.kind == ServiceKind.TEAM

    def as_team_staffing(self) -> TeamStaffing:
        return TeamStaffing(self.pk, self.name, self.total_wte, self.areas)


def operating_services(on: datetime.date) -> list[ServiceLine]:
    services = (Service.objects.real().operating_on(on).order_by("name")
                .prefetch_related("staffing", "coverage__area"))
    kinds = dict(ServiceKind.choices)
    return [ServiceLine(
        service.pk, service.name, service.kind, kinds.get(service.kind, service.kind),
        tuple((row.get_profession_display(), row.wte) for row in service.staffing.all()),
        tuple((c.area.scheme, c.area.code) for c in service.coverage.all()))
        for service in services]


def planning_version() -> str:
    """Changes when the register, its staffing or the reference data change."""
    staffing = ServiceStaffing.history.aggregate(latest=Max("history_id"))["latest"]
    return f"{data_version()}-{staffing or 0}"


def cached(name: str, on: datetime.date, compute):
    return coverage_cached(f"planning:{name}", on, compute, version=planning_version)


def geography_for(on: datetime.date):
    return load_geography(population_year_for(on))


@dataclass(frozen=True)
class FoiAnswer:
    campaign: str
    area_name: str
    area_code: str
    merged: MergedArea


def foi_areas_for(area: Area) -> list[Area]:
    """The 2019 CCGs FOI campaigns ask about that stand for this area: itself if it is one,
    otherwise its 2019 predecessors (followed through later vintages)."""
    if area.scheme == FOI_SCHEME:
        return [area]
    found, frontier = {}, [area.pk]
    for _ in range(4):  # ccg2019 -> ccg2021 -> subicb2022 -> icb2023 at most
        predecessors = list(AreaSuccession.objects.filter(successor_id__in=frontier)
                            .select_related("predecessor"))
        if not predecessors:
            break
        frontier = []
        for link in predecessors:
            if link.predecessor.scheme == FOI_SCHEME:
                found[link.predecessor.pk] = link.predecessor
            else:
                frontier.append(link.predecessor_id)
    return sorted(found.values(), key=lambda a: a.name)


def latest_foi_answers(area: Area) -> list[FoiAnswer]:
    """For each 2019 CCG standing for the area, the merged answer of the latest campaign that
    has checked responses about it (FOI answers are public disclosures; only area figures are
    shown; an answer nobody has checked is never shown: ADR 0031)."""
    answers = []
    for ccg in foi_areas_for(area):
        campaign = (Campaign.objects.filter(responses__in=ResponseRecord.objects.checked()
                                            .filter(area=ccg))
                    .order_by("-created_at", "-id").first())
        if campaign is None:
            continue
        records = (ResponseRecord.objects.checked().filter(campaign=campaign, area=ccg)
                   .select_related("area").order_by("id"))
        merged = merge_by_area([record_to_row(r) for r in records]).get(ccg.ods_code)
        if merged is not None:
            answers.append(FoiAnswer(campaign.name, ccg.name, ccg.ods_code, merged))
    return answers


def teams_operating_on(on: datetime.date) -> int:
    return Service.objects.real().teams().operating_on(on).count()


def milestones() -> list[TeamCountMilestone]:
    return list(TeamCountMilestone.objects.order_by("on"))
