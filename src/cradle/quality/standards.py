"""Standards sets: loading the shipped set, editing a set, and making a new version.

Every write is one transaction with its audit entries. A set a review has started on is
frozen (models.FrozenSet): edits are refused, with the way forward ("make a new version"),
which copies the set to version + 1, editable until a review starts on it.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action

from . import thresholds as t
from .models import AutoSource, Domain, FrozenSet, Route, Standard, StandardsSet

DATA_FILE = Path(__file__).parent / "data" / "standards-2026.json"
EDITABLE_FIELDS = ("title", "description", "standard_type", "evidence_asked", "auto_source",
                   "source")
NEW_VERSION_HINT = "Make a new version of the set to change it."


class StandardsError(ValueError):
    pass


def _check(data: dict) -> None:
    for route, route_thresholds in data["thresholds"].items():
        if route not in Route.values:
            raise StandardsError(f"unknown route {route!r}")
        t.parse_thresholds(route_thresholds)
    codes = set()
    for domain in data["domains"]:
        for item in domain["standards"]:
            if item["code"] in codes:
                raise StandardsError(f"standard {item['code']} is listed twice")
            codes.add(item["code"])
            if item["type"] not in t.TYPES:
                raise StandardsError(f"{item['code']}: type must be 1, 2 or 3")
            if item.get("auto_source") and item["auto_source"] not in AutoSource.values:
                raise StandardsError(f"{item['code']}: unknown auto_source")


def load_standards(path: Path = DATA_FILE) -> tuple[StandardsSet, bool]:
    """The set in the file, created if its key and version are new; (set, created). A set
    already loaded is left as it is, so a second load changes nothing (and a set in use can
    never be changed by a load: a changed file needs a new version number)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    _check(data)
    existing = StandardsSet.objects.filter(key=data["key"], version=data["version"]).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        standards_set = StandardsSet.objects.create(
            key=data["key"], name=data["name"], version=data["version"],
            published_on=datetime.date.fromisoformat(data["published_on"])
            if data.get("published_on") else None,
            description=data.get("description", ""), thresholds=data["thresholds"])
        for position, domain_data in enumerate(data["domains"], start=1):
            domain = Domain.objects.create(
                standards_set=standards_set, position=position, name=domain_data["name"],
                description=domain_data.get("description", ""))
            for index, item in enumerate(domain_data["standards"], start=1):
                Standard.objects.create(
                    standards_set=standards_set, domain=domain, code=item["code"],
                    position=index, title=item["title"],
                    description=item.get("description", ""), standard_type=item["type"],
                    evidence_asked=item["evidence"], auto_source=item.get("auto_source", ""),
                    source=item["source"])
        recorder.record_many(None, [recorder.event_for(
            standards_set, Action.LOAD, note=f"loaded from {path.name}")])
    return standards_set, True


def _refuse_if_frozen(standards_set: StandardsSet) -> None:
    if standards_set.frozen:
        raise FrozenSet(f"{standards_set} is in use by a review, so it cannot change. "
                        f"{NEW_VERSION_HINT}")


def edit_standard(*, user, standard: Standard, changes: dict) -> list[str]:
    """Change a standard's wording, type, evidence asked or automatic source; the names of the
    fields changed."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StandardsError(f"these cannot be edited: {sorted(unknown)}")
    with transaction.atomic():
        standard = Standard.objects.select_for_update().get(pk=standard.pk)
        _refuse_if_frozen(standard.standards_set)
        changed = [name for name, value in changes.items() if getattr(standard, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(standard, name, changes[name])
        standard.full_clean()
        standard.save()
        recorder.record_changes(user, standard, changed, Action.CHANGE)
    return changed


def edit_thresholds(*, user, standards_set: StandardsSet, route: str,
                    percentages: dict[int, int] | None) -> None:
    """Set a route's thresholds (None: the route has none)."""
    if route not in Route.values:
        raise StandardsError(f"unknown route {route!r}")
    stored = None if percentages is None else {str(k): v for k, v in percentages.items()}
    t.parse_thresholds(stored)
    with transaction.atomic():
        standards_set = StandardsSet.objects.select_for_update().get(pk=standards_set.pk)
        _refuse_if_frozen(standards_set)
        current = dict(standards_set.thresholds or {})
        if current.get(route, "absent") == stored:
            return
        current[route] = stored
        standards_set.thresholds = current
        standards_set.save()
        recorder.record_many(user, [recorder.event_for(standards_set, Action.CHANGE,
                                                       ("thresholds",), note=route)])


def new_version(*, user, standards_set: StandardsSet) -> StandardsSet:
    """A copy of the set as the next version of its key (unpublished, editable)."""
    with transaction.atomic():
        latest = (StandardsSet.objects.select_for_update().filter(key=standards_set.key)
                  .order_by("-version").first())
        copy = StandardsSet.objects.create(
            key=standards_set.key, name=standards_set.name, version=latest.version + 1,
            published_on=None, description=standards_set.description,
            based_on=standards_set, thresholds=standards_set.thresholds)
        events = [recorder.event_for(copy, Action.CREATE,
                                     note=f"new version of set {standards_set.pk}")]
        for domain in standards_set.domains.all():
            new_domain = Domain.objects.create(
                standards_set=copy, position=domain.position, name=domain.name,
                description=domain.description)
            for standard in domain.standards.all():
                Standard.objects.create(
                    standards_set=copy, domain=new_domain, code=standard.code,
                    position=standard.position,
                    **{name: getattr(standard, name) for name in EDITABLE_FIELDS})
        recorder.record_many(user, events)
    return copy


def publish(*, user, standards_set: StandardsSet, on: datetime.date) -> None:
    with transaction.atomic():
        standards_set = StandardsSet.objects.select_for_update().get(pk=standards_set.pk)
        _refuse_if_frozen(standards_set)
        standards_set.published_on = on
        standards_set.save()
        recorder.record_many(user, [recorder.event_for(standards_set, Action.CHANGE,
                                                       ("published_on",))])


def current_set() -> StandardsSet | None:
    """The newest published version of the newest-loaded key: what a new review starts on."""
    return (StandardsSet.objects.filter(published_on__isnull=False)
            .order_by("-published_on", "-version", "-pk").first())
