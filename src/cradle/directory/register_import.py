"""Load the shipped 2019 register and the published team-count milestones (and, through
register_updates.py, the register updates of 2020-2025).

Every row is checked before anything is written; a bad row is reported with its file, row and
column, and the database is left as it was. A second load changes nothing.

The audit log gets a "load" entry for each service created or updated (naming the fields that
changed), and one for the import as a whole (pointing at its ImportLog row, with the counts of
every table), because status changes, coverage and evidence rows are many and only make sense
as part of their service.
"""

import csv
import datetime
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.models import ImportLog
from cradle.geography.models import Area, LocalAuthorityOverlap
from cradle.geography.schemes import NATIONS

from . import vocabulary
from .definition import CRITERIA, EXCLUSIONS
from .models import (
    CriterionEvidence,
    Service,
    ServiceCoverage,
    Status,
    StatusChange,
    TeamCountMilestone,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTER_FILE = "register-2019.csv"
MILESTONES_FILE = "milestones.csv"
DATASET = "rare-jewels-register-2019"
REGISTER_SOURCE = "Rare Jewels (Parent Infant Partnership UK, June 2019), sections 7 and 9"
# The register gives no opening dates: it is a snapshot of what operated when the report was
# researched.
SNAPSHOT_DATE = datetime.date(2019, 1, 1)
HEALTH_SCHEME_BY_NATION = {"England": "ccg2019", "Wales": "lhb", "Scotland": "hb",
                           "Northern Ireland": "nitrust"}
REGISTER_COLUMNS = ("ref", "name", "locality", "nation", "kind", "health_areas",
                    "local_authorities", "status", "report_note")
STATUS_FROM_REGISTER = {"operating": Status.OPERATING, "in_development": Status.PLANNED}


class RegisterError(ValueError):
    def __init__(self, file: str, row: int, column: str | None, message: str):
        where = f"{file}, row {row}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {message}")


def _evidence_for_kind(kind: str) -> dict[str, tuple[bool, str]]:
    """What the report's classification of a service tells us about each criterion."""
    if kind == "team":
        text = "Rare Jewels lists it as a specialised parent-infant relationship team."
        return ({c.key: (True, text) for c in CRITERIA}
                | {e.key: (False, text) for e in EXCLUSIONS})
    if kind == "camhs_specialists":
        return {"practitioners_within_wider_remit_team": (
            True, "Rare Jewels lists it as parent-infant specialists within CAMHS, "
                  "not as a team.")}
    if kind == "child_protection_focus":
        return {"narrow_group_only": (
            True, "Rare Jewels lists it as working only with babies in the care system or "
                  "child protection.")}
    return {}


def read_rows(path: Path, columns: tuple[str, ...]):
    if not path.exists():
        raise RegisterError(path.name, 0, None, "file is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise RegisterError(path.name, 1, None, f"header must be {','.join(columns)}")
        for row in reader:
            if None in row or None in row.values():
                raise RegisterError(path.name, reader.line_num, None, "wrong number of fields")
            yield reader.line_num, {k: v.strip() for k, v in row.items()}


def _parse_register(path: Path) -> list[dict]:
    areas = {(a.scheme, a.code): a for a in Area.objects.filter(
        scheme__in=[*HEALTH_SCHEME_BY_NATION.values(), "la", "county"])}
    by_ods = {("ccg2019", a.ods_code): a for a in areas.values() if a.scheme == "ccg2019"}
    kinds = dict(vocabulary.SERVICE_KINDS)
    rows, refs = [], set()
    for line, row in read_rows(path, REGISTER_COLUMNS):
        def fail(column, message, line=line):
            raise RegisterError(path.name, line, column, message)

        if not row["ref"] or row["ref"] in refs:
            fail("ref", f"{row['ref']!r} is empty or repeated")
        refs.add(row["ref"])
        if not row["name"]:
            fail("name", "name is empty")
        if row["nation"] not in NATIONS:
            fail("nation", f"{row['nation']!r} is not one of {', '.join(NATIONS)}")
        if row["kind"] not in kinds:
            fail("kind", f"{row['kind']!r} is not one of {', '.join(kinds)}")
        if row["status"] not in STATUS_FROM_REGISTER:
            fail("status", f"{row['status']!r} is not one of {', '.join(STATUS_FROM_REGISTER)}")
        scheme = HEALTH_SCHEME_BY_NATION[row["nation"]]
        health_areas = []
        for code in filter(None, row["health_areas"].split(";")):
            area = (by_ods if scheme == "ccg2019" else areas).get((scheme, code.strip()))
            if area is None:
                fail("health_areas", f"no {scheme} area with code {code!r}")
            health_areas.append(area)
        local_authorities = []
        for code in filter(None, row["local_authorities"].split(";")):
            area = areas.get(("la", code.strip())) or areas.get(("county", code.strip()))
            if area is None:
                fail("local_authorities", f"no local authority with code {code!r}")
            local_authorities.append(area)
        rows.append(row | {"line": line, "health_area_objects": health_areas,
                           "la_objects": local_authorities})
    return rows


def coverage_for(row: dict) -> dict[int, tuple[bool, str]]:
    """Area id -> (partial, note). A health area is partial when only some of its local
    authorities are named (a town's team inside a larger CCG)."""
    named = set()
    for la in row["la_objects"]:
        named.add(la.id)
        named.update(la.children.values_list("id", flat=True))
    coverage = {la.id: (False, "") for la in row["la_objects"]}
    for area in row["health_area_objects"]:
        area_las = set(LocalAuthorityOverlap.objects.filter(area=area)
                       .values_list("local_authority_id", flat=True))
        partial = bool(named) and not area_las <= named
        coverage[area.id] = (partial, "Only the named locality" if partial else "")
    return coverage


def new_changes():
    """Counts of rows created, updated and deleted, by table."""
    return defaultdict(lambda: {"created": 0, "updated": 0, "deleted": 0})


@transaction.atomic
def load_register(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """The 2019 register and milestones, then the register updates of 2020-2025 (whose rows
    link to the 2019 services), then the sourced service details (which name services of
    both), in one transaction: a bad row in any of them loads nothing."""
    # Imported here: register_updates and service_details build on this module's helpers.
    from .register_updates import load_register_updates
    from .service_details import load_service_details

    changes = _load_2019(data_dir)
    for later in (load_register_updates, load_service_details):
        for table, counts in later(data_dir=data_dir).items():
            for what, n in counts.items():
                changes.setdefault(table, {"created": 0, "updated": 0, "deleted": 0})[what] += n
    return changes


def _load_2019(data_dir: Path) -> dict[str, dict[str, int]]:
    rows = _parse_register(data_dir / REGISTER_FILE)
    milestones = list(read_rows(data_dir / MILESTONES_FILE, (
        "on", "teams", "in_development", "publication", "publisher", "url", "note")))
    changes = new_changes()
    audit = []
    for row in rows:
        _sync_service(row, changes, audit)
    for line, row in milestones:
        _sync_milestone(line, row, changes)
    changes = dict(changes)
    if any(sum(c.values()) for c in changes.values()):
        log = ImportLog.objects.create(
            dataset=DATASET, source=REGISTER_SOURCE, reference_date=datetime.date(2019, 6, 1),
            files={REGISTER_FILE: {"rows": len(rows)}, MILESTONES_FILE: {"rows": len(milestones)}},
            changes=changes)
        audit.append(recorder.event_for(log, Action.LOAD, note=import_summary(DATASET, changes)))
        recorder.record_many(None, audit)
    return changes


def import_summary(dataset: str, changes: dict[str, dict[str, int]]) -> str:
    counts = "; ".join(
        f"{table}: " + ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        for table, counts in sorted(changes.items()) if any(counts.values()))
    return f"{dataset} loaded. {counts}"


def set_changed(obj, fields: dict) -> list[str]:
    """Set the fields that differ; their names (empty, so false, when none did)."""
    different = {k: v for k, v in fields.items() if getattr(obj, k) != v}
    for key, value in different.items():
        setattr(obj, key, value)
    return sorted(different)


def sync_service(ref: str, fields: dict, dataset: str, changes, audit: list) -> Service:
    """Create the service with this register reference, or set the fields that differ; the
    audit gets a "load" event naming the fields (never their values)."""
    service = Service.objects.filter(register_ref=ref).first()
    if service is None:
        service = Service.objects.create(register_ref=ref, **fields)
        changes["services"]["created"] += 1
        audit.append(recorder.event_for(service, Action.LOAD, ["register_ref", *fields],
                                        note=f"created from {dataset}"))
    elif changed := set_changed(service, fields):
        service.save()
        changes["services"]["updated"] += 1
        audit.append(recorder.event_for(service, Action.LOAD, changed,
                                        note=f"updated from {dataset}"))
    return service


def _sync_service(row: dict, changes, audit: list) -> None:
    fields = {"name": row["name"], "kind": row["kind"], "nation": row["nation"],
              "locality": row["locality"], "source_note": row["report_note"]}
    service = sync_service(row["ref"], fields, DATASET, changes, audit)

    status = STATUS_FROM_REGISTER[row["status"]]
    change = service.status_changes.filter(effective_from=SNAPSHOT_DATE).first()
    if change is None:
        StatusChange.objects.create(service=service, status=status, effective_from=SNAPSHOT_DATE,
                                    source=REGISTER_SOURCE)
        changes["status_changes"]["created"] += 1
    elif set_changed(change, {"status": status, "source": REGISTER_SOURCE}):
        change.save()
        changes["status_changes"]["updated"] += 1

    sync_coverage(service, coverage_for(row), changes)

    for criterion, (answer, text) in _evidence_for_kind(row["kind"]).items():
        evidence = service.evidence.filter(criterion=criterion).first()
        fields = {"answer": answer, "evidence": text, "source": REGISTER_SOURCE}
        if evidence is None:
            CriterionEvidence.objects.create(service=service, criterion=criterion,
                                             recorded_on=datetime.date(2019, 6, 1), **fields)
            changes["evidence"]["created"] += 1
        elif evidence.source == REGISTER_SOURCE and set_changed(evidence, fields):
            # Evidence recorded since, from another source, is never overwritten.
            evidence.save()
            changes["evidence"]["updated"] += 1


def sync_coverage(service: Service, desired: dict[int, tuple[bool, str]], changes) -> None:
    """Make the service's coverage exactly `desired` (area id -> (partial, note))."""
    desired = dict(desired)
    for coverage in service.coverage.all():
        if coverage.area_id not in desired:
            coverage.delete()
            changes["coverage"]["deleted"] += 1
        else:
            partial, note = desired.pop(coverage.area_id)
            if set_changed(coverage, {"partial": partial, "note": note}):
                coverage.save()
                changes["coverage"]["updated"] += 1
    for area_id, (partial, note) in desired.items():
        ServiceCoverage.objects.create(service=service, area_id=area_id, partial=partial,
                                       note=note)
        changes["coverage"]["created"] += 1


def _sync_milestone(line: int, row: dict, changes) -> None:
    try:
        fields = {
            "teams": int(row["teams"]),
            "in_development": int(row["in_development"]) if row["in_development"] else None,
            "publisher": row["publisher"], "url": row["url"], "note": row["note"],
        }
        on = datetime.date.fromisoformat(row["on"])
    except ValueError as error:
        raise RegisterError(MILESTONES_FILE, line, None, str(error)) from error
    milestone, created = TeamCountMilestone.objects.get_or_create(
        on=on, publication=row["publication"], defaults=fields)
    if created:
        changes["milestones"]["created"] += 1
    elif set_changed(milestone, fields):
        milestone.save()
        changes["milestones"]["updated"] += 1
