"""The register as a census sees it: a service's entry as a flat dict of census fields, and
writing accepted values back as dated, sourced register facts.

Called only from actions.accept_answer, inside its transaction: this module is the one way a
census changes the register. Each accepted value is written to the register's own records
(a StatusChange from the round's reference date naming the census, coverage, staffing,
interventions, funding, criterion evidence, the service's detail fields with their checked-on
dates) and the review ends with a RegisterClaim for the round, which is what "last confirmed"
reads (directory.confirmation).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory.confirmation import CENSUS_DATASET_PREFIX
from cradle.directory.definition import CRITERIA, EXCLUSIONS
from cradle.directory.models import (
    CriterionEvidence,
    DatePrecision,
    RegisterClaim,
    Service,
    ServiceCoverage,
    ServiceFunding,
    ServiceIntervention,
    ServiceStaffing,
    Status,
    StatusChange,
    Strength,
)
from cradle.geography.models import Area

from .fields import FIELDS, fields_of

DETAIL_FIELDS = ("referral_pathway", "contact_phone", "contact_email", "website",
                 "accepts_from", "accepts_to_months", "professional_referral", "self_referral")
# The service's checked-on date each confirmed section sets.
CHECKED_ON = {"referral": ("referral_checked_on",), "ages": ("ages_checked_on",),
              "contact": ("contact_phone_checked_on", "contact_email_checked_on",
                          "website_checked_on")}


def area_key(area: Area) -> str:
    return f"{area.scheme}:{area.code}"


def snapshot(service: Service, on: datetime.date) -> dict:
    """The register's entry for the service on `on`, keyed as fields.FIELDS."""
    values: dict = {"status": service.status_on(on)}
    values["coverage"] = sorted(area_key(c.area) for c in service.coverage.select_related("area"))
    staffing = {s.profession: f"{s.wte:.2f}" for s in service.staffing.all()}
    for field in fields_of("staffing"):
        values[field.key] = staffing.get(field.key.removeprefix("staffing."))
    values["interventions"] = sorted(service.interventions.values_list("intervention", flat=True))
    values["funding"] = sorted(service.funding.values_list("source", flat=True))
    for name in DETAIL_FIELDS:
        values[name] = getattr(service, name)
    values["accepts_from"] = values["accepts_from"] or None
    evidence = dict(service.evidence.values_list("criterion", "answer"))
    for criterion in (*CRITERIA, *EXCLUSIONS):
        values[f"criterion.{criterion.key}"] = evidence.get(criterion.key)
    return values


def area_names(keys) -> dict[str, str]:
    wanted = [tuple(key.split(":", 1)) for key in keys if ":" in key]
    found = Area.objects.none()
    for scheme in {scheme for scheme, _ in wanted}:
        codes = [code for s, code in wanted if s == scheme]
        found = found | Area.objects.filter(scheme=scheme, code__in=codes)
    return {area_key(area): area.name for area in found}


def source_label(census_round) -> str:
    return f"Census “{census_round.name}” (Cradle), reference date " \
           f"{census_round.reference_date:%-d %B %Y}"


def write(service: Service, values: dict, *, census_round, audit: list) -> None:
    """Write accepted values (fields.FIELDS keys) to the register records."""
    on, source = census_round.reference_date, source_label(census_round)
    if "status" in values:
        change, _ = StatusChange.objects.update_or_create(
            service=service, effective_from=on,
            defaults={"status": values["status"], "source": source[:300]})
        audit.append(recorder.event_for(change, Action.CHANGE, ("status", "source")))
    if "coverage" in values:
        _write_coverage(service, values["coverage"], audit)
    for field in fields_of("staffing"):
        if field.key in values:
            _write_staffing(service, field.key.removeprefix("staffing."), values[field.key],
                            audit)
    _write_many(service, values, "interventions", ServiceIntervention, "intervention", audit)
    _write_many(service, values, "funding", ServiceFunding, "source", audit)
    details = [name for name in DETAIL_FIELDS if name in values]
    for name in details:
        setattr(service, name, "" if name == "accepts_from" and values[name] is None
                else values[name])
    if details:
        service.save(update_fields=[*details, "updated_at"])
        audit.append(recorder.event_for(service, Action.CHANGE, details))
    for key, answer in values.items():
        if key.startswith("criterion."):
            evidence, _ = CriterionEvidence.objects.update_or_create(
                service=service, criterion=key.removeprefix("criterion."),
                defaults={"answer": answer, "source": source[:300], "recorded_on": on,
                          "evidence": "Answered in the census and accepted by a coordinator."})
            audit.append(recorder.event_for(evidence, Action.CHANGE, ("answer", "source")))


def _write_coverage(service: Service, keys: list[str], audit: list) -> None:
    wanted = set(keys)
    for coverage in service.coverage.select_related("area"):
        if area_key(coverage.area) not in wanted:
            audit.append(recorder.event_for(coverage, Action.DELETE))
            coverage.delete()
        else:
            wanted.discard(area_key(coverage.area))
    for key in sorted(wanted):
        scheme, code = key.split(":", 1)
        coverage = ServiceCoverage.objects.create(
            service=service, area=Area.objects.get(scheme=scheme, code=code))
        audit.append(recorder.event_for(coverage, Action.CREATE, ("area",)))


def _write_staffing(service: Service, profession: str, wte: str | None, audit: list) -> None:
    row = service.staffing.filter(profession=profession).first()
    if wte is None:
        if row is not None:
            audit.append(recorder.event_for(row, Action.DELETE))
            row.delete()
        return
    row, _ = ServiceStaffing.objects.update_or_create(
        service=service, profession=profession, defaults={"wte": Decimal(wte)})
    audit.append(recorder.event_for(row, Action.CHANGE, ("wte",)))


def _write_many(service, values, key, model, column, audit) -> None:
    if key not in values:
        return
    existing = {getattr(row, column): row for row in model.objects.filter(service=service)}
    for item, row in existing.items():
        if item not in values[key]:
            audit.append(recorder.event_for(row, Action.DELETE))
            row.delete()
    for item in values[key]:
        if item not in existing:
            row = model.objects.create(service=service, **{column: item})
            audit.append(recorder.event_for(row, Action.CREATE, (column,)))


def confirm(service: Service, *, census_round, confirmed_sections, respondent_role: str,
            accepted_by: str, audit: list) -> RegisterClaim:
    """The round's dated claim about the service ("last confirmed"), and the checked-on dates
    of the sections the respondent confirmed."""
    on = census_round.reference_date
    dates = [name for section in confirmed_sections for name in CHECKED_ON.get(section, ())]
    for name in dates:
        setattr(service, name, on)
    if dates:
        service.save(update_fields=[*dates, "updated_at"])
        audit.append(recorder.event_for(service, Action.CHANGE, dates))
    status = service.status_on(on) or Status.OPERATING
    claim, _ = RegisterClaim.objects.update_or_create(
        dataset=f"{CENSUS_DATASET_PREFIX}{census_round.pk}", service=service,
        defaults={
            "name_given": service.name, "locality": service.locality,
            "claimed_status": status, "evidence_date_text": on.isoformat(),
            "evidence_precision": DatePrecision.DAY, "evidence_from": on, "evidence_to": on,
            "strength": _strength(service, status),
            "notes": f"{source_label(census_round)}\nAnswered by: {respondent_role or 'not said'}"
                     f"; accepted by {accepted_by}.",
        })
    audit.append(recorder.event_for(claim, Action.CHANGE, ("claimed_status", "evidence_to",
                                                            "strength")))
    return claim


def _strength(service: Service, status: str) -> str:
    if status == Status.CLOSED:
        return Strength.NOT_APPLICABLE
    evidence = dict(service.evidence.values_list("criterion", "answer"))
    if any(evidence.get(c.key) is False for c in CRITERIA) or any(
            evidence.get(e.key) for e in EXCLUSIONS):
        return Strength.NO
    if all(evidence.get(c.key) for c in CRITERIA) and all(
            evidence.get(e.key) is False for e in EXCLUSIONS):
        return Strength.YES
    return Strength.UNKNOWN


FIELD_KEYS = tuple(field.key for field in FIELDS)
