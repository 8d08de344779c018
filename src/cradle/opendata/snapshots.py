"""Building a dated snapshot, and finding its files (ADR 0037).

A snapshot is written once: its files go to a fresh temporary directory beside the others,
which is renamed to `<CRADLE_OPENDATA_DIR>/<date>/` inside the transaction that records it (a
rename within one file system is atomic, so a reader sees all the files or none). An existing
directory or record is never written over. A build whose data version equals the newest
snapshot's makes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory.coverage import schemes_in_force
from cradle.directory.coverage_queries import data_version, population_year_for
from cradle.directory.models import StatusChange, TeamCountMilestone
from cradle.foi.models import ResponseRecord
from cradle.planning.queries import planning_version

from . import datapackage, parquet
from .models import Snapshot
from .tables import TABLES, Table

#: Changes when what a snapshot holds changes shape (a table or field added), so the next build
#: makes a new snapshot even if the data did not change.
FORMAT = "1"
PACKAGE_FILE = "datapackage.json"
MEDIATYPES = {"csv": "text/csv", "json": "application/json",
              "parquet": "application/vnd.apache.parquet"}


class SnapshotError(Exception):
    pass


def root() -> Path:
    return Path(settings.CRADLE_OPENDATA_DIR)


def directory(snapshot: Snapshot) -> Path:
    return root() / snapshot.on.isoformat()


def file_path(snapshot: Snapshot, name: str) -> Path | None:
    """The path of a file recorded in the snapshot; None for any other name (so no path
    from a request can reach anything else)."""
    if snapshot.file(name) is None:
        return None
    path = (directory(snapshot) / name).resolve()
    if path.parent != directory(snapshot).resolve() or not path.is_file():
        return None
    return path


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def snapshot_version(on: datetime.date, pooled_rows: list[tuple]) -> str:
    """Everything the tables read, as one digest: the register and reference data, staffing,
    published counts, checked FOI answers, the protected pooled figures (computed: their
    records change daily but the complete years' protected figures rarely), and what of the
    register's dates and schemes the date itself selects."""
    return _digest({
        "format": FORMAT,
        "register": data_version(),
        "planning": planning_version(),
        "milestones": list(TeamCountMilestone.objects.filter(on__lte=on)
                           .order_by("pk").values_list("pk", "on", "teams")),
        "foi": ResponseRecord.objects.review_version(),
        "pooled": _digest(pooled_rows),
        "status_changes_by_then": StatusChange.objects.filter(effective_from__lte=on).count(),
        "schemes": schemes_in_force(on),
        "population_year": population_year_for(on),
    })


@dataclass(frozen=True)
class Built:
    snapshot: Snapshot
    created: bool
    why: str  # "created", "exists" (a snapshot of that date) or "unchanged"


def _write_tables(target: Path, on: datetime.date, tables: tuple[Table, ...],
                  pooled_rows: list[tuple]) -> tuple[list[dict], list[dict]]:
    resources, files = [], []
    for table in tables:
        rows = pooled_rows if table.name == "pooled_summary" else table.rows(on)
        data = datapackage.table_csv(table.shape.header, rows)
        name = f"{table.name}.csv"
        (target / name).write_bytes(data)
        extra = {}
        if table.parquet and parquet.available():
            pq_name = f"{table.name}.parquet"
            pq_data = parquet.table_parquet(table.shape.fields, rows)
            (target / pq_name).write_bytes(pq_data)
            extra["alternates"] = [{"path": pq_name, "format": "parquet",
                                    "mediatype": MEDIATYPES["parquet"], "bytes": len(pq_data),
                                    "hash": f"sha256:{datapackage.sha256_hex(pq_data)}"}]
        resources.append(datapackage.resource(table.shape, name, data, extra=extra))
        files.append(_entry(name, table.shape.title, data))
        if extra:
            files.append(_entry(f"{table.name}.parquet", f"{table.shape.title} (Parquet)",
                                (target / f"{table.name}.parquet").read_bytes()))
    return resources, files


def _entry(name: str, title: str, data: bytes) -> dict:
    return {"name": name, "title": title, "bytes": len(data),
            "sha256": datapackage.sha256_hex(data),
            "mediatype": MEDIATYPES[name.rsplit(".", 1)[1]]}


def describe(on: datetime.date, resources: list[dict], version: str) -> dict:
    return datapackage.package(
        name=f"cradle-{on.isoformat()}",
        title=f"Cradle: parent-infant relationship teams and coverage, {on.day} {on:%B %Y}",
        description=(
            "Everything Cradle publishes on its public pages, on one date: the areas and their "
            "infant populations, the register of services, coverage of every area and nation, "
            "published national counts, checked FOI answers and the protected pooled outcomes. "
            "No case-level data and nothing behind a sign-in. A figure not known is empty, "
            "never 0. Geography and populations are Crown copyright under the Open Government "
            "Licence v3.0 (their resources say so); the register's facts come from the "
            "published sources each service's page names."),
        created=datetime.datetime.combine(on, datetime.time(0, 0), tzinfo=datetime.UTC),
        resources=resources, version=version[:16],
        sources=tuple(dict.fromkeys(s for table in TABLES for s in table.shape.sources)))


def build(on: datetime.date, *, by=None) -> Built:
    """The snapshot of `on`: made now, or the one already made (of that date, or the newest
    when nothing changed since it)."""
    if settings.CRADLE_DEMO:
        raise SnapshotError("CRADLE_DEMO=1: the pooled figures would be the synthetic teams'. "
                            "Snapshots publish real data only.")
    existing = Snapshot.objects.filter(on=on).first()
    if existing is not None:
        return Built(existing, False, "exists")
    pooled_table = next(table for table in TABLES if table.name == "pooled_summary")
    pooled_rows = pooled_table.rows(on)
    version = snapshot_version(on, pooled_rows)
    newest = Snapshot.objects.order_by("-on").first()
    if newest is not None and newest.data_version == version:
        return Built(newest, False, "unchanged")
    target = root() / on.isoformat()
    if target.exists():
        raise SnapshotError(f"{target} exists but no snapshot records it: move it away; it "
                            "is never written over.")
    root().mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".building-{on.isoformat()}-", dir=root()))
    try:
        resources, files = _write_tables(temporary, on, TABLES, pooled_rows)
        descriptor = describe(on, resources, version)
        package_data = datapackage.package_json(descriptor)
        (temporary / PACKAGE_FILE).write_bytes(package_data)
        files.insert(0, _entry(PACKAGE_FILE, "Data Package descriptor (Frictionless)",
                               package_data))
        problems = datapackage.validate(descriptor, {
            entry["name"]: (temporary / entry["name"]).read_bytes() for entry in files})
        if problems:
            raise SnapshotError("the snapshot does not validate: " + "; ".join(problems[:10]))
        temporary.chmod(0o755)
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                on=on, data_version=version, register_version=data_version(),
                created_at=timezone.now(), files=files)
            recorder.record(actor=by, action=Action.CREATE, model_label=Snapshot._meta.label_lower,
                            object_id=snapshot.pk, fields=("on", "data_version", "files"),
                            note="bulk download snapshot")
            temporary.rename(target)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)
    return Built(snapshot, True, "created")


def read_files(snapshot: Snapshot) -> dict[str, bytes]:
    """Every recorded file of the snapshot, by name (for checking)."""
    return {entry["name"]: file_path(snapshot, entry["name"]).read_bytes()
            for entry in snapshot.files}
