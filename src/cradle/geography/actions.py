"""Writes to geography tables. Each action runs in one transaction and records what it did."""

import datetime
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from django.db import models, transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.models import ImportLog

from .models import Area, AreaSuccession, ChildPopulation, LocalAuthorityOverlap, Population
from .reference_files import DATA_DIR, DATASET, read_reference_data

SOURCE_DESCRIPTION = (
    "Health commissioning areas, local authorities and infant population of the four UK "
    "nations, built by `cradle data build` from ONS, NHS, Scottish Government and NI "
    "Department of Health open data (see PROVENANCE.md)."
)
POPULATION_REFERENCE_DATE = datetime.date(2020, 6, 30)


def _sync(
    model: type[models.Model],
    desired: dict[Hashable, dict[str, Any]],
    existing: list[models.Model],
    key_of: Callable[[Any], Hashable],
    delete_stale: bool = True,
) -> tuple[dict[str, int], list[int]]:
    """Make the table hold exactly `desired`, touching only rows that differ."""
    current = {key_of(obj): obj for obj in existing}
    to_create = [model(**fields) for key, fields in desired.items() if key not in current]
    to_update = []
    for key, fields in desired.items():
        obj = current.get(key)
        if obj is not None and any(getattr(obj, f) != v for f, v in fields.items()):
            for field, value in fields.items():
                setattr(obj, field, value)
            to_update.append(obj)
    stale = [obj.pk for key, obj in current.items() if key not in desired]
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        field_names = sorted({f for fields in desired.values() for f in fields})
        model.objects.bulk_update(to_update, fields=field_names, batch_size=200)
    if delete_stale and stale:
        model.objects.filter(pk__in=stale).delete()
    counts = {"created": len(to_create), "updated": len(to_update), "deleted": len(stale)}
    return counts, stale


@transaction.atomic
def load_reference_geography(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Load the shipped areas, populations and lookups; a second run changes nothing.

    The files are read and validated in full before anything is written, so a malformed
    file leaves the database as it was.
    """
    data = read_reference_data(data_dir)
    changes: dict[str, dict[str, int]] = {}

    desired_areas = {
        (row["scheme"], row["code"]): {
            "scheme": row["scheme"], "code": row["code"], "ods_code": row["ods_code"],
            "name": row["name"], "nation": row["nation"], "note": row["note"],
            "derived": row["derived"],
            "boundary": data.boundaries.get((row["scheme"], row["code"])),
        }
        for row in data.areas
    }
    changes["areas"], stale_areas = _sync(
        Area, desired_areas, list(Area.objects.all()), lambda a: (a.scheme, a.code),
        delete_stale=False)
    area_ids = {(scheme, code): pk
                for scheme, code, pk in Area.objects.values_list("scheme", "code", "id")}

    parents = {
        (row["scheme"], row["code"]): {
            "parent_id": area_ids.get((row["parent_scheme"], row["parent_code"]))}
        for row in data.areas
    }
    parent_changes, _ = _sync(
        Area, parents, list(Area.objects.exclude(pk__in=stale_areas)),
        lambda a: (a.scheme, a.code), delete_stale=False)
    changes["area_parents"] = parent_changes

    changes["populations"], _ = _sync(
        Population,
        {(area_ids[(r["scheme"], r["code"])], r["year"], r["age"]): {
            "area_id": area_ids[(r["scheme"], r["code"])], "year": r["year"], "age": r["age"],
            "count": r["count"], "method": r["method"]} for r in data.populations},
        list(Population.objects.all()), lambda p: (p.area_id, p.year, p.age))
    changes["child_populations"], _ = _sync(
        ChildPopulation,
        {(area_ids[(r["scheme"], r["code"])], r["year"]): {
            "area_id": area_ids[(r["scheme"], r["code"])], "year": r["year"],
            "count": r["count"], "method": r["method"]} for r in data.child_populations},
        list(ChildPopulation.objects.all()), lambda p: (p.area_id, p.year))
    changes["la_overlaps"], _ = _sync(
        LocalAuthorityOverlap,
        {(area_ids[(r["scheme"], r["area_code"])], area_ids[("la", r["la_code"])]): {
            "area_id": area_ids[(r["scheme"], r["area_code"])],
            "local_authority_id": area_ids[("la", r["la_code"])],
            "share_0_2": r["share_0_2"]} for r in data.overlaps},
        list(LocalAuthorityOverlap.objects.all()), lambda o: (o.area_id, o.local_authority_id))
    changes["successions"], _ = _sync(
        AreaSuccession,
        {(area_ids[(r["from_scheme"], r["from_code"])], area_ids[(r["to_scheme"], r["to_code"])]): {
            "predecessor_id": area_ids[(r["from_scheme"], r["from_code"])],
            "successor_id": area_ids[(r["to_scheme"], r["to_code"])],
            "boundary_changed": r["boundary_changed"], "basis": r["basis"]}
         for r in data.successions},
        list(AreaSuccession.objects.all()), lambda s: (s.predecessor_id, s.successor_id))
    if stale_areas:
        Area.objects.filter(pk__in=stale_areas).update(parent=None)
        Area.objects.filter(pk__in=stale_areas).delete()
        changes["areas"]["deleted"] = len(stale_areas)

    if any(sum(counts.values()) for counts in changes.values()):
        log = ImportLog.objects.create(
            dataset=DATASET, source=SOURCE_DESCRIPTION,
            reference_date=POPULATION_REFERENCE_DATE,
            files=data.manifest.get("files", {}), changes=changes)
        # One audit entry for the whole load (thousands of rows): the ImportLog row it points
        # at has the files and their checksums; the note has the counts per table.
        counts = "; ".join(
            f"{table}: " + ", ".join(f"{n} {what}" for what, n in table_counts.items() if n)
            for table, table_counts in sorted(changes.items()) if any(table_counts.values()))
        recorder.record_changes(None, log, (), Action.LOAD, note=f"{DATASET} loaded. {counts}")
    return changes
