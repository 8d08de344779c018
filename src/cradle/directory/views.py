"""Find a service, a service's page, and the coverage map (with its GeoJSON)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django import forms
from django.db.models import Min, Prefetch, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cradle.accounts.access import public
from cradle.geography.models import Area, Nation
from cradle.geography.schemes import SCHEMES_BY_KEY

from .classification import attach_verdicts, evidence_lines, verdict_for, with_facts
from .confirmation import (
    NOT_RECORDED,
    attach_confirmations,
    confirmed_operating_on,
    evidence_for,
    with_claims,
)
from .coverage import CoverageReport, map_key
from .coverage_queries import cached, coverage_report, population_year_for
from .evidence_dates import CONFIRMATION_WINDOW_MONTHS
from .models import Service, ServiceCoverage, ServiceKind, Status, StatusChange

STATUS_LABELS = dict(Status.choices)


def _breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), *extra]
    return [{"text": text, "href": href} for text, href in items]


# Find a service ---------------------------------------------------------------------------

class ServiceSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    nation = forms.ChoiceField(
        required=False, choices=[("", "All nations"), *Nation.choices],
        error_messages={"invalid_choice": "Choose a nation from the list"})
    kind = forms.ChoiceField(
        required=False, choices=[("", "All kinds of service"), *ServiceKind.choices],
        error_messages={"invalid_choice": "Choose a kind of service from the list"})
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list"})


def find_services(on: datetime.date, *, q: str = "", nation: str = "", kind: str = "",
                  status: str = "") -> list[Service]:
    """Services matching the search, each with `status_on` (on that date) and `verdict`."""
    services = Service.objects.real().with_status_on(on)
    if q:
        services = services.search(q)
    if nation:
        services = services.in_nation(nation)
    if kind:
        services = services.filter(kind=kind)
    if status:
        services = services.filter(status_on=status)
    return attach_confirmations(attach_verdicts(with_claims(with_facts(services))), on)


@public
@require_GET
def service_search(request):
    today = datetime.date.today()
    form = ServiceSearchForm(request.GET)
    services = find_services(today, **form.cleaned_data) if form.is_valid() else []
    return render(request, "directory/service_search.html", {
        "breadcrumbs": _breadcrumbs(),
        "form": form,
        "services": services,
        "error_list": [{"href": f"#{name}", "text": " ".join(errors)}
                       for name, errors in form.errors.items()],
        "filtered": any(request.GET.get(name) for name in form.fields),
        "today": today,
        "window_months": CONFIRMATION_WINDOW_MONTHS,
    }, status=200 if form.is_valid() else 400)


# A service --------------------------------------------------------------------------------

@public
@require_GET
def service_detail(request, pk: int):
    today = datetime.date.today()
    coverage = ServiceCoverage.objects.select_related("area").order_by("area__scheme", "area__name")
    service = get_object_or_404(
        with_claims(with_facts(Service.objects.real().with_status_on(today))).prefetch_related(
            "funding", Prefetch("coverage", queryset=coverage)),
        pk=pk)
    attach_confirmations([service], today)
    staffing = list(service.staffing.all())
    return render(request, "directory/service_detail.html", {
        "breadcrumbs": _breadcrumbs(("Find a service", reverse("directory:service-search"))),
        "service": service,
        "other_names": [name.strip() for name in service.other_names.splitlines() if name.strip()],
        "today": today,
        "status_today": service.status_in_words,
        "confirmed_today": confirmed_operating_on(service, today),
        "window_months": CONFIRMATION_WINDOW_MONTHS,
        "sources": evidence_for(service),
        "claims": list(service.claims.all()),
        "refer_recorded": service.how_to_refer != NOT_RECORDED,
        "languages": [line.strip() for line in service.languages.splitlines() if line.strip()],
        "staffing": staffing,
        "staffing_total": sum(row.wte for row in staffing),
        "verdict": verdict_for(service),
        "evidence": evidence_lines(service),
        "schemes": SCHEMES_BY_KEY,
    })


# Coverage ---------------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class ChosenDate:
    """The date asked for (from on=YYYY-MM-DD or the day, month and year inputs), or why not."""

    on: datetime.date | None
    values: dict[str, str]
    error: str = ""
    error_parts: tuple[str, ...] = field(default=())

    @property
    def iso(self) -> str:
        return self.on.isoformat() if self.on else ""

    @property
    def inputs(self) -> list[dict]:
        """The day, month and year inputs of the NHS.UK date input."""
        return [{"part": part, "label": part.capitalize(), "width": 4 if part == "year" else 2,
                 "value": self.values.get(part, ""), "has_error": part in self.error_parts}
                for part in DATE_PARTS]

    @property
    def error_list(self) -> list[dict[str, str]]:
        """For the error summary: the message, linked to the first input at fault."""
        if not self.error:
            return []
        return [{"href": f"#on-{self.error_parts[0]}", "text": self.error}]


def _long_date(on: datetime.date) -> str:
    return f"{on.day} {on:%B %Y}"


def choose_date(params, today: datetime.date, earliest: datetime.date | None) -> ChosenDate:
    values = {part: params.get(f"on-{part}", "").strip() for part in DATE_PARTS}
    if any(values.values()):
        missing = tuple(part for part in DATE_PARTS if not values[part])
        if missing:
            return ChosenDate(None, values, f"Date must include a {' and a '.join(missing)}",
                              missing)
        try:
            on = datetime.date(*(int(values[part]) for part in reversed(DATE_PARTS)))
        except (ValueError, OverflowError):
            return ChosenDate(None, values, "Date must be a real date", DATE_PARTS)
    elif params.get("on", "").strip():
        try:
            on = datetime.date.fromisoformat(params["on"].strip())
        except ValueError:
            return ChosenDate(None, values, "Date must be a real date, written as year, month "
                              "and day, for example 2019-06-30", DATE_PARTS)
    else:
        on = today
    values = {"day": str(on.day), "month": str(on.month), "year": str(on.year)}
    if on > today:
        return ChosenDate(None, values, "Date must be today or in the past", DATE_PARTS)
    if earliest and on < earliest:
        return ChosenDate(None, values, f"Date must be on or after {_long_date(earliest)}, "
                          "the first date in the register", DATE_PARTS)
    return ChosenDate(on, values)


def _register_starts() -> datetime.date | None:
    return StatusChange.objects.filter(service__synthetic=False).aggregate(
        first=Min("effective_from"))["first"]


@dataclass(frozen=True)
class AreaRow:
    scheme: str
    code: str
    name: str
    nation: str
    status: str  # covered, partly_covered or not_covered
    shade: str  # how the map shades it (the status, or "specialists")
    status_in_words: str
    population_0_2: int
    pct_covered: float | None  # None: not known
    url: str


def area_rows(report: CoverageReport) -> list[AreaRow]:
    """Every area of the schemes in force, by nation and name, with its coverage."""
    rows = []
    for area in report.areas:
        scheme, code = area.key
        rows.append(AreaRow(
            scheme, code, area.name, area.nation, area.status, area.shade, area.in_words,
            round(area.population_0_2), area.pct_covered,
            reverse("geography:area-detail", args=[scheme, code])))
    nation_order = {nation: i for i, nation in enumerate(report.schemes)}
    return sorted(rows, key=lambda row: (nation_order.get(row.nation, 99), row.name))


def _chosen_date_from(request) -> ChosenDate:
    return choose_date(request.GET, datetime.date.today(), _register_starts())


@public
@require_GET
def coverage_map(request):
    chosen = _chosen_date_from(request)
    context = {
        "breadcrumbs": _breadcrumbs(),
        "chosen": chosen,
        "schemes": SCHEMES_BY_KEY,
        "map_key": map_key(),
    }
    if chosen.on is None:
        return render(request, "directory/coverage_map.html", context, status=400)
    report = coverage_report(chosen.on)
    context |= {
        "report": report,
        "areas": area_rows(report),
        "population_year": population_year_for(chosen.on),
        "long_date": _long_date(chosen.on),
    }
    return render(request, "directory/coverage_map.html", context)


def _coverage_geojson_body(chosen: ChosenDate) -> str:
    report = coverage_report(chosen.on)
    rows = {(row.scheme, row.code): row for row in area_rows(report)}
    # The boundaries are spliced into the response as the database stores them (already JSON),
    # which is several times faster than decoding and re-encoding them.
    boundaries = (Area.objects.filter(scheme__in=set(report.schemes.values()))
                  .exclude(boundary__isnull=True)
                  .annotate(geometry=Cast("boundary", TextField()))
                  .values_list("scheme", "code", "geometry"))
    features = []
    for scheme, code, geometry in boundaries:
        row = rows.get((scheme, code))
        if row is None:
            continue
        properties = json.dumps({
            "code": code, "name": row.name, "scheme": scheme, "nation": row.nation,
            "status": row.status, "shade": row.shade, "status_in_words": row.status_in_words,
            "pct_covered": row.pct_covered, "url": row.url,
        })
        features.append(f'{{"type": "Feature", "properties": {properties}, '
                        f'"geometry": {geometry}}}')
    return (f'{{"type": "FeatureCollection", "on": {json.dumps(chosen.iso)}, '
            f'"features": [{", ".join(features)}]}}')


@public
@require_GET
def coverage_geojson(request):
    """Every area of the schemes in force on the date, with its coverage status."""
    chosen = _chosen_date_from(request)
    if chosen.on is None:
        return JsonResponse({"error": chosen.error}, status=400)
    body = cached("coverage-geojson", chosen.on, lambda: _coverage_geojson_body(chosen))
    return HttpResponse(body, content_type="application/json")
