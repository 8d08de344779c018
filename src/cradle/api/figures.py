"""The API's reads of FOI results and the pooled public summary.

FOI: checked answers only (ADR 0031), through `foi.report.response_rows` and `area_lines`,
the same rows the campaign's report and the public planning profiles are made of; a campaign
appears once it has a checked answer. Pooled: the public summary's own protected report
(`pooled.views.public_report`, ADR 0007/0008), row by row as its CSV download has it
(`pooled.exports.rows`), nothing more.
"""

from __future__ import annotations

from django.db.models import Count, Max

from cradle.foi.models import Campaign, ResponseRecord
from cradle.foi.report import POPULATION_YEAR, area_lines, response_rows
from cradle.pooled import exports
from cradle.pooled.views import public_report

from .queries import number

FOI_SOURCE = "Freedom of Information replies, checked by a second coordinator"
POOLED_SOURCE = "Cradle pooled records of the teams, protected by disclosure control"


def published_campaigns():
    """Campaigns with at least one checked answer, oldest first."""
    checked = ResponseRecord.objects.checked()
    return (Campaign.objects.filter(pk__in=checked.values("campaign"))
            .annotate(checked_answers=Count("responses", distinct=True),
                      latest_answer=Max("responses__received_on"))
            .order_by("created_at", "pk"))


def campaign_row(campaign: Campaign) -> dict:
    checked = ResponseRecord.objects.checked().filter(campaign=campaign)
    return {"id": campaign.pk, "name": campaign.name,
            "period_label": campaign.period_label or None,
            "period_starts_on": campaign.period_starts_on.isoformat()
            if campaign.period_starts_on else None,
            "period_ends_on": campaign.period_ends_on.isoformat()
            if campaign.period_ends_on else None,
            "checked_answers": checked.count(),
            "areas_answered": checked.values("area").distinct().count()}


def campaign_area_rows(campaign: Campaign) -> list[dict]:
    rows = []
    for line in area_lines(response_rows(campaign)):
        values = line.values()
        received = [row.received_on for row in line.merged.used.values()]
        rows.append({
            **{name: number(value) for name, value in values.items()},
            "area_scheme": line.area.scheme,
            "denominator": "children aged 0 to 18 referred (or who accessed the service), "
                           "as the respondent reported; population figures: ONS mid-"
                           f"{POPULATION_YEAR}",
            "as_of": max(received).isoformat() if received else None,
            "source": f"{FOI_SOURCE} (campaign: {campaign.name})",
            "suppressed": False, "suppression_reason": None})
    return sorted(rows, key=lambda row: (row["area_gss_code"], row["area_code"]))


def pooled_rows(year: int | None, nation: str | None) -> tuple[list[dict], list[int]]:
    """The public summary's rows and the years it offers."""
    report, years = public_report(year, nation)
    rows = []
    for values in exports.rows(report):
        row = dict(zip(exports.HEADER, values, strict=True))
        status = row.pop("status") or None
        rows.append({
            "period_start": row["period_start"], "period_end": row["period_end"],
            "nation": nation or "United Kingdom", "teams_pooled": row["teams_pooled"],
            "protected": row["protected"] == "yes", "section": row["section"],
            "item": row["item"], "value": number(row["value"]),
            "lower": number(row["lower"]), "upper": number(row["upper"]),
            "interval": row["interval"] or None, "percent": number(row["percent"]),
            "denominator": row["denominator"] or None, "as_of": row["period_end"],
            "source": POOLED_SOURCE, "suppressed": status is not None,
            "suppression_reason": status})
    return rows, list(years)
