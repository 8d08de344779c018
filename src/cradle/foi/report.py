"""A campaign's report: the figures of analysis.py over its ResponseRecords, in words, with
their denominators, the response rates, the per-area table (also as CSV and XLSX) and the
acceptance status of each 2019 CCG for the map.

Only the reading of records and the wording live here; every rule is in analysis.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from cradle.core.spreadsheets import csv_bytes, xlsx_bytes
from cradle.geography.models import Area, ChildPopulation

from .analysis import RULES, MergedArea, analyse, merge_by_area
from .models import BodyKind, Campaign, FoiRequest, RequestState, ResponseRecord
from .responses_csv import ANSWER_FIELDS, RespondentType, ResponseRow

SCHEME = "ccg2019"
POPULATION_YEAR = 2019

#: Map and table status of an area, with its words on the page's key.
STATUS_WORDS = {
    "accepts": "Accepts referrals of children aged 2 and under (at least one age band)",
    "accepts-none": "Accepts no referrals of children aged 2 and under",
    "no-data": "No answer about acceptance",
}

AREA_COLUMNS = (
    "area_code", "area_gss_code", "area_name", "status", *ANSWER_FIELDS,
    "referred_under3", "accessed_under3", "pct_referred_under3", "pct_accessed_under3",
    "data_source", "population_0_2_mid_2019", "population_0_17_mid_2019",
    "pct_population_under3",
)

POPULATION_NOTE = (
    "For comparison, the last column gives children aged 2 and under as a percentage of all "
    "children aged 0 to 17 living in the area (ONS mid-2019 estimates; approximated where the "
    "CCG is not made of whole local authorities, as each area's page explains). Referral and "
    "access percentages are of each area's 0 to 18 totals as reported.")


def record_to_row(record: ResponseRecord) -> ResponseRow:
    return ResponseRow(
        respondent_code=record.respondent_code,
        respondent_type=RespondentType(record.respondent_type),
        area_code=record.area.ods_code, received_on=record.received_on,
        comment=record.comment, **{name: getattr(record, name) for name in ANSWER_FIELDS})


def response_rows(campaign: Campaign) -> list[ResponseRow]:
    """The campaign's checked responses (ADR 0031) in the order they were recorded (the "file
    order"): every figure, table, map and download is made of these alone."""
    records = campaign.responses.checked().select_related("area").order_by("id")
    return [record_to_row(record) for record in records]


def area_status(area: MergedArea | None) -> str:
    if area is None or not area.has_acceptance_data:
        return "no-data"
    return "accepts" if area.accepts_any else "accepts-none"


@dataclass(frozen=True)
class AreaLine:
    """One 2019 CCG with responses: the merged answer and what the page shows of it."""

    area: Area
    merged: MergedArea
    population_0_2: int | None
    population_0_17: int | None

    @property
    def pct_population_under3(self) -> Decimal | None:
        if not self.population_0_2 or not self.population_0_17:
            return None
        share = Decimal(self.population_0_2) * 100 / Decimal(self.population_0_17)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def status(self) -> str:
        return area_status(self.merged)

    @property
    def status_in_words(self) -> str:
        return STATUS_WORDS[self.status]

    def values(self) -> dict:
        merged = self.merged
        return {
            "area_code": self.area.ods_code, "area_gss_code": self.area.code,
            "area_name": self.area.name, "status": self.status,
            **{name: getattr(merged, name) for name in ANSWER_FIELDS},
            "referred_under3": merged.referred_under3, "accessed_under3": merged.accessed_under3,
            "pct_referred_under3": merged.pct_referred_under3,
            "pct_accessed_under3": merged.pct_accessed_under3,
            "data_source": merged.source.value if merged.source else None,
            "population_0_2_mid_2019": self.population_0_2,
            "population_0_17_mid_2019": self.population_0_17,
            "pct_population_under3": self.pct_population_under3,
        }


def area_lines(rows: list[ResponseRow]) -> list[AreaLine]:
    merged = merge_by_area(rows)
    areas = (Area.objects.in_scheme(SCHEME).filter(ods_code__in=merged)
             .with_infant_population(POPULATION_YEAR).order_by("name"))
    children = dict(ChildPopulation.objects.filter(area__in=areas, year=POPULATION_YEAR)
                    .values_list("area_id", "count"))
    return [AreaLine(area, merged[area.ods_code], area.population_0_2, children.get(area.id))
            for area in areas]


def _pct(part: int, whole: int) -> str:
    figure = Decimal(part) * 100 / Decimal(whole) if whole else None
    return "–" if figure is None else f"{figure.quantize(Decimal('0.1'))}%"


def response_rates(campaign: Campaign, today) -> list[dict]:
    """Rows of the response-rate table: letters written, sent, answered, each state and
    overdue, with a column each for commissioners and providers."""
    counts = {(row["body__kind"], row["state"]): row["n"] for row in
              FoiRequest.objects.for_campaign(campaign).order_by()
              .values("body__kind", "state").annotate(n=Count("id"))}
    overdue = dict(FoiRequest.objects.for_campaign(campaign).overdue(today).order_by()
                   .values_list("body__kind").annotate(n=Count("id")))
    kinds = (BodyKind.COMMISSIONER.value, BodyKind.PROVIDER.value)

    def count(kind, states):
        return sum(counts.get((kind, state), 0) for state in states)

    sent_states = [s for s in RequestState.values if s != RequestState.NOT_SENT]
    answered_states = [RequestState.ANSWERED, RequestState.PARTIALLY_ANSWERED]
    rows = [
        {"key": "written", "label": "Letters written",
         "values": [count(kind, RequestState.values) for kind in kinds]},
        {"key": "sent", "label": "Sent", "values": [count(kind, sent_states) for kind in kinds]},
        {"key": "answered_any", "label": "Answered in full or in part",
         "values": [f"{count(kind, answered_states)} of {count(kind, sent_states)} "
                    f"({_pct(count(kind, answered_states), count(kind, sent_states))})"
                    for kind in kinds]},
    ]
    rows += [{"key": state, "label": RequestState(state).label,
              "values": [count(kind, [state]) for kind in kinds]} for state in sent_states]
    rows.append({"key": "overdue", "label": "Overdue now (awaiting, past the due date)",
                 "values": [overdue.get(kind, 0) for kind in kinds]})
    return rows


def _area_names(codes) -> str:
    names = dict(Area.objects.in_scheme(SCHEME).filter(ods_code__in=codes)
                 .values_list("ods_code", "name"))
    return ", ".join(f"{names.get(code, code)} ({code})" for code in codes)


def headlines(figures: dict) -> list[dict]:
    """The headline figures in words, each with its denominator and caveat."""
    with_data = figures["areas_with_acceptance_data"]
    disaggregated = figures["accepting_areas_with_disaggregated_data"]
    source = figures["disaggregated_source"]
    over_100 = figures["areas_over_100_access_under3"]
    mean = figures["mean_referred_0_18_in_1_to_5_referral_areas"]

    def pct(value):
        return "no" if value is None else f"{value}%"

    return [
        {"key": "accepting-none",
         "text": f"{figures['areas_accepting_none']} of {with_data} CCG areas "
                 f"({pct(figures['pct_accepting_none'])}) do not accept referrals for children "
                 "aged 2 and under.",
         "caveat": f"Out of the {with_data} of the 191 CCG areas (April 2019) with an answer "
                   "to at least one acceptance question."},
        {"key": "accepting-any",
         "text": f"{figures['areas_accepting_any']} of {with_data} CCG areas "
                 f"({pct(figures['pct_accepting_any'])}) accept referrals for children in at "
                 "least one age band under 3.",
         "caveat": "An area accepting one band (for example 24 to 36 months) counts here."},
        {"key": "no-access",
         "text": f"In {figures['areas_with_no_access_under3']} of {disaggregated} accepting "
                 f"areas ({pct(figures['pct_no_access_under3'])}) no child aged 2 or under "
                 "accessed CAMHS in the year.",
         "caveat": f"Out of the accepting areas that gave all six age-band counts (from the "
                   f"CCG for {source.get('ccg', 0)}, from a trust for "
                   f"{source.get('trust', 0)})."},
        {"key": "referrals",
         "text": f"{figures['areas_with_referrals_under3']} of {disaggregated} accepting areas "
                 "had any referral of a child aged 2 or under; "
                 f"{figures['areas_with_1_to_5_referrals_under3']} had 1 to 5, and "
                 f"{figures['areas_with_no_referrals_under3']} had none.",
         "caveat": "Over the same accepting areas with all six age-band counts."
                   + (f" Where there were 1 to 5 referrals, the mean number of referrals of "
                      f"children aged 0 to 18 was {mean}." if mean is not None else "")},
        {"key": "access",
         "text": f"{figures['areas_with_access_under3']} of {disaggregated} accepting areas "
                 "had any child aged 2 or under access CAMHS; "
                 f"{figures['areas_with_1_to_5_access_under3']} had 1 to 5.",
         "caveat": (f"More than 100 accessed in {len(over_100)} area"
                    f"{'s' if len(over_100) != 1 else ''}: {_area_names(over_100)}."
                    if over_100 else "No area had more than 100 under-3s access CAMHS.")},
        {"key": "full-data",
         "text": f"{figures['areas_with_full_data']} areas gave full data: all six age-band "
                 "counts and both 0 to 18 totals above zero.",
         "caveat": "Only these areas have percentages in the per-area chart."},
    ]


def flagged_rows(rows: list[ResponseRow]) -> list[str]:
    """Rows with an age-band count above the matching 0-18 total (still used)."""
    flags = []
    for row in rows:
        for measure in ("referred", "accessed"):
            total = getattr(row, f"{measure}_0_18")
            if total is None:
                continue
            bands = [name for name in ANSWER_FIELDS if name.startswith(measure)
                     and not name.endswith("0_18")]
            if any((getattr(row, name) or 0) > total for name in bands):
                flags.append(f"{row.respondent_code} about {row.area_code} (received "
                             f"{row.received_on.isoformat()}): a {measure} age-band count is "
                             f"more than the 0 to 18 total")
    return flags


def build_report(campaign: Campaign, today) -> dict:
    rows = response_rows(campaign)
    figures = analyse(rows)
    lines = area_lines(rows)
    chart = [line for line in lines if line.merged.has_full_data]
    return {
        "rows_count": len(rows),
        "figures": figures,
        "headlines": headlines(figures),
        "rules": RULES,
        "rates": response_rates(campaign, today),
        "lines": lines,
        "chart": chart,
        "status_words": STATUS_WORDS,
        "areas_total": Area.objects.in_scheme(SCHEME).count(),
        "flags": flagged_rows(rows),
        "no_data_areas": Area.objects.in_scheme(SCHEME).exclude(
            ods_code__in=[line.area.ods_code for line in lines if line.status != "no-data"]
        ).order_by("name"),
        "population_note": POPULATION_NOTE,
    }


def map_statuses(campaign: Campaign) -> dict[str, str]:
    """Every 2019 CCG's acceptance status, by ODS code ("no-data" where nobody answered)."""
    merged = merge_by_area(response_rows(campaign))
    return {code: area_status(merged.get(code)) for code in
            Area.objects.in_scheme(SCHEME).exclude(ods_code="").values_list("ods_code",
                                                                              flat=True)}


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _table(lines: list[AreaLine]) -> list[list]:
    return [[_cell(line.values()[name]) for name in AREA_COLUMNS] for line in lines]


def areas_csv(lines: list[AreaLine]) -> bytes:
    return csv_bytes(AREA_COLUMNS, _table(lines))


def areas_xlsx(lines: list[AreaLine], title: str) -> bytes:
    """The same table as areas_csv, as an Excel workbook (numbers as numbers), with a Notes
    sheet: the campaign, the population note and the analysis rules."""
    return xlsx_bytes(AREA_COLUMNS, _table(lines), title="Areas",
                      notes=[title, POPULATION_NOTE, *RULES])
