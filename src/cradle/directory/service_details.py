"""Load the shipped, sourced service details (service-details.csv): how to refer, ages
accepted, languages and contact details, each with the source that says it, a short quote and
the source's date.

Every row is checked before anything is written (an unknown reference, field or value names
the file, row and column). The load writes a service's field only when the field is empty or
still holds the value the previous load wrote (kept in its SourcedDetail row): a value a
coordinator entered in the admin since is never overwritten, and a detail dropped from the
file is cleared only where the service still holds the dropped value. A second load changes
nothing; the audit log gets a "load" entry per service changed and one for the import.

Runs inside `load_register`'s transaction, after the register updates (whose new services it
may name by their "U" references).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Q

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.models import ImportLog

from .evidence_dates import EvidenceDateError, parse_evidence_date
from .models import AcceptsFrom, Service, SourcedDetail
from .register_import import (
    DATA_DIR,
    RegisterError,
    import_summary,
    new_changes,
    read_rows,
    set_changed,
)

DETAILS_FILE = "service-details.csv"
DATASET = "service-details"
DETAILS_SOURCE = ("Service details quoted from Rare Jewels (June 2019) and the register "
                  "updates' notes (service-details.csv)")
DETAILS_COLUMNS = ("ref", "field", "value", "checked_on", "source", "source_url", "quote")
# Each field and the Service field saying when its group was last checked. `referred_by` (who
# refers, as the source names them) is no Service field: it words `professional_referral`.
CHECKED_ON_FIELD = {
    "professional_referral": "referral_checked_on", "self_referral": "referral_checked_on",
    "referred_by": "referral_checked_on",
    "accepts_from": "ages_checked_on", "accepts_to_months": "ages_checked_on",
    "languages": "languages_checked_on", "website": "website_checked_on",
    "contact_email": "contact_email_checked_on", "contact_phone": "contact_phone_checked_on",
}
EMPTY = {"professional_referral": None, "self_referral": None, "accepts_from": "",
         "accepts_to_months": None, "languages": "", "website": "", "contact_email": "",
         "contact_phone": ""}
_PHONE = re.compile(r"\+?[0-9][0-9 ]{8,18}[0-9]")
_YES_NO = {"yes": True, "no": False}


class DetailValueError(ValueError):
    pass


def typed_value(field: str, text: str):
    """The value a Service field takes for the file's text; DetailValueError if it is not one.
    Public: the wording of how to refer compares it with what the service holds."""
    if field in ("professional_referral", "self_referral"):
        if text not in _YES_NO:
            raise DetailValueError(f"{text!r} is not yes or no")
        return _YES_NO[text]
    if field == "accepts_from":
        if text not in AcceptsFrom.values:
            raise DetailValueError(f"{text!r} is not one of {', '.join(AcceptsFrom.values)}")
        return text
    if field == "accepts_to_months":
        if not text.isdigit() or int(text) > 216:
            raise DetailValueError(f"{text!r} is not a number of months from 0 to 216")
        return int(text)
    if field in ("languages", "referred_by"):
        items = [item.strip() for item in text.split(";") if item.strip()]
        if not items:
            raise DetailValueError("is empty (items are separated by ';')")
        return "\n".join(items) if field == "languages" else tuple(items)
    validators = {"website": URLValidator(schemes=["http", "https"]),
                  "contact_email": EmailValidator()}
    if field in validators:
        try:
            validators[field](text)
        except ValidationError as error:
            raise DetailValueError(f"{text!r} is not a valid {field}") from error
        return text
    if field == "contact_phone":
        if not _PHONE.fullmatch(text):
            raise DetailValueError(f"{text!r} is not a phone number")
        return text
    raise DetailValueError(f"unknown field {field!r}")


def detail_in_force(service: Service, detail: SourcedDetail, loaded_dates: set) -> bool:
    """Does the service still hold the sourced value, with the date a load wrote (or none)?
    `loaded_dates` are the checked-on dates the load gave the detail's group: a coordinator who
    re-checks a value and dates it has made it theirs. (`referred_by` words the professional
    referral, so it is in force when that is.)"""
    checked_field = CHECKED_ON_FIELD[detail.field]
    if getattr(service, checked_field) not in loaded_dates | {None}:
        return False
    if detail.field == "referred_by":
        return service.professional_referral is True
    return getattr(service, detail.field) == typed_value(detail.field, detail.value)


def loaded_dates(details) -> dict[str, set]:
    """Checked-on field -> the dates the load wrote for that group's details."""
    dates = defaultdict(set)
    for detail in details:
        dates[CHECKED_ON_FIELD[detail.field]].add(detail.checked_on)
    return dates


@dataclass(frozen=True)
class Citation:
    source: str
    when: str      # the source's date in words: "June 2019", "undated page"
    url: str

    def __str__(self) -> str:
        return f"({self.source}, {self.when})"


def citations(service: Service) -> dict[str, Citation]:
    """Field -> where the value the service holds comes from, for the sourced details still in
    force (a coordinator's own value has no citation). Prefetch `sourced_details` for lists."""
    if service.pk is None:  # not saved: nothing loaded for it
        return {}
    found = {}
    # Who refers is cited only with the sourced professional referral it words.
    details = sorted(service.sourced_details.all(), key=lambda d: d.field == "referred_by")
    dates = loaded_dates(details)
    for detail in details:
        if detail.field == "referred_by" and "professional_referral" not in found:
            continue
        if detail_in_force(service, detail, dates[CHECKED_ON_FIELD[detail.field]]):
            found[detail.field] = Citation(detail.source,
                                           parse_evidence_date(detail.checked_text).words,
                                           detail.source_url)
    return found


@dataclass(frozen=True)
class GroupSources:
    """Where a field group's values come from, for a page: "from Rare Jewels, June 2019"."""
    words: str     # "Rare Jewels, June 2019" (sources joined with "; " if several)


def detail_sources(service: Service) -> dict[str, GroupSources]:
    """Field group ("referral", "ages", "languages", "website", "contact_email",
    "contact_phone") -> the sources of the values in force, at each source's own precision."""
    groups = defaultdict(list)
    for field, citation in citations(service).items():
        group = CHECKED_ON_FIELD[field].removesuffix("_checked_on")
        if citation not in groups[group]:
            groups[group].append(citation)
    return {group: GroupSources("; ".join(f"{c.source}, {c.when}" for c in found))
            for group, found in groups.items()}


def _parse(path: Path) -> dict[str, list[dict]]:
    refs = set(Service.objects.exclude(register_ref=None).values_list("register_ref", flat=True))
    by_ref, seen = defaultdict(list), {}
    for line, row in read_rows(path, DETAILS_COLUMNS):
        def fail(column, message, line=line):
            raise RegisterError(path.name, line, column, message)

        if row["ref"] not in refs:
            fail("ref", f"{row['ref']!r} is not a service reference in the register")
        if row["field"] not in CHECKED_ON_FIELD:
            fail("field", f"{row['field']!r} is not one of {', '.join(CHECKED_ON_FIELD)}")
        key = (row["ref"], row["field"])
        if key in seen:
            fail("field", f"same service and field as row {seen[key]}")
        seen[key] = line
        try:
            typed = typed_value(row["field"], row["value"])
        except DetailValueError as error:
            fail("value", str(error))
        try:
            checked = parse_evidence_date(row["checked_on"])
        except EvidenceDateError as error:
            fail("checked_on", str(error))
        for column in ("source", "quote"):
            if not row[column]:
                fail(column, f"{column} is empty: every detail names its source and quote")
        if row["source_url"] and urlsplit(row["source_url"]).scheme not in ("http", "https"):
            fail("source_url", f"{row['source_url']!r} is not a web address")
        by_ref[row["ref"]].append(row | {"line": line, "typed": typed, "checked": checked})
    for ref, rows in by_ref.items():
        fields = {row["field"]: row for row in rows}
        professional = fields.get("professional_referral", {}).get("typed")
        if "referred_by" in fields and professional is not True:
            raise RegisterError(path.name, fields["referred_by"]["line"], "field",
                                f"referred_by needs a professional_referral 'yes' row for {ref}")
    return dict(by_ref)


def load_service_details(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Run inside load_register's transaction (after the register updates)."""
    by_ref = _parse(data_dir / DETAILS_FILE)
    changes, audit = new_changes(), []
    # Services whose details were all dropped from the file still need their old values undone.
    services = (Service.objects.filter(Q(register_ref__in=by_ref)
                                       | Q(sourced_details__isnull=False))
                .distinct().order_by("register_ref").prefetch_related("sourced_details"))
    for service in services:
        _sync(service, by_ref.get(service.register_ref, []), changes, audit)
    changes = dict(changes)
    if any(sum(c.values()) for c in changes.values()):
        log = ImportLog.objects.create(
            dataset=DATASET, source=DETAILS_SOURCE, reference_date=_newest(by_ref),
            files={DETAILS_FILE: {"rows": sum(map(len, by_ref.values()))}}, changes=changes)
        audit.append(recorder.event_for(log, Action.LOAD, note=import_summary(DATASET, changes)))
        recorder.record_many(None, audit)
    return changes


def _newest(by_ref: dict[str, list[dict]]) -> datetime.date | None:
    """The import's reference date: its newest dated source (the last day that date means)."""
    return max((row["checked"].end for rows in by_ref.values() for row in rows
                if row["checked"].end), default=None)


def _sync(service: Service, rows: list[dict], changes, audit: list) -> None:
    prior = {detail.field: detail for detail in service.sourced_details.all()}
    # The checked-on dates the previous load wrote: a coordinator's other date is kept.
    ours_before = loaded_dates(prior.values())
    fields: dict = {}
    for row in rows:
        field, typed = row["field"], row["typed"]
        before = prior.pop(field, None)
        if field in EMPTY:
            current, group = getattr(service, field), CHECKED_ON_FIELD[field]
            # Empty and undated by anyone else, or still what the last load wrote.
            ours = ((current == EMPTY[field]
                     and getattr(service, group) in ours_before[group] | {None})
                    or (before is not None
                        and detail_in_force(service, before, ours_before[group])))
            if ours and current != typed:
                fields[field] = typed
        _sync_detail(service, before, row, changes)
    for field, dropped in prior.items():
        if field in EMPTY and detail_in_force(service, dropped,
                                              ours_before[CHECKED_ON_FIELD[field]]):
            fields[field] = EMPTY[field]
        dropped.delete()
        changes["sourced_details"]["deleted"] += 1
    for field, value in fields.items():
        setattr(service, field, value)
    details = list(SourcedDetail.objects.filter(service=service))
    for checked_field in sorted(set(ours_before) | {CHECKED_ON_FIELD[r["field"]] for r in rows}):
        _set_checked_on(service, checked_field, details, ours_before[checked_field], fields)
    if changed := sorted(fields):
        service.save()
        changes["services"]["updated"] += 1
        audit.append(recorder.event_for(service, Action.LOAD, changed,
                                        note=f"updated from {DATASET}"))


def _set_checked_on(service: Service, checked_field: str, details: list[SourcedDetail],
                    ours_before: set, fields: dict) -> None:
    """The group's checked-on date is the newest dated source of its details still in force,
    written only over an empty date or one the previous load wrote."""
    current = getattr(service, checked_field)
    if current is not None and current not in ours_before:
        return
    # The values are set by now; their dates are the file's.
    dates = {d.checked_on for d in details}
    in_force = [d for d in details if CHECKED_ON_FIELD[d.field] == checked_field
                and detail_in_force(service, d, ours_before | dates)]
    wanted = max((d.checked_on for d in in_force if d.checked_on), default=None)
    if current != wanted and (in_force or current in ours_before):
        setattr(service, checked_field, wanted)
        fields[checked_field] = wanted


def _sync_detail(service: Service, detail: SourcedDetail | None, row: dict, changes) -> None:
    values = {"value": row["value"], "checked_text": row["checked_on"],
              "checked_on": row["checked"].start, "source": row["source"],
              "source_url": row["source_url"], "quote": row["quote"]}
    if detail is None:
        SourcedDetail.objects.create(service=service, field=row["field"], **values)
        changes["sourced_details"]["created"] += 1
    elif set_changed(detail, values):
        detail.save()
        changes["sourced_details"]["updated"] += 1
