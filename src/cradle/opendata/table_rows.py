"""The rows of each public table, read through the same functions the public pages use, so a
snapshot's figures are the pages' figures on its date.

Only what a public page publishes is read: real services (never the synthetic teams), a
service's public fields (not its contact email and phone, which `core.field_classes` marks
identifying because they may name a person; its page is linked instead), checked FOI answers
only (ADR 0031), and the pooled figures only as protected for the public summary (ADR 0007,
0008). Nothing here reads a case record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse

from cradle.directory.classification import attach_verdicts, with_facts
from cradle.directory.confirmation import attach_confirmations, with_claims
from cradle.directory.coverage_queries import coverage_report, population_year_for
from cradle.directory.models import Service, ServiceCoverage, Status
from cradle.foi.models import ResponseRecord
from cradle.foi.responses_csv import ANSWER_FIELDS
from cradle.geography.models import (
    Area,
    ChildPopulation,
    LocalAuthorityOverlap,
    Nation,
    Population,
)
from cradle.geography.schemes import POPULATION_YEARS, SCHEMES_BY_KEY
from cradle.planning import queries as planning_queries
from cradle.pooled import exports as pooled_exports
from cradle.pooled.queries import pooled_teams, years_with_referrals
from cradle.pooled.releases import nations_family

REGISTER_SOURCE = "Cradle register (Rare Jewels 2019 and sourced updates)"
NOT_SUPPRESSED = False
POOLED_SOURCE = "Cradle outcomes portal: the pooled teams' records, protected (ADR 0007)"


def _populations() -> tuple[dict, dict, dict]:
    """Per area id and year: the 0-2 count, the method(s) and the 0-17 count."""
    counts: dict = defaultdict(int)
    methods: dict = defaultdict(set)
    for area_id, year, count, method in Population.objects.values_list(
            "area_id", "year", "count", "method"):
        counts[(area_id, year)] += count
        methods[(area_id, year)].add(method)
    children = {(area_id, year): count for area_id, year, count in
                ChildPopulation.objects.values_list("area_id", "year", "count")}
    return counts, {key: ";".join(sorted(value)) for key, value in methods.items()}, children


def _population_columns(pk: int, counts, methods, children) -> list:
    out = []
    for year in POPULATION_YEARS:
        out += [counts.get((pk, year)), methods.get((pk, year)) or None,
                children.get((pk, year))]
    return out


def areas(on: datetime.date) -> list[tuple]:
    counts, methods, children = _populations()
    parents = dict(Area.objects.values_list("id", "code"))
    rows = []
    for area in Area.objects.order_by("scheme", "code"):
        scheme = SCHEMES_BY_KEY[area.scheme]
        rows.append((area.scheme, area.code, area.ods_code or None, area.name, area.nation,
                     parents.get(area.parent_id), area.derived, scheme.in_force_from or None,
                     scheme.in_force_to or None,
                     *_population_columns(area.pk, counts, methods, children)))
    return rows


def local_authorities(on: datetime.date) -> list[tuple]:
    counts, methods, children = _populations()
    parents = dict(Area.objects.filter(scheme="county").values_list("id", "code"))
    return [(la.code, la.name, la.nation, parents.get(la.parent_id),
             *_population_columns(la.pk, counts, methods, children))
            for la in Area.objects.in_scheme("la").order_by("code")]


def local_authority_shares(on: datetime.date) -> list[tuple]:
    return list(LocalAuthorityOverlap.objects.order_by(
        "area__scheme", "area__code", "local_authority__code").values_list(
        "area__scheme", "area__code", "local_authority__code", "share_0_2"))


def _services(on: datetime.date) -> list[Service]:
    services = with_claims(with_facts(Service.objects.real().with_status_on(on)))
    return attach_confirmations(attach_verdicts(services.order_by("name", "pk")), on)


def services(on: datetime.date) -> list[tuple]:
    labels = dict(Status.choices)
    rows = []
    for s in _services(on):
        confirmation = s.confirmation
        names = "; ".join(n.strip() for n in s.other_names.splitlines() if n.strip())
        languages = "; ".join(n.strip() for n in s.languages.splitlines() if n.strip())
        rows.append((
            s.pk, s.register_ref or None, s.name, names or None, s.kind, s.nation,
            s.locality or None, s.status_on, labels.get(s.status_on) if s.status_on else None,
            s.status_in_words, s.verdict.outcome.value, s.verdict.in_words,
            confirmation.on, confirmation.on_text or None, confirmation.source or None,
            confirmation.source_url or None, confirmation.strength or None, s.how_to_refer,
            s.professional_referral, s.self_referral, s.referral_checked_on,
            s.accepts_from or None, s.accepts_to_months, languages or None,
            s.languages_checked_on, s.website or None, s.website_checked_on,
            reverse("directory:service-detail", args=[s.pk]), on))
    return rows


def service_coverage(on: datetime.date) -> list[tuple]:
    coverage = ServiceCoverage.objects.select_related("area").order_by("area__scheme",
                                                                       "area__code")
    services = Service.objects.real().prefetch_related(Prefetch("coverage", queryset=coverage))
    return [(s.pk, c.area.scheme, c.area.code, c.area.name, c.partial, c.note or None)
            for s in services.order_by("pk") for c in s.coverage.all()]


def service_staffing(on: datetime.date) -> list[tuple]:
    services = Service.objects.real().prefetch_related("staffing").order_by("pk")
    return [(s.pk, row.profession, row.get_profession_display(), row.wte)
            for s in services for row in s.staffing.all()]


def _population_source(on: datetime.date) -> str:
    return f"ONS mid-{population_year_for(on)} population estimates, children aged 0 to 2"


def coverage_by_area(on: datetime.date) -> list[tuple]:
    """The coverage map's areas on the date (`coverage_report`, the map's own query)."""
    report = coverage_report(on)
    denominator = _population_source(on)
    rows = []
    for area in report.areas:
        scheme, code = area.key
        covered = area.population_0_2_covered
        rows.append((on, scheme, code, area.name, area.nation, area.status,
                     round(area.population_0_2),
                     None if covered is None else round(covered), area.pct_covered,
                     area.named, area.specialists, denominator, REGISTER_SOURCE,
                     NOT_SUPPRESSED))
    return rows


def coverage_by_nation(on: datetime.date) -> list[tuple]:
    report = coverage_report(on)
    denominator = _population_source(on)
    out = []
    for name, row, scheme in [*((n, c, report.schemes.get(n)) for n, c in
                                report.nations.items()), ("UK", report.uk, None)]:
        pct = row.pct_covered if row.population_0_2 else None  # no babies: not known, not 0
        out.append((on, name, scheme, row.areas, row.areas_covered, row.areas_partly_covered,
                    row.areas_share_not_known, row.areas_not_covered, row.population_0_2,
                    row.population_0_2_covered, pct,
                    report.teams_operating if name == "UK" else None, denominator,
                    REGISTER_SOURCE, NOT_SUPPRESSED))
    return out


def team_count_milestones(on: datetime.date) -> list[tuple]:
    return [(m.on, m.teams, m.in_development, m.publication, m.publisher, m.url or None,
             m.note or None) for m in planning_queries.milestones() if m.on <= on]


def foi_results(on: datetime.date) -> list[tuple]:
    """Per 2019 CCG, the latest campaign's checked answer, as the area's planning profile
    shows it (`planning.queries.latest_foi_answers`)."""
    areas = (Area.objects.in_scheme(planning_queries.FOI_SCHEME)
             .filter(pk__in=ResponseRecord.objects.checked().values("area"))
             .order_by("ods_code"))
    rows = []
    for area in areas:
        for answer in planning_queries.latest_foi_answers(area):
            merged = answer.merged
            received = [row.received_on for row in merged.used.values() if row.received_on]
            rows.append((
                answer.campaign, answer.area_code, area.code, answer.area_name,
                *(getattr(merged, name) for name in ANSWER_FIELDS),
                merged.referred_under3, merged.accessed_under3,
                merged.pct_referred_under3, merged.pct_accessed_under3,
                merged.source.value if merged.source else None,
                max(received) if received else None,
                "referrals and children accessing the service aged 0 to 18, as reported",
                f"FOI campaign “{answer.campaign}”, answers checked by a second coordinator",
                NOT_SUPPRESSED))
    return rows


def pooled_summary(on: datetime.date) -> list[tuple]:
    """The public summary's protected figures (`releases.nations_family`, which the public
    page's `protected_report` builds on) for the UK and each nation, for every complete year
    before the snapshot's (ADR 0007: a year still running is never published)."""
    team_ids = list(pooled_teams().values_list("pk", flat=True))
    years = [year for year in years_with_referrals(team_ids) if year < on.year]
    rows = []
    for year in sorted(years):
        by_nation, uk, _teams = nations_family(datetime.date(year, 1, 1),
                                               datetime.date(year, 12, 31))
        for name, release in [("UK", uk), *((n, by_nation[n]) for n in Nation.values)]:
            for number, row in enumerate(pooled_exports.rows(release.report), start=1):
                figure = dict(zip(pooled_exports.HEADER, row, strict=True))
                status = figure["status"] or ""
                rows.append((name, number, *row,
                             "suppressed" in status or "withheld" in status, POOLED_SOURCE))
    return rows

