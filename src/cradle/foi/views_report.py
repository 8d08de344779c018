"""A campaign's report page, its map's GeoJSON, the per-area table as CSV and XLSX, a
campaign's own figures on today's areas as CSV, and its batch statistics page and CSV."""

from __future__ import annotations

import json

from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cradle.core.spreadsheets import csv_bytes
from cradle.geography.models import Area

from . import campaign_statistics as stats
from . import report, statistics_read
from .area_analysis import CSV_COLUMNS, csv_table
from .area_analysis import RULES as AREA_RULES
from .area_queries import answers_for_analysis, campaign_area_figures
from .question_analysis import RULES as QUESTION_RULES
from .question_analysis import summarise_answers
from .views import (
    breadcrumbs,
    campaign_slug,
    campaign_visible_to,
    csv_download,
    foi_managers_only,
    today,
)
from .views_review import review_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@foi_managers_only
@require_GET
def campaign_report(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    if not campaign.uses_2019_analysis:
        return _questions_report(request, campaign)
    return render(request, "foi/report.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "review": review_counts(campaign),
        **report.build_report(campaign, today()),
    })


def _questions_report(request, campaign):
    """A campaign with its own questions: each answer field over the bodies' latest answers."""
    latest = answers_for_analysis(campaign)
    return render(request, "foi/report_questions.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "bodies": len(latest),
        "summaries": summarise_answers(campaign.typed_questions,
                                       [answer.answers for answer in latest]),
        "rules": QUESTION_RULES,
        "rates": report.response_rates(campaign, today()),
        "review": review_counts(campaign),
        **_todays_areas(campaign, request.GET.get("count_question")),
    })


def _todays_areas(campaign, question_id) -> dict:
    figures = campaign_area_figures(campaign, question_id)
    if figures is None:
        return {"areas": None}
    return {"areas": figures, "area_rules": AREA_RULES,
            "icbs_spoken_for": [icb for icb in figures.icbs if icb.bodies],
            "icbs_unspoken": [icb for icb in figures.icbs if not icb.bodies]}


@foi_managers_only
@require_GET
def report_geojson(request, pk: int):
    """Every 2019 CCG with its acceptance status (accepts, accepts-none, no-data)."""
    campaign = campaign_visible_to(request, pk)
    statuses = report.map_statuses(campaign)
    # Boundaries are spliced in as stored (already JSON), as the coverage map's endpoint does.
    boundaries = (Area.objects.in_scheme(report.SCHEME).exclude(boundary__isnull=True)
                  .annotate(geometry=Cast("boundary", TextField()))
                  .values_list("code", "ods_code", "name", "geometry"))
    features = []
    for code, ods_code, name, geometry in boundaries:
        status = statuses.get(ods_code, "no-data")
        properties = json.dumps({
            "code": code, "ods_code": ods_code, "name": name, "status": status,
            "status_in_words": report.STATUS_WORDS[status],
            "url": reverse("geography:area-detail", args=[report.SCHEME, code]),
        })
        features.append(f'{{"type": "Feature", "properties": {properties}, '
                        f'"geometry": {geometry}}}')
    body = f'{{"type": "FeatureCollection", "features": [{", ".join(features)}]}}'
    return HttpResponse(body, content_type="application/geo+json")


@foi_managers_only
@require_GET
def report_areas_csv(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    lines = report.area_lines(report.response_rows(campaign))
    return csv_download(report.areas_csv(lines), f"{campaign_slug(campaign)}-areas.csv")


@foi_managers_only
@require_GET
def report_areas_xlsx(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    lines = report.area_lines(report.response_rows(campaign))
    response = HttpResponse(report.areas_xlsx(lines, campaign.name), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="{campaign_slug(campaign)}'
                                       f'-areas.xlsx"')
    return response


@foi_managers_only
@require_GET
def report_todays_areas_csv(request, pk: int):
    """The figures on today's areas: one row per ICB, then its sub-ICB locations."""
    campaign = campaign_visible_to(request, pk)
    figures = campaign_area_figures(campaign, request.GET.get("count_question"))
    if figures is None:
        raise Http404("This campaign has no figures on today's areas")
    return csv_download(csv_bytes(CSV_COLUMNS, csv_table(figures.icbs)),
                        f"{campaign_slug(campaign)}-todays-areas-{figures.question.id}.csv")


@foi_managers_only
@require_GET
def campaign_statistics(request, pk: int):
    """Batch statistics: per body type and in all, as of today (ADR 0033)."""
    campaign = campaign_visible_to(request, pk)
    on = today()
    groups = statistics_read.campaign_figures(campaign, on)
    return render(request, "foi/statistics.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "today": on,
        "groups": groups,
        "total": groups[-1],
        "exemptions": stats.exemption_table(groups),
        "bars": [{"group": group, "segments": stats.bar_segments(group),
                  "text": stats.bar_text(group)} for group in groups],
        "segment_words": stats.SEGMENT_WORDS,
        "columns": stats.CSV_COLUMNS,
    })


@foi_managers_only
@require_GET
def statistics_csv(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    on = today()
    content = csv_bytes([name for name, _ in stats.CSV_COLUMNS],
                        stats.csv_rows(statistics_read.campaign_figures(campaign, on), on))
    return csv_download(content, f"{campaign_slug(campaign)}-statistics.csv")
