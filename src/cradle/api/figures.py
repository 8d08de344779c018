"""The API's reads of FOI results and the pooled public summary.

FOI: checked answers only (ADR 0031), through `foi.report.response_rows` and `area_lines`
for campaigns asking the 2019 questions, and `foi.area_queries.campaign_area_figures` (today's
ICBs and sub-ICB locations, ADR 0034) for campaigns with their own questions: the same figures
the campaign's report and the public planning profiles are made of; a campaign appears once
it has a checked answer. Pooled: the public summary's own protected report
(`pooled.views.public_report`, ADR 0007/0008), row by row as its CSV download has it
(`pooled.exports.rows`), nothing more.
"""

from __future__ import annotations

from django.db.models import Q

from cradle.foi.area_analysis import RANGES, Role
from cradle.foi.area_queries import campaign_area_figures
from cradle.foi.models import PRESET_2019, Campaign, ResponseRecord, StructuredAnswer
from cradle.foi.report import POPULATION_YEAR, area_lines, response_rows
from cradle.pooled import exports
from cradle.pooled.views import public_report

from .queries import number

FOI_SOURCE = "Freedom of Information replies, checked by a second coordinator"
POOLED_SOURCE = "Cradle pooled records of the teams, protected by disclosure control"


def published_campaigns():
    """Campaigns with at least one checked answer, oldest first."""
    return Campaign.objects.filter(
        Q(pk__in=ResponseRecord.objects.checked().values("campaign"))
        | Q(pk__in=StructuredAnswer.objects.checked().values("campaign"))
    ).order_by("created_at", "pk")


def published_campaign(pk: int, *, own_questions: bool) -> Campaign | None:
    """A published campaign asking its own questions, or the 2019 ones; None otherwise."""
    campaigns = published_campaigns().filter(pk=pk)
    if own_questions:
        return campaigns.exclude(question_set=PRESET_2019).first()
    return campaigns.filter(question_set=PRESET_2019).first()


def campaign_row(campaign: Campaign) -> dict:
    if not campaign.uses_2019_analysis:
        answers = StructuredAnswer.objects.checked().filter(campaign=campaign)
        return {"id": campaign.pk, "name": campaign.name, "questions": "own",
                **_period(campaign), "checked_answers": answers.count(),
                "areas_answered": None,
                "bodies_answered": answers.values("request").distinct().count()}
    checked = ResponseRecord.objects.checked().filter(campaign=campaign)
    return {"id": campaign.pk, "name": campaign.name, "questions": "2019",
            **_period(campaign), "checked_answers": checked.count(),
            "areas_answered": checked.values("area").distinct().count(),
            "bodies_answered": checked.values("respondent_code").distinct().count()}


def _period(campaign: Campaign) -> dict:
    return {
            "period_label": campaign.period_label or None,
            "period_starts_on": campaign.period_starts_on.isoformat()
            if campaign.period_starts_on else None,
            "period_ends_on": campaign.period_ends_on.isoformat()
            if campaign.period_ends_on else None}


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


def todays_area_rows(campaign: Campaign, question_id: str | None) -> list[dict]:
    """Each ICB of today, then its sub-ICB locations: the bodies speaking for it and their
    checked counts, commissioners and trusts apart (never added together), a trust's count
    whole in every area it serves; a figure the question's bands cannot give is null with
    `computable` false, and bodies that gave no number are counted apart, never as 0."""
    result = campaign_area_figures(campaign, question_id)
    icb_codes = {icb.area.key: icb.area.code for icb in result.icbs}
    rows = []
    for icb in result.icbs:
        for figures in (icb, *icb.sub_areas):
            area = figures.area
            row = {"area_type": "icb" if area.is_icb else "sub_icb_location",
                   "area_code": area.code, "area_name": area.name,
                   "in_icbs": ";".join(icb_codes[key] for key in area.icbs) or None,
                   "bodies_speaking": figures.bodies, "bodies_answered": figures.answered,
                   "count_question": result.question.id}
            for role in (Role.COMMISSIONER, Role.TRUST):
                for range_ in RANGES:
                    group = figures.figure(role, range_.key)
                    prefix = f"{role}s_{range_.key}"
                    row |= {f"{prefix}_total": group.total if group.computable else None,
                            f"{prefix}_computable": group.computable,
                            f"{prefix}_gave_number": group.gave_number,
                            f"{prefix}_bodies": group.bodies,
                            f"{prefix}_not_given": group.ungiven_words or None}
            row |= {"saw_under3": figures.saw_under3_words,
                    "denominator": "the bodies asked that speak for the area (commissioners "
                                   "and trusts apart), of which those that gave a number",
                    "as_of": campaign.period_ends_on.isoformat()
                    if campaign.period_ends_on else None,
                    "source": f"{FOI_SOURCE} (campaign: {campaign.name})",
                    "suppressed": False, "suppression_reason": None}
            rows.append(row)
    return rows


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
