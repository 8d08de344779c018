"""The register's public, operating services as mapping.ServiceRecord values, in few queries.

Which services: the real ones (never the synthetic teams of `cradle synth`) whose status on
the day is operating, as the public finder lists them; ordered by name, then id. What of
them: what the public service page shows (its confirmation, how to refer, ages, contact
details, funding, areas, and who runs it, from the newest source naming a host).
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from cradle.directory.confirmation import NOT_RECORDED, attach_confirmations, with_claims
from cradle.directory.models import (
    AcceptsFrom,
    Service,
    ServiceCoverage,
    ServiceFunding,
    Status,
)
from cradle.directory.register_updates import UPDATES_AS_OF
from cradle.geography.schemes import SCHEMES_BY_KEY

from .mapping import (
    AreaRecord,
    ListQuery,
    ServiceRecord,
    ages_match,
    ages_words,
    names_an_organisation,
    service_id,
)


def operating_services(on: datetime.date):
    return Service.objects.real().operating_on(on).order_by("name", "pk")


def matching_pks(query: ListQuery, on: datetime.date) -> list[int]:
    """The ids of the services a `/services` query lists, in the feed's order (one query)."""
    if query.matches_nothing:
        return []
    services = operating_services(on)
    if query.search:
        services = services.search(query.search)
    rows = services.values_list("pk", "accepts_from", "accepts_to_months")
    return [pk for pk, accepts_from, to_months in rows
            if ages_match(query, accepts_from, to_months)]


def pk_for(oruk_id: str, on: datetime.date) -> int | None:
    """The operating service whose ORUK id this is, if any."""
    wanted = oruk_id.strip().lower()
    return next((pk for pk in operating_services(on).values_list("pk", flat=True)
                 if service_id(pk) == wanted), None)


def _host(service: Service) -> str:
    """Who runs it, as the newest source that names a host says (the page's "Run by"); ""
    when none does ("not stated" and "UNVERIFIED" name nobody)."""
    named = [claim for claim in service.claims.all() if names_an_organisation(claim.host)]
    newest = max(named, key=lambda claim: (claim.evidence_to or UPDATES_AS_OF, claim.pk),
                 default=None)
    return newest.host if newest else ""


def _areas(service: Service) -> tuple[AreaRecord, ...]:
    areas = []
    for cover in service.coverage.all():
        scheme = SCHEMES_BY_KEY.get(cover.area.scheme)
        areas.append(AreaRecord(
            scheme=cover.area.scheme, code=cover.area.code, name=cover.area.name,
            scheme_label=scheme.label if scheme else cover.area.scheme,
            partial=cover.partial, note=cover.note,
            gss=scheme is not None and scheme.code_system == "gss"))
    return tuple(areas)


def _record(service: Service) -> ServiceRecord:
    refer = service.how_to_refer
    status_words = service.status_in_words
    from_label = AcceptsFrom(service.accepts_from).label if service.accepts_from else ""
    return ServiceRecord(
        pk=service.pk, name=service.name, kind_label=service.get_kind_display(),
        locality=service.locality,
        how_to_refer="" if refer == NOT_RECORDED else refer,
        ages_text=ages_words(from_label, service.accepts_to_months),
        accepts_from=service.accepts_from, accepts_to_months=service.accepts_to_months,
        website=service.website,
        confirmed_on=service.confirmation.on,
        not_confirmed_words="" if status_words == Status.OPERATING.label else status_words,
        host=_host(service), areas=_areas(service),
        funding=tuple(row.get_source_display() for row in service.funding.all()))


def service_records(pks: list[int], on: datetime.date) -> list[ServiceRecord]:
    """Records of these services, in the order given (a fixed number of queries)."""
    if not pks:
        return []
    coverage = ServiceCoverage.objects.select_related("area").order_by(
        "area__scheme", "area__name", "area__code")
    services = with_claims(operating_services(on).filter(pk__in=pks)).prefetch_related(
        Prefetch("funding", queryset=ServiceFunding.objects.order_by("source")),
        Prefetch("coverage", queryset=coverage))
    by_pk = {service.pk: service for service in attach_confirmations(services, on)}
    return [_record(by_pk[pk]) for pk in pks if pk in by_pk]
