"""Writes to today's FOI bodies: the load from the public sources, FOI addresses, CAMHS
records and the areas a trust serves. Each runs in one transaction with its audit entries (field names only)."""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.geography.models import Area

from .actions import FoiActionError
from .area_analysis import TODAYS_SCHEMES
from .models import Body, BodyKind, BodyType, CamhsProvision, TrustAreasRecord
from .todays_bodies import BodiesSourceError, BodyRow, read_todays_bodies

# The fields the load owns; the FOI address, its source and date, and CAMHS records are the
# coordinators', so a load never overwrites them.
LOADED_FIELDS = ("kind", "name", "nation", "code_system", "in_force_from", "in_force_to",
                 "postal_address", "source", "wdtk_url_name")


def _areas_by_key() -> dict[tuple[str, str], Area]:
    areas = {}
    for area in Area.objects.health_areas():
        areas[(area.scheme, area.code)] = area
        if area.ods_code:
            areas[(area.scheme, area.ods_code)] = area
    return areas


def _resolve_areas(rows: list[BodyRow]) -> dict[tuple[str, str], list[Area]]:
    known, errors, found = _areas_by_key(), [], {}
    for row in rows:
        missing = [key for key in row.areas if key not in known]
        if missing:
            errors.append(f"{row.source}: {row.body_type} {row.code} names area(s) not in the "
                          f"database: {', '.join(':'.join(key) for key in missing)} (run "
                          "`cradle data load` first)")
        found[(row.body_type, row.code)] = [known[key] for key in row.areas if key in known]
    if errors:
        raise BodiesSourceError(errors)
    return found


def _existing(row: BodyRow) -> Body | None:
    body = Body.objects.filter(body_type=row.body_type, ods_code=row.code).first()
    if body is None and row.body_type == BodyType.NHS_TRUST:
        # A trust imported by hand before (a providers file) becomes the loaded trust.
        body = Body.objects.filter(body_type="", kind=BodyKind.PROVIDER,
                                   ods_code=row.code).first()
    return body


@transaction.atomic
def load_todays_bodies(*, source_dir: Path, by: str | None = None) -> dict:
    """Create or update every body of today's sources; a second load changes nothing and
    writes no audit entry. The files are read and checked whole before anything is written."""
    parsed = read_todays_bodies(source_dir)
    areas = _resolve_areas(parsed.bodies)
    counts, audit = {"created": 0, "updated": 0, "unchanged": 0}, []
    for row in parsed.bodies:
        wanted = {"kind": row.kind, "name": row.name, "nation": row.nation,
                  "code_system": row.code_system, "in_force_from": row.in_force_from,
                  "in_force_to": row.in_force_to, "postal_address": row.postal_address,
                  "source": row.source, "wdtk_url_name": row.wdtk_url_name}
        body_areas = areas[(row.body_type, row.code)]
        body = _existing(row)
        if body is None:
            body = Body.objects.create(body_type=row.body_type, ods_code=row.code, **wanted)
            body.areas.set(body_areas)
            audit.append(recorder.event_for(body, Action.CREATE,
                                            ("body_type", "ods_code", *LOADED_FIELDS, "areas")))
            counts["created"] += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(body, name) != value]
        if body.body_type != row.body_type:
            changed.append("body_type")
        for name, value in wanted.items():
            setattr(body, name, value)
        body.body_type = row.body_type
        if changed:
            body.save(update_fields=changed)
        # A trust's areas are a default (its ICB): once it has areas they are left alone, and
        # areas a coordinator recorded (TrustAreasRecord) are never touched.
        kept = row.areas_are_default and (body.areas.exists() or body.area_records.exists())
        if not kept and (
                set(body.areas.values_list("pk", flat=True)) != {a.pk for a in body_areas}):
            body.areas.set(body_areas)
            changed.append("areas")
        if changed:
            audit.append(recorder.event_for(body, Action.CHANGE, changed,
                                            note="loaded from today's sources"))
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    recorder.record_many(by, audit)
    return counts | {"warnings": parsed.warnings}


def check_foi_address(email: str, source: str, checked_on: datetime.date | None) -> list[str]:
    """What is wrong with an FOI address as entered (plain checks, also used by the form)."""
    problems = []
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append("Enter the FOI address in the correct format, like "
                            "foi@trust.nhs.uk")
        if not source.strip():
            problems.append("Say where the FOI address comes from (a web page, a letter)")
        if checked_on is None:
            problems.append("Enter the date the FOI address was checked")
    if checked_on and checked_on > datetime.date.today() + datetime.timedelta(days=1):
        problems.append("The date checked cannot be in the future")
    return problems


@transaction.atomic
def change_foi_address(*, body: Body, email: str, source: str,
                       checked_on: datetime.date | None, by: str) -> Body:
    email, source = email.strip(), source.strip()
    problems = check_foi_address(email, source, checked_on)
    if problems:
        raise FoiActionError("; ".join(problems))
    body = Body.objects.select_for_update().get(pk=body.pk)
    wanted = {"email": email, "email_source": source if email else "",
              "email_checked_on": checked_on if email else None}
    changed = [name for name, value in wanted.items() if getattr(body, name) != value]
    if changed:
        for name, value in wanted.items():
            setattr(body, name, value)
        body.save(update_fields=changed)
        recorder.record_changes(by, body, changed, Action.CHANGE, note="FOI address")
    return body


@transaction.atomic
def record_camhs_provision(*, body: Body, provides_camhs: bool, source_text: str,
                           source_url: str, stated_on: datetime.date, by: str) -> CamhsProvision:
    """A new dated record of whether the body provides CAMHS; earlier ones stay as history."""
    if not source_text.strip():
        raise FoiActionError("Say who said so, and where")
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            raise FoiActionError("Enter the source's web address, starting https://") from None
    if stated_on > datetime.date.today() + datetime.timedelta(days=1):
        raise FoiActionError("The date the source said so cannot be in the future")
    record = CamhsProvision.objects.create(
        body=body, provides_camhs=provides_camhs, source_text=source_text.strip(),
        source_url=source_url.strip(), stated_on=stated_on, recorded_by=by)
    recorder.record_changes(by, record, ("body", "provides_camhs", "source_text", "source_url",
                                         "stated_on", "recorded_by"), Action.CREATE)
    return record


@transaction.atomic
def record_trust_areas(*, body: Body, areas, source_text: str, by: str) -> TrustAreasRecord:
    """Record the areas a trust serves (today's ICBs and/or sub-ICB locations), who said so and
    where; the record is kept as history and its areas become the trust's areas."""
    if body.kind != BodyKind.PROVIDER:
        raise FoiActionError("Only a trust's served areas can be recorded")
    areas = list(areas)
    if not areas:
        raise FoiActionError("Choose at least one ICB or sub-ICB location the trust serves")
    wrong = [area for area in areas if area.scheme not in TODAYS_SCHEMES]
    if wrong:
        raise FoiActionError("Choose today's ICBs and sub-ICB locations only, not "
                             + ", ".join(str(area) for area in wrong))
    if not source_text.strip():
        raise FoiActionError("Say who said the trust serves these areas, and where")
    body = Body.objects.select_for_update().get(pk=body.pk)
    record = TrustAreasRecord.objects.create(body=body, source_text=source_text.strip(),
                                             recorded_by=by)
    record.areas.set(areas)
    events = [recorder.event_for(record, Action.CREATE,
                                 ("body", "areas", "source_text", "recorded_by"))]
    if set(body.areas.values_list("pk", flat=True)) != {area.pk for area in areas}:
        body.areas.set(areas)
        events.append(recorder.event_for(body, Action.CHANGE, ("areas",),
                                         note="served areas recorded"))
    recorder.record_many(by, events)
    return record
