"""Load the register updates of 2020-2025: sourced claims about services, not confirmed facts.

Each row of `register-updates-2020-2025.csv` says what public sources showed of one service
(status, evidence date, how well it meets the definition). It becomes a RegisterClaim; a row
with a `ref_2019` belongs to that 2019 service, any other is a new service with a reference
derived from its name (see `new_ref`). The 2019 facts are never overwritten: a claimed change
of status is a new, dated StatusChange naming its source, and criterion evidence is only added
where none is recorded (see `EVIDENCE_FOR_STRENGTH`).

Like the 2019 load: every row is checked before anything is written, a bad row is reported
with its file, row and column, a second load changes nothing, and the audit log gets a "load"
entry per service created or updated plus one for the import (its ImportLog row).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.models import ImportLog
from cradle.geography.lad2023 import april_2020_parts
from cradle.geography.models import Area
from cradle.geography.schemes import NATIONS

from .definition import CRITERIA, EXCLUSIONS
from .evidence_dates import EvidenceDateError, parse_evidence_date
from .models import (
    CriterionEvidence,
    RegisterClaim,
    Service,
    ServiceKind,
    Status,
    StatusChange,
    Strength,
)
from .register_import import (
    DATA_DIR,
    RegisterError,
    coverage_for,
    import_summary,
    new_changes,
    read_rows,
    set_changed,
    sync_coverage,
    sync_service,
)

UPDATES_FILE = "register-updates-2020-2025.csv"
DATASET = "register-updates-2020-2025"
UPDATES_SOURCE = ("Register updates 2020-2025: public sources read for Cradle "
                  "(register-updates-2020-2025.NOTES.md)")
# The update's newest evidence is of January 2026: it speaks for no later date. An undated
# page (used only where plainly written after 2019) is taken to show its status by then.
UPDATES_AS_OF = datetime.date(2026, 1, 31)
UPDATES_COLUMNS = ("ref_2019", "name", "locality", "nation", "local_authorities",
                   "health_areas", "host", "started", "status", "status_evidence_date",
                   "meets_definition", "source_urls", "notes")
STATUS_FROM_UPDATES = {"operating": Status.OPERATING, "in development": Status.PLANNED,
                       "closed": Status.CLOSED}
STRENGTH_FROM_UPDATES = {"yes": Strength.YES, "likely": Strength.LIKELY,
                         "partial": Strength.PARTIAL, "no": Strength.NO,
                         "unknown": Strength.UNKNOWN, "yes (per 2019 report)": Strength.YES_PER_2019,
                         "n/a": Strength.NOT_APPLICABLE}
# England's health areas here are 2023 ICBs (CCGs were abolished in July 2022).
HEALTH_SCHEME_BY_NATION = {"England": "icb2023", "Wales": "lhb", "Scotland": "hb",
                           "Northern Ireland": "nitrust"}
# A new service the sources describe as a team (yes or likely) is listed as one, as Rare Jewels
# listed its teams; the classifier still says whether the definition is shown to be met.
KIND_FOR_NEW_SERVICE = {Strength.YES: ServiceKind.TEAM, Strength.LIKELY: ServiceKind.TEAM}


def _all_met(text: str) -> dict[str, tuple[bool, str]]:
    return {c.key: (True, text) for c in CRITERIA} | {e.key: (False, text) for e in EXCLUSIONS}


# What each strength tells the classifier (definition.py), as criterion evidence. "likely",
# "partial" and "unknown" say that not every element is shown but not which one fails, so they
# record nothing and the verdict is "not enough information"; "yes (per 2019 report)" rests on
# the evidence the 2019 load recorded.
EVIDENCE_FOR_STRENGTH = {
    Strength.YES: _all_met(
        "The source describes a multidisciplinary team with a psychologist or psychotherapist, "
        "working with babies and parents, doing both clinical work and training or "
        "consultation."),
    Strength.NO: {"practitioners_within_wider_remit_team": (
        True, "The source describes a weaker service (health-visitor-led work, a pathway or a "
              "short intervention inside a wider service), not a team of its own.")},
}


def new_ref(name: str) -> str:
    """The reference of a service first named by the updates: "U" and six hex digits of a hash
    of its name (letters and digits only, case folded). The same name always gets the same
    reference whatever the row order, and "U" is no 2019 prefix (T, D, C, P)."""
    key = re.sub(r"[^0-9a-z]", "", name.casefold())
    return "U" + hashlib.sha256(key.encode()).hexdigest()[:6].upper()


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(";") if code.strip()]


def _urls(text: str) -> list[str]:
    return [url.strip() for url in text.split(" ; ") if url.strip()]


def _parse(path: Path) -> list[dict]:
    areas = {(a.scheme, a.code): a for a in Area.objects.filter(
        scheme__in=[*HEALTH_SCHEME_BY_NATION.values(), "la", "county"])}
    refs_2019 = dict(Service.objects.exclude(register_ref=None).values_list("register_ref", "pk"))
    rows, seen = [], {}
    for line, row in read_rows(path, UPDATES_COLUMNS):
        def fail(column, message, line=line):
            raise RegisterError(path.name, line, column, message)

        if not row["name"]:
            fail("name", "name is empty")
        ref = row["ref_2019"]
        if ref and ref not in refs_2019:
            fail("ref_2019", f"{ref!r} is not a reference in the 2019 register")
        ref = ref or new_ref(row["name"])
        if ref in seen:
            fail("ref_2019" if row["ref_2019"] else "name",
                 f"same service as row {seen[ref]} (reference {ref})")
        seen[ref] = line
        if row["nation"] not in NATIONS:
            fail("nation", f"{row['nation']!r} is not one of {', '.join(NATIONS)}")
        if row["status"] not in STATUS_FROM_UPDATES:
            fail("status", f"{row['status']!r} is not one of {', '.join(STATUS_FROM_UPDATES)}")
        if row["meets_definition"] not in STRENGTH_FROM_UPDATES:
            fail("meets_definition", f"{row['meets_definition']!r} is not one of "
                                     f"{', '.join(STRENGTH_FROM_UPDATES)}")
        try:
            evidence_date = parse_evidence_date(row["status_evidence_date"])
        except EvidenceDateError as error:
            fail("status_evidence_date", str(error))
        for url in _urls(row["source_urls"]):
            if urlsplit(url).scheme not in ("http", "https") or " " in url:
                fail("source_urls", f"{url!r} is not a web address")
        scheme = HEALTH_SCHEME_BY_NATION[row["nation"]]
        health_areas = []
        for code in _codes(row["health_areas"]):
            if (scheme, code) not in areas:
                fail("health_areas", f"no {scheme} area with code {code!r}")
            health_areas.append(areas[(scheme, code)])
        local_authorities = []
        for code in _codes(row["local_authorities"]):
            # Authorities made since April 2020 are exact unions of April 2020 ones.
            for part in april_2020_parts(code):
                area = areas.get(("la", part)) or areas.get(("county", part))
                if area is None:
                    fail("local_authorities", f"no local authority with code {code!r}")
                local_authorities.append(area)
        rows.append(row | {
            "line": line, "ref": ref, "existing_pk": refs_2019.get(row["ref_2019"]),
            "evidence_date": evidence_date, "health_area_objects": health_areas,
            "la_objects": local_authorities,
            "claimed_status": STATUS_FROM_UPDATES[row["status"]],
            "strength": STRENGTH_FROM_UPDATES[row["meets_definition"]],
        })
    return rows


def load_register_updates(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Run inside load_register's transaction (after the 2019 services exist)."""
    rows = _parse(data_dir / UPDATES_FILE)
    changes, audit = new_changes(), []
    for row in rows:
        _sync(row, changes, audit)
    changes = dict(changes)
    if any(sum(c.values()) for c in changes.values()):
        log = ImportLog.objects.create(
            dataset=DATASET, source=UPDATES_SOURCE, reference_date=UPDATES_AS_OF,
            files={UPDATES_FILE: {"rows": len(rows)}}, changes=changes)
        audit.append(recorder.event_for(log, Action.LOAD, note=import_summary(DATASET, changes)))
        recorder.record_many(None, audit)
    return changes


def source_words(row: dict) -> str:
    """A claim's source in a few words, for status changes and evidence (at most 300)."""
    hosts = []
    for url in _urls(row["source_urls"]):
        host = urlsplit(url).netloc.lower().removeprefix("www.")
        if host not in hosts:
            hosts.append(host)
    named = ", ".join(hosts) or "no page named"
    # No row number: the rows may be reordered without changing what they say.
    return f"{DATASET}: {named} ({row['evidence_date'].words})"[:300]


def _sync(row: dict, changes, audit: list) -> None:
    if row["existing_pk"] is not None:
        service = Service.objects.get(pk=row["existing_pk"])
        names = [n.strip() for n in service.other_names.splitlines() if n.strip()]
        fields = {}
        if row["name"] != service.name and row["name"] not in names:
            fields["other_names"] = "\n".join([*names, row["name"]])
        if set_changed(service, fields):
            service.save()
            changes["services"]["updated"] += 1
            audit.append(recorder.event_for(service, Action.LOAD, sorted(fields),
                                            note=f"updated from {DATASET}"))
    else:
        service = _sync_new_service(row, changes, audit)
    _sync_claim(service, row, changes)
    _sync_status(service, row, changes)
    _sync_evidence(service, row, changes)


def _sync_new_service(row: dict, changes, audit: list) -> Service:
    fields = {"name": row["name"], "nation": row["nation"], "locality": row["locality"],
              "kind": KIND_FOR_NEW_SERVICE.get(row["strength"], ServiceKind.OTHER),
              "source_note": row["notes"]}
    service = sync_service(row["ref"], fields, DATASET, changes, audit)
    # The update's areas are the only coverage recorded for a service new to it.
    sync_coverage(service, coverage_for(row), changes)
    return service


def _sync_claim(service: Service, row: dict, changes) -> None:
    when = row["evidence_date"]
    fields = {
        "name_given": row["name"], "locality": row["locality"], "host": row["host"],
        "started": row["started"], "claimed_status": row["claimed_status"],
        "evidence_date_text": when.text, "evidence_precision": when.precision,
        "evidence_from": when.start, "evidence_to": when.end, "strength": row["strength"],
        "source_urls": "\n".join(_urls(row["source_urls"])),
        "local_authorities": "\n".join(_codes(row["local_authorities"])),
        "health_areas": "\n".join(_codes(row["health_areas"])), "notes": row["notes"],
    }
    claim = RegisterClaim.objects.filter(service=service, dataset=DATASET).first()
    if claim is None:
        RegisterClaim.objects.create(service=service, dataset=DATASET, **fields)
        changes["claims"]["created"] += 1
    elif set_changed(claim, fields):
        claim.save()
        changes["claims"]["updated"] += 1


def _sync_status(service: Service, row: dict, changes) -> None:
    """A claim is a status change only where it differs from what was recorded before it
    (from other sources): dated at the end of its evidence date, by when it was shown."""
    on = row["evidence_date"].end or UPDATES_AS_OF
    ours = service.status_changes.filter(source__startswith=f"{DATASET}:")
    before = (service.status_changes.exclude(pk__in=ours.values("pk"))
              .filter(effective_from__lte=on).order_by("-effective_from", "-id").first())
    wanted = before is None or before.status != row["claimed_status"]
    fields = {"status": row["claimed_status"], "effective_from": on,
              "source": source_words(row)}
    kept = None
    for change in ours:
        if wanted and kept is None:
            kept = change
            if set_changed(change, fields):
                change.save()
                changes["status_changes"]["updated"] += 1
        else:
            change.delete()
            changes["status_changes"]["deleted"] += 1
    if wanted and kept is None:
        StatusChange.objects.create(service=service, **fields)
        changes["status_changes"]["created"] += 1


def _sync_evidence(service: Service, row: dict, changes) -> None:
    """Add what the strength says; evidence already recorded (2019 report, a coordinator) is
    never overwritten, since the update is a claim to be confirmed."""
    recorded_on = row["evidence_date"].end or UPDATES_AS_OF
    source = source_words(row)
    for criterion, (answer, text) in EVIDENCE_FOR_STRENGTH.get(row["strength"], {}).items():
        evidence = service.evidence.filter(criterion=criterion).first()
        fields = {"answer": answer, "evidence": text, "source": source,
                  "recorded_on": recorded_on}
        if evidence is None:
            CriterionEvidence.objects.create(service=service, criterion=criterion, **fields)
            changes["evidence"]["created"] += 1
        elif evidence.source.startswith(f"{DATASET}:") and set_changed(evidence, fields):
            evidence.save()
            changes["evidence"]["updated"] += 1
