"""The public tables of a snapshot: what each is, where it comes from, its fields and its key,
and the function that gives its rows on a date (`table_rows`, reading what the pages read).

Figure tables (coverage, FOI, pooled) carry on every row the date the figure is for, its
denominator, its source and whether it is suppressed; a figure not known is empty, never 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from cradle.foi.responses_csv import ACCEPTS_FIELDS, COUNT_FIELDS
from cradle.geography.schemes import POPULATION_YEARS
from cradle.pooled import exports as pooled_exports

from . import table_rows
from .datapackage import OGL, Field, Source, TableShape

REGISTER = Source("Cradle register: Rare Jewels (Parent Infant Partnership UK, 2019), its "
                  "updates of 2020-2025 and coordinators' checks; each service's page names its "
                  "sources", "", "2019-06 onwards")
GEOGRAPHY = Source("ONS and NHS area lookups, boundaries and mid-year population estimates "
                   "(Open Government Licence v3.0); see the data sources page and "
                   "src/cradle/geography/data/PROVENANCE.md", "", "2019-2026")
FOI = Source("Freedom of Information answers of CAMHS commissioners, checked by a second "
             "coordinator before use (ADR 0031)")
POOLED = Source("Cradle outcomes portal: the pooled teams' records, under disclosure control "
                "(no count from 1 to 7, others rounded to 5; ADRs 0007 and 0008)")
MILESTONES = Source("Published national counts of parent-infant relationship teams (each "
                    "row names its publication)")


FIGURE_FIELDS = (
    Field("denominator", "string", "What the figure's shares are of"),
    Field("source", "string", "Where the figure comes from"),
    Field("suppressed", "boolean", "The figure (or a part of it) is withheld by disclosure "
          "control; false where no disclosure control applies"),
)


def _population_fields() -> tuple[Field, ...]:
    out: tuple[Field, ...] = ()
    for year in POPULATION_YEARS:
        out += (
            Field(f"population_0_2_{year}", "integer", f"Children aged 0 to 2, ONS mid-{year} "
                  "estimate (empty where none is loaded)", "children"),
            Field(f"population_method_{year}", "string", "How the figure was made: "
                  "ons-la-estimate and la-union are exact; lsoa-apportioned, "
                  "area-apportioned, msoa-centroid-sum and derived-union approximate"),
            Field(f"population_0_17_{year}", "integer", f"Children aged 0 to 17, mid-{year} "
                  "(the denominator of the under-3 share; empty where not loaded)",
                  "children"),
        )
    return out


@dataclass(frozen=True)
class Table:
    shape: TableShape
    rows: Callable[[datetime.date], list[tuple]]
    parquet: bool = False  # also written as Parquet (the larger tables)

    @property
    def name(self) -> str:
        return self.shape.name


DATE = Field("date", "date", "The date the figure is for (the snapshot's date)")
SERVICE_ID = Field("service_id", "integer", "The service's id: its page is /services/<id>/")

TABLES: tuple[Table, ...] = (
    Table(TableShape(
        "areas", "Areas of every scheme",
        "Every health commissioning area and local authority of every scheme Cradle loads, "
        "with the scheme's dates in force and its infant and child populations.",
        (Field("scheme", "string", "The area scheme (ccg2019, subicb2024, icb2026, lhb, hb, "
               "nitrust, la, county...)"),
         Field("code", "string", "GSS code (DoH short code for NI trusts)"),
         Field("ods_code", "string", "ODS code, where the area has one"),
         Field("name", "string", "Name"), Field("nation", "string", "Nation"),
         Field("parent_code", "string", "Code of the area it sits in (a council's county, a "
               "sub-ICB location's ICB), where recorded"),
         Field("derived", "boolean", "The area itself is derived (no official definition)"),
         Field("scheme_in_force_from", "date", "First day the scheme is counted on"),
         Field("scheme_in_force_to", "date", "Last day the scheme is counted on"),
         *_population_fields()),
        ("scheme", "code"), (GEOGRAPHY,), (OGL,)), table_rows.areas, parquet=True),
    Table(TableShape(
        "local_authorities", "Local authorities",
        "Every local authority, its county where it has one, and its populations: the unit "
        "coverage is counted in (ADR 0003).",
        (Field("code", "string", "GSS code"), Field("name", "string", "Name"),
         Field("nation", "string", "Nation"),
         Field("county_code", "string", "GSS code of its county, where it has one"),
         *_population_fields()),
        ("code",), (GEOGRAPHY,), (OGL,)), table_rows.local_authorities),
    Table(TableShape(
        "local_authority_shares", "Local authorities' babies in each health area",
        "The share of each local authority's children aged 0 to 2 living in each health area "
        "(the overlaps coverage is computed with).",
        (Field("scheme", "string", "Health area scheme"),
         Field("area_code", "string", "Health area code"),
         Field("local_authority_code", "string", "Local authority GSS code"),
         Field("share_0_2", "number", "Share (0 to 1) of the authority's children aged 0 to 2 "
               "living in the area", "share")),
        ("scheme", "area_code", "local_authority_code"), (GEOGRAPHY,), (OGL,)),
        table_rows.local_authority_shares),
    Table(TableShape(
        "services", "Services of the register",
        "Every real service of the register (synthetic demo teams never), with its status on "
        "the snapshot's date, its verdict by the Rare Jewels definition and when it was last "
        "confirmed. Contact email and phone are on each service's page, not here.",
        (SERVICE_ID, Field("register_ref", "string", "Reference in the 2019 register (T01...)"),
         Field("name", "string", "Name"),
         Field("other_names", "string", "Other names, separated by semicolons"),
         Field("kind", "string", "Kind of service (team, camhs_specialist...)"),
         Field("nation", "string", "Nation"), Field("locality", "string", "Where it works"),
         Field("status", "string", "Status on the date: planned, operating, paused, closed "
               "(empty where none is recorded)"),
         Field("status_label", "string", "The status in words"),
         Field("status_in_words", "string", "The status as its page says it, with when it "
               "was last confirmed"),
         Field("definition_verdict", "string", "team, not_a_team or not_enough_information, "
               "by the Rare Jewels definition"),
         Field("definition_verdict_label", "string", "The verdict in words"),
         Field("last_confirmed_on", "date", "First day of the newest evidence's date (empty "
               "where undated)"),
         Field("last_confirmed_text", "string", "The newest evidence's date as given"),
         Field("last_confirmed_source", "string", "What the newest evidence is"),
         Field("last_confirmed_url", "string", "Where it is"),
         Field("last_confirmed_strength", "string", "How strongly it shows the definition is "
               "met (yes, likely, partial, no, unknown, yes_per_2019, n/a)"),
         Field("how_to_refer", "string", "How to refer, as its page says"),
         Field("professional_referral", "boolean", "Takes referrals from professionals "
               "(empty: not recorded)"),
         Field("self_referral", "boolean", "Families can refer themselves (empty: not "
               "recorded)"),
         Field("referral_checked_on", "date", "When how to refer was checked"),
         Field("accepts_from", "string", "conception, birth or later"),
         Field("accepts_to_months", "integer", "Oldest age accepted, in months", "months"),
         Field("languages", "string", "Languages, separated by semicolons"),
         Field("languages_checked_on", "date", "When the languages were checked"),
         Field("website", "string", "Website"),
         Field("website_checked_on", "date", "When the website was checked"),
         Field("page", "string", "The service's page on this site"), DATE),
        ("service_id",), (REGISTER,)), table_rows.services),
    Table(TableShape(
        "service_coverage", "Areas each service takes referrals from",
        "The recorded coverage of each real service, as its page lists it.",
        (SERVICE_ID, Field("scheme", "string", "Area scheme"),
         Field("code", "string", "Area code"), Field("name", "string", "Area name"),
         Field("partial", "boolean", "Covers only part of the area"),
         Field("note", "string", "Note")),
        ("service_id", "scheme", "code"), (REGISTER,)), table_rows.service_coverage),
    Table(TableShape(
        "service_staffing", "Staffing of each service",
        "Whole-time equivalents by profession, as recorded; a service with no rows has no "
        "staffing recorded (not known, which is not 0).",
        (SERVICE_ID, Field("profession", "string", "Profession (code)"),
         Field("profession_label", "string", "Profession"),
         Field("wte", "number", "Whole-time equivalent", "WTE")),
        ("service_id", "profession"), (REGISTER,)), table_rows.service_staffing),
    Table(TableShape(
        "coverage_by_area", "Coverage of each area on the date",
        "Every area of the schemes in force on the snapshot's date, covered, partly covered or "
        "not covered (ADR 0017), as the coverage map shows it for that date.",
        (DATE, Field("scheme", "string", "Area scheme in force"),
         Field("code", "string", "Area code"), Field("name", "string", "Area name"),
         Field("nation", "string", "Nation"),
         Field("status", "string", "covered, partly_covered or not_covered"),
         Field("population_0_2", "integer", "Children aged 0 to 2 (the denominator)",
               "children"),
         Field("population_0_2_covered", "integer", "Of them, living where a team operates "
               "(empty where a team covers a part Cradle cannot place)", "children"),
         Field("pct_covered", "number", "Share covered (empty where not known)", "percent"),
         Field("named_by_team", "boolean", "A team's recorded coverage names the whole area"),
         Field("camhs_specialists", "boolean", "CAMHS parent-infant specialists cover some "
               "of it"),
         *FIGURE_FIELDS),
        ("scheme", "code"), (REGISTER, GEOGRAPHY)), table_rows.coverage_by_area, parquet=True),
    Table(TableShape(
        "coverage_by_nation", "Coverage per nation and UK on the date",
        "The coverage map's totals for the snapshot's date.",
        (DATE, Field("nation", "string", "Nation, or UK"),
         Field("scheme", "string", "Area scheme in force (empty for the UK)"),
         Field("areas", "integer", "Areas", "areas"),
         Field("areas_covered", "integer", "Areas covered", "areas"),
         Field("areas_partly_covered", "integer", "Areas partly covered", "areas"),
         Field("areas_share_not_known", "integer", "Partly covered areas whose share is not "
               "known", "areas"),
         Field("areas_not_covered", "integer", "Areas not covered", "areas"),
         Field("population_0_2", "integer", "Children aged 0 to 2 (the denominator)",
               "children"),
         Field("population_0_2_covered", "integer", "Of them, living where a team operates "
               "(a lower bound where a share is not known)", "children"),
         Field("pct_covered", "number", "Share covered", "percent"),
         Field("services_operating", "integer", "Services operating on the date (UK row "
               "only)", "services"),
         *FIGURE_FIELDS),
        ("nation",), (REGISTER, GEOGRAPHY)), table_rows.coverage_by_nation),
    Table(TableShape(
        "team_count_milestones", "Published national counts of teams",
        "Counts of teams published since Rare Jewels, each with its publication: not "
        "services of the register.",
        (Field("on", "date", "Date of the count"),
         Field("teams", "integer", "Teams", "teams"),
         Field("in_development", "integer", "Teams in development (empty where not "
               "published)", "teams"),
         Field("publication", "string", "Publication"), Field("publisher", "string", "Publisher"),
         Field("url", "string", "Where it is published"), Field("note", "string", "Note")),
        ("on", "publication"), (MILESTONES,)), table_rows.team_count_milestones),
    Table(TableShape(
        "foi_results", "FOI answers per CCG of April 2019",
        "For each CCG of April 2019, the latest FOI campaign's checked answer, merged by the "
        "campaign's rules, as the area's planning profile shows it. Empty: not answered "
        "(never 0).",
        (Field("campaign", "string", "FOI campaign"),
         Field("area_code", "string", "ODS code of the CCG"),
         Field("area_gss_code", "string", "GSS code of the CCG"),
         Field("area_name", "string", "Name of the CCG"),
         *(Field(name, "boolean", f"Accepts referrals aged {name[8:].replace('_', ' to ')}")
           for name in ACCEPTS_FIELDS),
         *(Field(name, "integer", f"{name.split('_')[0].capitalize()} aged "
                 f"{name.split('_', 1)[1].replace('_', ' to ')} as reported", "children")
           for name in COUNT_FIELDS),
         Field("referred_under3", "integer", "Referred aged 2 and under", "children"),
         Field("accessed_under3", "integer", "Accessed aged 2 and under", "children"),
         Field("pct_referred_under3", "number", "Referred aged 2 and under, of referrals aged "
               "0 to 18", "percent"),
         Field("pct_accessed_under3", "number", "Accessed aged 2 and under, of those aged 0 "
               "to 18", "percent"),
         Field("data_source", "string", "Whose answer is used (CCG or provider)"),
         Field("received_on", "date", "When the newest answer used was received"),
         *FIGURE_FIELDS),
        ("campaign", "area_code"), (FOI,)), table_rows.foi_results),
    Table(TableShape(
        "pooled_summary", "Pooled outcomes, protected",
        "The public summary's figures for the UK and each nation, for each complete calendar "
        "year, protected by disclosure control exactly as /pooled/public/ shows them: one "
        "figure a row, a hidden figure empty with its status saying why.",
        (Field("area", "string", "UK or a nation"),
         Field("row", "integer", "Row of the release (its order on the page)"),
         *(Field(name, {"teams_pooled": "integer", "value": "number", "lower": "number",
                        "upper": "number", "percent": "number", "period_start": "date",
                        "period_end": "date"}.get(name, "string"), name.replace("_", " "))
           for name in pooled_exports.HEADER),
         Field("suppressed", "boolean", "The value, its percent or its interval is withheld"),
         Field("source", "string", "Where the figure comes from")),
        ("area", "period_start", "row"), (POOLED,)), table_rows.pooled_summary),
)

TABLES_BY_NAME = {table.name: table for table in TABLES}
