"""The finder's reads of the register and the areas, in one place (the page and the command
read through `answer.find_help`, never the models directly)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from cradle.directory.classification import with_facts
from cradle.directory.confirmation import with_claims
from cradle.directory.models import Service, ServiceCoverage
from cradle.geography.lad2023 import SUCCESSOR_OF_APRIL_2020
from cradle.geography.models import Area, LocalAuthorityOverlap, Scheme
from cradle.geography.schemes import HEALTH_SCHEMES, SCHEMES_BY_KEY

from .places import Place, authority_places, nation_places, shipped_authorities


def places() -> list[Place]:
    """Every place a name can mean: the December 2023 authorities (shipped), the April 2020
    authorities merged since (as former authorities), counties, health areas, nations."""
    found = [*authority_places(shipped_authorities()), *nation_places()]
    rows = Area.objects.filter(scheme__in=(Scheme.LA, Scheme.COUNTY, *HEALTH_SCHEMES)).values_list(
        "scheme", "code", "name", "nation")
    for scheme, code, name, nation in rows:
        if scheme == Scheme.LA:
            if code in SUCCESSOR_OF_APRIL_2020:
                found.append(Place(name, "former local authority", code, nation=nation))
        elif scheme == Scheme.COUNTY:
            found.append(Place(name, "county", code, scheme, nation))
        else:
            found.append(Place(name, "health area", code, scheme, nation,
                               order=scheme_order(scheme)))
    return found


def scheme_order(scheme: str) -> int:
    """Newer health-area schemes first among places with the same name."""
    known = SCHEMES_BY_KEY.get(scheme)
    return -int(known.vintage.replace("-", "")) if known else 0


def area(scheme: str, code: str) -> Area:
    return Area.objects.get(scheme=scheme, code=code)


def authorities_in(area: Area) -> tuple[str, ...]:
    """The April 2020 authorities in a county or touching a health area."""
    if area.scheme == Scheme.COUNTY:
        return tuple(area.children.values_list("code", flat=True).order_by("code"))
    return tuple(LocalAuthorityOverlap.objects.for_area(area).values_list(
        "local_authority__code", flat=True).order_by("local_authority__code"))


def operating_services(on: datetime.date) -> list[Service]:
    """The register's real services operating on the date, with what classifying them and
    listing their coverage needs prefetched."""
    coverage = ServiceCoverage.objects.select_related("area").order_by("area__scheme",
                                                                       "area__name")
    services = with_claims(with_facts(Service.objects.real().operating_on(on)))
    return list(services.prefetch_related(Prefetch("coverage", queryset=coverage))
                .order_by("name"))


@dataclass(frozen=True)
class Reason:
    text: str
    direct: bool  # the coverage names the place itself, all of it


def reasons_covering(services, la_codes, area_id: int | None,
                     notes: dict[str, str] | None = None) -> dict[int, list[Reason]]:
    """For each service whose recorded coverage reaches the place: how, one reason per area
    of its coverage, best first.

    Reaching it means naming one of its authorities, a county containing one, a health area
    one falls in (wholly or partly, with the share of its babies said), or the county or
    health area that was named itself. `notes` adds words after an authority's name (a
    district's share of postcodes in it)."""
    notes = notes or {}
    las = list(Area.objects.filter(scheme=Scheme.LA, code__in=la_codes).order_by("name"))
    direct = {la.pk for la in las} | ({area_id} if area_id is not None else set())
    includes: dict[int, list[str]] = {}  # a county or health area → the place's parts in it
    for la in las:
        if la.parent_id:
            includes.setdefault(la.parent_id, []).append(la.name + notes.get(la.code, ""))
    overlaps = LocalAuthorityOverlap.objects.filter(local_authority__in=las).select_related(
        "local_authority").order_by("local_authority__name")
    for overlap in overlaps:
        la = overlap.local_authority
        part = la.name if overlap.is_whole else (
            f"part of {la.name} (about {_percent(overlap.share_0_2)} of its babies aged 0 to 2, "
            "mid-2020 ONS estimates)")
        includes.setdefault(overlap.area_id, []).append(part + notes.get(la.code, ""))
    reasons: dict[int, list[Reason]] = {}
    for service in services:
        for row in service.coverage.all():
            covers = (f"covers {'part of ' if row.partial else ''}{row.area.name}"
                      f"{notes.get(row.area.code, '') if row.area.scheme == Scheme.LA else ''}")
            if row.area_id in direct:
                reason = Reason(covers, not row.partial)
            elif row.area_id in includes:
                parts = includes[row.area_id]
                reason = Reason(f"{covers}, which includes {_and(parts)}", False)
            else:
                continue
            reasons.setdefault(service.pk, []).append(reason)
    for found in reasons.values():
        found.sort(key=lambda reason: not reason.direct)
    return reasons


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _percent(share) -> str:
    percent = float(share) * 100
    return f"{percent:.0f}%" if percent >= 1 else "less than 1%"


def authorities_reached(services) -> dict[int, set[str]]:
    """Service pk → the April 2020 authorities its coverage reaches (the authorities named,
    the districts of counties named, the authorities touching health areas named)."""
    area_ids = {row.area_id for service in services for row in service.coverage.all()}
    codes_of: dict[int, set[str]] = {}
    for pk, code in Area.objects.filter(pk__in=area_ids, scheme=Scheme.LA).values_list(
            "pk", "code"):
        codes_of.setdefault(pk, set()).add(code)
    for parent, code in Area.objects.filter(parent__in=area_ids, scheme=Scheme.LA).values_list(
            "parent", "code"):
        codes_of.setdefault(parent, set()).add(code)
    for pk, code in LocalAuthorityOverlap.objects.filter(area__in=area_ids).values_list(
            "area", "local_authority__code"):
        codes_of.setdefault(pk, set()).add(code)
    return {service.pk: set().union(*(codes_of.get(row.area_id, set())
                                      for row in service.coverage.all()))
            for service in services}
