"""An area profile as rows for CSV and XLSX downloads.

Both are written by `cradle.core.spreadsheets`, so an area or service name can never run as a
formula; numbers (negative ones too) stay numbers.
"""

from __future__ import annotations

from cradle.core.spreadsheets import csv_bytes, xlsx_bytes

from .plans import AreaProfile
from .wording import foi_words, gap_in_words

COLUMNS = ("section", "item", "value", "unit", "note")


def profile_rows(profile: AreaProfile) -> list[tuple]:
    plan, data = profile.plan, profile.data
    year = profile.population_year
    rows = [
        ("area", "name", profile.area.name, "", ""),
        ("area", "code", profile.area.code, "", profile.area.get_scheme_display()),
        ("area", "nation", profile.area.nation, "", ""),
        ("population", "births a year", plan.births, "babies",
         f"ONS mid-{year} estimate of children aged 0, standing in for annual births"),
        ("population", "children aged 0 to 2", plan.population_0_2, "children",
         f"ONS mid-{year} estimates"),
    ]
    rows += _coverage_rows(profile)
    if plan.cost:
        for role in plan.cost.roles:
            low, high = role.cost.rounded()
            rows += [
                ("sized team", f"{role.sized.role}: WTE", role.sized.wte, "WTE",
                 f"bands {role.sized.spec.band_low} to {role.sized.spec.band_high}"),
                ("sized team", f"{role.sized.role}: cost low", low, "GBP a year", ""),
                ("sized team", f"{role.sized.role}: cost high", high, "GBP a year", ""),
            ]
        low, high = plan.cost.total.rounded()
        rows += [
            ("sized team", "total WTE", plan.needed_wte, "WTE",
             f"{data.reference.name}, scaled to births"),
            ("sized team", "cost low", low, "GBP a year", ""),
            ("sized team", "cost high", high, "GBP a year", ""),
            ("sized team", "annual cost (midpoint)", plan.cost.annual_cost, "GBP a year",
             f"{data.costs.year} Agenda for Change pay plus {data.costs.on_cost_pct}% on-costs"),
        ]
    for service in profile.services:
        attributed = profile.attributed.get(service.pk)
        if service.total_wte is None:
            counted = ("; staffing not recorded (unknown, not 0)" if service.is_team
                       else "; not counted (not a team)")
        elif attributed:
            counted = f"; {attributed.wte} WTE counted for this area"
        else:
            counted = "" if service.is_team else "; not counted (not a team)"
        rows.append(("services", service.name, service.total_wte, "WTE recorded",
                     service.kind_label + counted))
    gap = plan.gap
    gap_low, gap_high = plan.gap_cost.rounded()
    rows += [
        ("gap", "existing staffing", plan.existing_wte if plan.staffing_known else None,
         "WTE", "teams' WTE shared by babies" if plan.staffing_known else
         f"not recorded: {gap.teams_not_recorded} covering team(s) recorded no staffing"
         + (f"; the others record {plan.existing_wte} WTE" if plan.existing_wte else "")),
        ("gap", "staffing recorded", "yes" if plan.staffing_known else "no", "", ""),
        ("gap", "gap low", gap.low, "WTE",
         "" if plan.staffing_known else "if the covering team(s) are already fully staffed"),
        ("gap", "gap high", gap.high, "WTE",
         "" if plan.staffing_known else "if the covering team(s) have no staff"),
        ("gap", "gap cost low", gap_low, "GBP a year", ""),
        ("gap", "gap cost high", gap_high, "GBP a year", ""),
    ]
    if profile.foi:
        for answer in profile.foi:
            rows.append(("CAMHS (FOI)", answer.area_name, foi_words(answer.merged), "",
                         f"campaign: {answer.campaign}"))
    else:
        rows.append(("CAMHS (FOI)", "answer", "no FOI data", "", ""))
    nation = profile.nation
    rows += [
        ("nation", f"{nation.name}: areas", nation.areas, "areas",
         profile.area.get_scheme_display()),
        ("nation", f"{nation.name}: births", nation.births, "babies", ""),
        ("nation", f"{nation.name}: existing WTE per 1,000 births", nation.existing_per_1000,
         "WTE", "" if nation.staffing_known else "not recorded for every area"),
        ("nation", f"{nation.name}: areas with staffing not recorded",
         nation.areas_staffing_not_recorded, "areas", "their gap is a range"),
        ("nation", f"{nation.name}: gap low", nation.gap_low_wte, "WTE", ""),
        ("nation", f"{nation.name}: gap high", nation.gap_high_wte, "WTE", ""),
    ]
    for other in profile.similar:
        rows.append(("similar areas", other.name, other.births, "births",
                     gap_in_words(other.gap)))
    rows.append(("sources", "reference team", data.reference.name, "", data.reference.source))
    return rows


def _coverage_rows(profile: AreaProfile) -> list[tuple]:
    """The area's coverage on the profile's date, in the coverage map's words (ADR 0017)."""
    on = profile.on.isoformat()
    row = profile.coverage
    if row is None:
        return [("coverage", "status", "not counted", "",
                 f"coverage on {on} is counted on the {profile.area.nation} areas in force")]
    share = ("not known" if row.pct_covered is None else row.pct_covered)
    return [("coverage", "status", row.in_words, "", f"Cradle's register, {on}"),
            ("coverage", "babies aged 0 to 2 living where a team operates", share,
             "" if row.pct_covered is None else "%", f"Cradle's register, {on}")]


def profile_csv(profile: AreaProfile) -> bytes:
    return csv_bytes(COLUMNS, profile_rows(profile))


def profile_xlsx(profile: AreaProfile) -> bytes:
    return xlsx_bytes(COLUMNS, profile_rows(profile), title="Profile")
