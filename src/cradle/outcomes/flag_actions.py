"""Reviewing the flags a measure raised (e.g. PHQ-9 item 9 above 0): who, when and a note.

Like every outcomes action: keyword-only, one transaction, an audit entry naming the fields
(never the note), and the user must hold `case_edit` for the case's team.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .free_text import note_problem
from .models import FlagReview, MeasureAdministration
from .validation import InvalidRecord, audit_created, require_team_permission

MAX_NOTE = FlagReview._meta.get_field("note").max_length


@transaction.atomic
def review_flags(*, user, measure: MeasureAdministration, note: str = "",
                 at: datetime.datetime | None = None) -> FlagReview:
    """Mark the measure's flags reviewed by the user, now (or at `at`), with a short note."""
    require_team_permission(user, measure.case.team_id)
    measure = MeasureAdministration.objects.select_for_update().get(pk=measure.pk)
    if not measure.flags:
        raise InvalidRecord("note", "this measure raised no flags")
    if FlagReview.objects.filter(measure=measure).exists():
        raise InvalidRecord("note", "the flags were already reviewed")
    if not isinstance(note, str):
        raise InvalidRecord("note", "give the note as text")
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise InvalidRecord("note", f"keep the note to {MAX_NOTE} characters")
    problem = note_problem(note)
    if problem:
        raise InvalidRecord("note", problem)
    review = FlagReview.objects.create(measure=measure, reviewed_by=user,
                                       reviewed_at=at or timezone.now(), note=note)
    audit_created(user, [review])
    return review
