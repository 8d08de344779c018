import datetime
from collections import defaultdict

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cradle.accounts.access import public
from cradle.core.spreadsheets import csv_bytes
from cradle.directory.classification import attach_verdicts, with_facts
from cradle.directory.coverage import schemes_in_force
from cradle.directory.coverage_queries import coverage_report
from cradle.directory.models import Service, ServiceCoverage, Status

from .models import (
    LATEST_POPULATION_YEAR,
    Area,
    LocalAuthorityOverlap,
    Population,
    PopulationMethod,
    scheme_summaries,
)
from .reference_files import read_manifest
from .schemes import POPULATION_YEARS, SCHEMES_BY_KEY


def _scheme_or_404(key: str):
    scheme = SCHEMES_BY_KEY.get(key)
    if scheme is None:
        raise Http404("No such area scheme")
    return scheme


def _breadcrumbs(scheme=None) -> list[dict[str, str]]:
    items = [{"text": "Home", "href": reverse("core:home")},
             {"text": "Areas", "href": reverse("geography:scheme-list")}]
    if scheme is not None:
        items.append({"text": scheme.plural,
                      "href": reverse("geography:scheme-detail", args=[scheme.key])})
    return items


def _method_descriptions() -> dict[str, dict]:
    return read_manifest().get("methods", {})


def _area_rows(scheme_key: str, year: int):
    methods = dict(Population.objects.filter(area__scheme=scheme_key, year=year, age=0)
                   .values_list("area_id", "method"))
    areas = Area.objects.in_scheme(scheme_key).with_infant_population(year).order_by("name")
    for area in areas:
        area.method = methods.get(area.id, "")
        area.is_exact = bool(area.method) and PopulationMethod(area.method).is_exact
    return areas


@public
@require_GET
def scheme_list(request):
    return render(request, "geography/scheme_list.html", {
        "summaries": scheme_summaries(), "year": LATEST_POPULATION_YEAR})


@public
@require_GET
def scheme_detail(request, scheme):
    scheme = _scheme_or_404(scheme)
    areas = list(_area_rows(scheme.key, LATEST_POPULATION_YEAR))
    return render(request, "geography/scheme_detail.html", {
        "breadcrumbs": _breadcrumbs(),
        "scheme": scheme,
        "areas": areas,
        "year": LATEST_POPULATION_YEAR,
        "total": sum(a.population_0_2 or 0 for a in areas),
        "exact_count": sum(1 for a in areas if a.is_exact),
        "methods": _method_descriptions(),
    })


def _linked_areas(area: Area, overlaps, children) -> dict[int, Area]:
    """The area, the areas overlapping it (the local authorities in a health area, or the health
    areas a local authority falls in), its county or districts, and those authorities' counties."""
    linked = {area.pk: area}
    for overlap in overlaps:
        other = overlap.area if area.scheme == "la" else overlap.local_authority
        linked[other.pk] = other
    linked.update((child.pk, child) for child in children)
    parent_ids = {a.parent_id for a in linked.values() if a.parent_id} - set(linked)
    linked.update((parent.pk, parent) for parent in Area.objects.filter(pk__in=parent_ids))
    return linked


def _services_covering(area: Area, linked: dict[int, Area], on: datetime.date) -> list:
    """Services covering the area or a linked one, each with `status_on`, `verdict` and
    `covers_here` (its ServiceCoverage rows among those areas, this area first)."""
    covers_by_service = defaultdict(list)
    for cover in ServiceCoverage.objects.filter(area_id__in=linked):
        cover.area = linked[cover.area_id]
        covers_by_service[cover.service_id].append(cover)
    services = attach_verdicts(with_facts(
        Service.objects.real().filter(pk__in=covers_by_service).with_status_on(on)))
    for service in services:
        service.covers_here = sorted(covers_by_service[service.pk],
                                     key=lambda cover: (cover.area_id != area.pk, cover.area.name))
    return services


def _coverage_today(area: Area, on: datetime.date) -> dict | None:
    """How much of the area a team covered on the date, if its scheme was the one in force."""
    if schemes_in_force(on).get(area.nation) != area.scheme:
        return None
    row = coverage_report(on).area((area.scheme, area.code))
    if row is None or not row.population_0_2:
        return None
    covered = row.population_0_2_covered
    return {"status": row.status, "words": row.status_words, "specialists": row.specialists,
            "population_0_2": round(row.population_0_2),
            "covered": None if covered is None else round(covered),
            "pct_covered": row.pct_covered}


@public
@require_GET
def area_detail(request, scheme, code):
    scheme = _scheme_or_404(scheme)
    area = get_object_or_404(Area.objects.select_related("parent"), scheme=scheme.key, code=code)
    populations = {(p.year, p.age): p for p in area.populations.all()}
    table = []
    for year in POPULATION_YEARS:
        ages = [populations.get((year, age)) for age in (0, 1, 2)]
        if any(ages):
            method = next(p.method for p in ages if p)
            table.append({"year": year, "ages": ages,
                          "total": sum(p.count for p in ages if p), "method": method})
    if area.scheme == "la":
        overlaps = (LocalAuthorityOverlap.objects.for_local_authority(area)
                    .order_by("area__scheme", "-share_0_2"))
    else:
        overlaps = LocalAuthorityOverlap.objects.for_area(area).order_by(
            "-share_0_2", "local_authority__name")
    children = list(area.children.order_by("name"))
    today = datetime.date.today()
    return render(request, "geography/area_detail.html", {
        "breadcrumbs": _breadcrumbs(scheme),
        "scheme": scheme,
        "area": area,
        "population_table": table,
        "overlaps": overlaps,
        "children": children,
        "successors": area.successors.select_related("successor"),
        "predecessors": area.predecessors.select_related("predecessor"),
        "methods": _method_descriptions(),
        "schemes": SCHEMES_BY_KEY,
        "today": today,
        "services": _services_covering(area, _linked_areas(area, overlaps, children), today),
        "service_status_labels": dict(Status.choices),
        "coverage_today": _coverage_today(area, today),
    })


def _feature(area: Area, with_url: bool = True) -> dict:
    properties = {"code": area.code, "name": area.name}
    if with_url:
        properties["url"] = reverse("geography:area-detail", args=[area.scheme, area.code])
    return {"type": "Feature", "properties": properties, "geometry": area.boundary}


@public
@require_GET
def scheme_geojson(request, scheme):
    scheme = _scheme_or_404(scheme)
    areas = Area.objects.in_scheme(scheme.key).exclude(boundary__isnull=True).only(
        "scheme", "code", "name", "boundary")
    return JsonResponse({"type": "FeatureCollection", "features": [_feature(a) for a in areas]})


@public
@require_GET
def area_geojson(request, scheme, code):
    area = get_object_or_404(Area, scheme=_scheme_or_404(scheme).key, code=code)
    if area.boundary is None:
        raise Http404("This area has no boundary")
    return JsonResponse({"type": "FeatureCollection", "features": [_feature(area, False)]})


@public
@require_GET
def scheme_csv(request, scheme):
    scheme = _scheme_or_404(scheme)
    header = ["scheme", "code", "ods_code", "name", "nation", "year", "population_0",
              "population_1", "population_2", "population_0_2", "method"]
    rows = ([scheme.key, area.code, area.ods_code, area.name, area.nation, year,
             area.population_age_0, area.population_age_1, area.population_age_2,
             area.population_0_2, area.method]
            for year in POPULATION_YEARS for area in _area_rows(scheme.key, year))
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cradle-{scheme.key}-areas.csv"'
    return response
