"""Planning pages: the national picture, area profiles (HTML, CSV, XLSX) and spec packs."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cradle.accounts.access import public
from cradle.directory.coverage import NOT_COVERED, STATUS_WORDS, map_key
from cradle.geography.models import Area
from cradle.geography.schemes import SCHEMES_BY_KEY
from cradle.jobs.models import JobState

from . import plans
from . import tasks as planning_tasks
from .chart import trajectory_chart
from .exports import profile_csv, profile_xlsx
from .gaps import needed_line
from .spec_pack import profile_context, spec_context
from .wording import gap_in_words

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the gap map's key adds to each coverage word.
GAP_MAP_NOTES = {"covered": "a gap may remain", "partly_covered": "part of the area has no team",
                 "specialists": "the whole team is a gap", "not_covered": "the whole team is a gap"}


def _breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), ("Planning", reverse("planning:national")), *extra]
    return [{"text": text, "href": href} for text, href in items]


def _area_or_404(scheme: str, code: str) -> Area:
    if scheme not in SCHEMES_BY_KEY:
        raise Http404("No such area scheme")
    return get_object_or_404(Area, scheme=scheme, code=code)


def _profile(scheme: str, code: str) -> plans.AreaProfile:
    return plans.area_profile(_area_or_404(scheme, code), timezone.localdate())


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
@require_GET
def national(request):
    picture = plans.national_picture(timezone.localdate())
    pace = picture.pace
    chart = trajectory_chart([
        ("register", "Teams in Cradle's register",
         [(row.on, row.teams) for row in picture.register_counts]),
        ("published", "Published national counts",
         [(row.on, row.teams) for row in picture.milestones]),
        ("needed", "Pace needed for a team in every area by "
                   f"{pace.target_date:%Y}", needed_line(pace)),
    ], 2019, pace.target_date.year)
    return render(request, "planning/national.html", {
        "breadcrumbs": _breadcrumbs()[:1], "picture": picture, "pace": pace, "chart": chart,
        "schemes": SCHEMES_BY_KEY, "data": picture.data,
        "report": picture.coverage, "map_key": map_key(), "key_notes": GAP_MAP_NOTES,
    })


@public
@require_GET
def gaps_geojson(request):
    """Every area in force today, shaded as the coverage map shades it, with its gap."""
    today = timezone.localdate()
    picture = plans.national_picture(today)
    coverage = {row.key: row for row in picture.coverage.areas}
    boundaries = Area.objects.filter(scheme__in=set(picture.schemes.values())).exclude(
        boundary__isnull=True).values_list("scheme", "code", "boundary")
    by_key = {plan.key: plan for plan in picture.plans}
    features = []
    for scheme, code, boundary in boundaries:
        plan = by_key.get((scheme, code))
        if plan is None:
            continue
        row = coverage.get(plan.key)
        status, shade, words = ((row.status, row.shade, row.in_words) if row else
                                (NOT_COVERED, NOT_COVERED, STATUS_WORDS[NOT_COVERED]))
        features.append({"type": "Feature", "geometry": boundary, "properties": {
            "code": code, "name": plan.name, "scheme": scheme, "status": status, "shade": shade,
            "status_in_words": f"{words}; {gap_in_words(plan.gap)}",
            "gap_wte": float(plan.gap.high) if plan.staffing_known else None,
            "gap_low_wte": float(plan.gap.low), "gap_high_wte": float(plan.gap.high),
            "staffing_recorded": plan.staffing_known,
            "url": reverse("planning:area-profile", args=[scheme, code])}})
    body = json.dumps({"type": "FeatureCollection", "features": features})
    return HttpResponse(body, content_type="application/json")


@public
@require_GET
def area_profile(request, scheme, code):
    profile = _profile(scheme, code)
    return render(request, "planning/area_profile.html", {
        **profile_context(profile),
        "breadcrumbs": _breadcrumbs(),
    })


@public
@require_GET
def area_csv(request, scheme, code):
    profile = _profile(scheme, code)
    return _download(profile_csv(profile), "text/csv; charset=utf-8",
                     f"cradle-planning-{scheme}-{code}.csv")


@public
@require_GET
def area_xlsx(request, scheme, code):
    profile = _profile(scheme, code)
    return _download(profile_xlsx(profile), XLSX, f"cradle-planning-{scheme}-{code}.xlsx")


@public
@require_GET
def spec_pack(request, scheme, code):
    profile = _profile(scheme, code)
    return render(request, "planning/spec_pack.html", {
        **spec_context(profile),
        "breadcrumbs": _breadcrumbs((profile.area.name, reverse(
            "planning:area-profile", args=[scheme, code]))),
    })


@public
@never_cache
@require_GET
def spec_pack_pdf(request, scheme, code):
    """The pack as PDF, built by a background job (a few seconds of WeasyPrint) and kept for
    the data it was built from: served at once when built, otherwise the job's page, which
    offers the file when it is done (planning/tasks.py)."""
    area = _area_or_404(scheme, code)
    job = planning_tasks.spec_pack_job(area, base_url=request.build_absolute_uri("/"),
                                       by=request.user)
    output = getattr(job, "output", None) if job.state == JobState.SUCCEEDED else None
    if output is not None:
        return _download(bytes(output.content), output.content_type, output.filename)
    return redirect("jobs:detail", job.pk)
