"""The corrections and withdrawals shown on a case's timeline, next to the records they touch."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist

from .models import Case, Correction

#: Events that show a record's corrections (an episode's end is the same record as its start).
SHOWN_ON = {"referral", "episode_start", "contact", "measure", "feedback"}
#: The record kind of each event, as correction_views.KINDS names it.
LINK_KINDS = {"referral": "referral", "episode_start": "episode", "episode_end": "episode",
              "contact": "contact", "measure": "measure", "feedback": "feedback"}
OTHER_NAMES = {"caregivers": "caregivers", "risk_factors": "risk factors",
               "interventions": "interventions", "withdrawn_at": "withdrawn"}


def field_names(model, names) -> list[str]:
    """Field names as words ("referred on"), never values."""
    words = []
    for name in names:
        if name in OTHER_NAMES:
            words.append(OTHER_NAMES[name])
            continue
        try:
            words.append(str(model._meta.get_field(name).verbose_name))
        except (FieldDoesNotExist, AttributeError):
            words.append(name.replace("_", " "))
    return words


def _shown(correction: Correction, model) -> dict:
    return {"action": correction.action, "at": correction.at, "by_role": correction.by_role,
            "fields": field_names(model, correction.fields), "reason": correction.reason}


def attach_corrections(case: Case, events: list[dict]) -> None:
    """Give each timeline event the list of its record's corrections, oldest first."""
    by_record = defaultdict(list)
    for correction in Correction.objects.filter(case=case).exclude(record_label="outcomes.case"):
        by_record[(correction.record_label, correction.record_id)].append(correction)
    for event in events:
        record = event["record"]
        found = by_record.get((record._meta.label_lower, record.pk), ())
        event["corrections"] = ([_shown(c, type(record)) for c in found]
                                if event["kind"] in SHOWN_ON else [])
        event["withdrawn"] = record.withdrawn_at is not None
        event["link_kind"] = LINK_KINDS[event["kind"]]


def case_corrections(case: Case) -> list[dict]:
    return [_shown(c, Case) for c in Correction.objects.filter(
        case=case, record_label="outcomes.case", record_id=case.pk)]
