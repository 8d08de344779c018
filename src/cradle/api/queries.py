"""The API's reads: plain dicts of exactly what the public pages show, through the owning
apps' named queryset methods and functions (never a `_private` name).

Every figure row carries `denominator` (what it is out of), `as_of` (its date), `source` and
`suppressed` (with `suppression_reason`); an unknown figure is None, never 0.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Min, Prefetch
from django.urls import reverse

from cradle.directory.classification import attach_verdicts, with_facts
from cradle.directory.confirmation import attach_confirmations, evidence_for, with_claims
from cradle.directory.coverage import STATUS_WORDS, planning_schemes, schemes_in_force
from cradle.directory.coverage_queries import coverage_report, population_year_for
from cradle.directory.models import (
    Service,
    ServiceCoverage,
    ServiceKind,
    Status,
    StatusChange,
    TeamCountMilestone,
)
from cradle.geography.models import Area, LocalAuthorityOverlap, Population, PopulationMethod

from .geojson import normalise_geometry

POPULATION_SOURCE = "ONS mid-year population estimates (Cradle reference data)"
REGISTER_SOURCE = "Cradle register of parent-infant services"
KINDS = dict(ServiceKind.choices)
STATUSES = dict(Status.choices)


def number(value) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def register_starts() -> datetime.date | None:
    """The first date in the register (coverage before it is not counted)."""
    return StatusChange.objects.filter(service__synthetic=False).aggregate(
        first=Min("effective_from"))["first"]


# Areas ---------------------------------------------------------------------------------------

def areas(*, scheme: str | None = None, nation: str | None = None):
    found = Area.objects.all()
    if scheme:
        found = found.in_scheme(scheme)
    if nation:
        found = found.in_nation(nation)
    return found.select_related("parent").order_by("scheme", "code")


def populations_by_area(area_ids) -> dict[int, list[dict]]:
    """Each area's 0 to 2 populations by year, with each figure's method."""
    labels = dict(PopulationMethod.choices)
    years: dict[int, dict[int, dict]] = {}
    for row in Population.objects.filter(area_id__in=list(area_ids)).order_by(
            "area_id", "year", "age"):
        entry = years.setdefault(row.area_id, {}).setdefault(row.year, {
            "year": row.year, "age_0": None, "age_1": None, "age_2": None, "total": None,
            "method": row.method, "method_label": labels.get(row.method, row.method),
            "exact": PopulationMethod(row.method).is_exact,
            "as_of": datetime.date(row.year, 6, 30).isoformat(),
            "source": POPULATION_SOURCE})
        entry[f"age_{row.age}"] = row.count
    for by_year in years.values():
        for entry in by_year.values():
            ages = [entry[f"age_{age}"] for age in (0, 1, 2)]
            entry["total"] = None if None in ages else sum(ages)
    return {area_id: list(by_year.values()) for area_id, by_year in years.items()}


def area_row(area: Area, populations: list[dict]) -> dict:
    return {
        "scheme": area.scheme, "code": area.code, "ods_code": area.ods_code or None,
        "name": area.name, "nation": area.nation,
        "parent": ({"scheme": area.parent.scheme, "code": area.parent.code}
                   if area.parent_id else None),
        "derived": area.derived, "has_boundary": area.boundary is not None,
        "page": reverse("geography:area-detail", args=[area.scheme, area.code]),
        "populations": populations,
    }


def area_rows(page_of_areas) -> list[dict]:
    page_of_areas = list(page_of_areas)
    populations = populations_by_area([a.pk for a in page_of_areas])
    return [area_row(a, populations.get(a.pk, [])) for a in page_of_areas]


def health_areas_of(local_authorities) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for overlap in LocalAuthorityOverlap.objects.filter(
            local_authority__in=list(local_authorities)).select_related("area").order_by(
            "local_authority_id", "area__scheme", "area__code"):
        found.setdefault(overlap.local_authority_id, []).append({
            "scheme": overlap.area.scheme, "code": overlap.area.code,
            "name": overlap.area.name, "share_0_2": float(overlap.share_0_2)})
    return found


def boundaries(keys) -> dict[tuple[str, str], dict | None]:
    """The normalised boundaries of the areas (scheme, code) given."""
    schemes = {scheme for scheme, _code in keys}
    wanted = set(keys)
    return {(scheme, code): normalise_geometry(boundary) for scheme, code, boundary in
            Area.objects.filter(scheme__in=schemes, boundary__isnull=False)
            .values_list("scheme", "code", "boundary") if (scheme, code) in wanted}


# Coverage ------------------------------------------------------------------------------------

def coverage_meta(on: datetime.date) -> dict:
    year = population_year_for(on)
    return {"as_of": on.isoformat(), "source": f"{REGISTER_SOURCE}; ONS mid-{year} population "
            "estimates", "suppressed": False, "suppression_reason": None}


def coverage_areas(on: datetime.date, nation: str | None = None) -> list[dict]:
    report = coverage_report(on)
    year = population_year_for(on)
    rows = []
    for area in sorted(report.areas, key=lambda a: a.key):
        if nation and area.nation != nation:
            continue
        scheme, code = area.key
        covered = area.population_0_2_covered
        rows.append({
            "scheme": scheme, "code": code, "name": area.name, "nation": area.nation,
            "status": area.status, "status_label": STATUS_WORDS[area.status],
            "named_by_team": area.named, "camhs_specialists": area.specialists,
            "population_0_2": round(area.population_0_2),
            "population_0_2_covered": None if covered is None else round(covered),
            "pct_covered": area.pct_covered,
            "denominator": f"children aged 0 to 2 living in the area (ONS mid-{year})",
            **coverage_meta(on)})
    return rows


def coverage_nations(on: datetime.date) -> list[dict]:
    report = coverage_report(on)
    year = population_year_for(on)

    def row(name: str, level: str, scheme: str | None, figures) -> dict:
        return {"level": level, "nation": name, "scheme": scheme,
                "areas": figures.areas, "areas_covered": figures.areas_covered,
                "areas_partly_covered": figures.areas_partly_covered,
                "areas_not_covered": figures.areas_not_covered,
                "areas_share_not_known": figures.areas_share_not_known,
                "population_0_2": figures.population_0_2,
                "population_0_2_covered": figures.population_0_2_covered,
                "pct_covered": figures.pct_covered if figures.population_0_2 else None,
                "teams_operating": report.teams_operating if level == "uk" else None,
                "denominator": f"children aged 0 to 2 living in the {level} (ONS mid-{year})",
                **coverage_meta(on)}

    rows = [row(nation, "nation", scheme, report.nations[nation])
            for nation, scheme in schemes_in_force(on).items() if nation in report.nations]
    return [*rows, row("United Kingdom", "uk", None, report.uk)]


# Services ------------------------------------------------------------------------------------

def services(on: datetime.date, *, nation=None, kind=None, status=None):
    found = Service.objects.real().with_status_on(on)
    if nation:
        found = found.in_nation(nation)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status_on=status)
    return found.order_by("pk")


def service_rows(page_of_services, on: datetime.date) -> list[dict]:
    """The service page's public facts (contact email and phone, which may name a person,
    are left out: core/field_classes.py classes them identifying)."""
    coverage = ServiceCoverage.objects.select_related("area").order_by("area__scheme",
                                                                      "area__code")
    ids = [s.pk for s in page_of_services]
    found = with_claims(with_facts(Service.objects.filter(pk__in=ids).with_status_on(on)))
    found = found.prefetch_related("funding", "staffing", "interventions",
                                   Prefetch("coverage", queryset=coverage)).order_by("pk")
    listed = attach_confirmations(attach_verdicts(found), on)
    return [service_row(service, on) for service in listed]


def confirmation_row(confirmation) -> dict:
    return {"on": confirmation.on.isoformat() if confirmation.on else None,
            "on_text": confirmation.on_text, "until": (confirmation.until.isoformat()
                                                       if confirmation.until else None),
            "source": confirmation.source, "source_url": confirmation.source_url or None,
            "status": confirmation.status or None, "strength": confirmation.strength,
            "strength_words": confirmation.strength_words}


def service_row(service: Service, on: datetime.date) -> dict:
    staffing = list(service.staffing.all())
    verdict = service.verdict
    return {
        "id": service.pk, "name": service.name,
        "other_names": [n.strip() for n in service.other_names.splitlines() if n.strip()],
        "kind": service.kind, "kind_label": KINDS.get(service.kind, service.kind),
        "nation": service.nation, "locality": service.locality or None,
        "page": reverse("directory:service-detail", args=[service.pk]),
        "status_on": {"on": on.isoformat(), "status": service.status_on,
                      "in_words": service.status_in_words},
        "status_history": [
            {"status": change.status, "effective_from": change.effective_from.isoformat(),
             "source": change.source or None}
            for change in sorted(service.status_changes.all(),
                                 key=lambda c: (c.effective_from, c.pk))],
        "how_to_refer": service.how_to_refer,
        "accepts_from": service.accepts_from or None,
        "accepts_to_months": service.accepts_to_months,
        "ages_checked_on": service.ages_checked_on.isoformat() if service.ages_checked_on
        else None,
        "languages": [line.strip() for line in service.languages.splitlines() if line.strip()],
        "website": service.website or None,
        "website_checked_on": service.website_checked_on.isoformat()
        if service.website_checked_on else None,
        "coverage": [{"scheme": c.area.scheme, "code": c.area.code, "name": c.area.name,
                      "partial": c.partial, "note": c.note or None}
                     for c in service.coverage.all()],
        "staffing": [{"profession": row.profession, "profession_label":
                      row.get_profession_display(), "wte": float(row.wte)} for row in staffing],
        "staffing_total_wte": float(sum(r.wte for r in staffing)) if staffing else None,
        "interventions": sorted(
            ({"intervention": i.intervention, "label": i.get_intervention_display(),
              "detail": i.detail or None} for i in service.interventions.all()),
            key=lambda row: row["intervention"]),
        "funding": sorted(f.source for f in service.funding.all()),
        "definition_verdict": {"outcome": verdict.outcome.value, "in_words": verdict.in_words,
                               "summary": verdict.summary},
        "last_confirmed": confirmation_row(service.confirmation),
        "sources": [confirmation_row(c) for c in evidence_for(service)],
        "source_note": service.source_note or None,
    }


# Planning ------------------------------------------------------------------------------------

def planning_rows(on: datetime.date, *, scheme: str | None, nation: str | None) -> list[dict]:
    from cradle.planning.plans import scheme_plans
    from cradle.planning.reference_data import shipped

    year = population_year_for(on)
    wanted = ({scheme} if scheme else set(planning_schemes(on).values()))
    in_force = planning_schemes(on)
    data = shipped()
    rows = []
    for key in sorted(wanted):
        for plan in sorted(scheme_plans(key, on).values(), key=lambda p: p.key):
            if nation and plan.nation != nation:
                continue
            if not scheme and in_force.get(plan.nation) != key:
                continue
            gap = plan.gap
            cost_low, cost_high = plan.total_cost.rounded() if plan.cost else (None, None)
            gap_low, gap_high = plan.gap_cost.rounded() if plan.cost else (None, None)
            rows.append({
                "scheme": plan.key[0], "code": plan.key[1], "name": plan.name,
                "nation": plan.nation, "births": plan.births,
                "population_0_2": plan.population_0_2,
                "needed_wte": number(plan.needed_wte) if plan.team else None,
                "existing_wte": number(plan.existing_wte) if plan.staffing_known else None,
                "staffing_known": plan.staffing_known,
                "teams_staffing_not_recorded": gap.teams_not_recorded,
                "gap_low_wte": number(gap.low) if plan.team else None,
                "gap_high_wte": number(gap.high) if plan.team else None,
                "team_cost_low": cost_low, "team_cost_high": cost_high,
                "annual_cost": plan.cost.annual_cost if plan.cost else None,
                "gap_cost_low": gap_low, "gap_cost_high": gap_high,
                "existing_wte_per_1000_births": number(plan.existing_per_1000),
                "page": reverse("planning:area-profile", args=list(plan.key)),
                "denominator": f"births a year (ONS mid-{year} estimate of children aged 0)",
                "as_of": on.isoformat(),
                "source": f"{REGISTER_SOURCE}; ONS mid-{year}; {data.reference.name}; "
                          f"{data.costs.year} Agenda for Change pay plus "
                          f"{data.costs.on_cost_pct}% on-costs",
                "suppressed": False, "suppression_reason": None})
    return rows


# Milestones ----------------------------------------------------------------------------------

def milestone_rows() -> list[dict]:
    return [{"on": m.on.isoformat(), "teams": m.teams, "in_development": m.in_development,
             "publication": m.publication, "publisher": m.publisher, "url": m.url or None,
             "note": m.note or None, "denominator": "teams in the United Kingdom",
             "as_of": m.on.isoformat(), "source": f"{m.publisher}: {m.publication}",
             "suppressed": False, "suppression_reason": None}
            for m in TeamCountMilestone.objects.order_by("on", "publication")]
