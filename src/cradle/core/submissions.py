"""Single-record forms save once: a repeated post of the same form finds the first record.

A form carries a one-time token (`{% submission_token %}`, from core's `cradle_forms` tags),
made when the form is rendered. `save_once` claims the token with a unique row in the same
transaction as the write, so two posts of one form, even at the same moment on two
connections, make one record: the second one's claim fails on the unique constraint (on
PostgreSQL it waits for the first transaction, on SQLite the IMMEDIATE transaction waits for
the write lock), and it is told the record was already saved.

A post without a token (a script, an old page) is saved as before, with nothing to match.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction

from .models import FormSubmission

TOKEN_FIELD = "submission_token"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def posted_token(request) -> str | None:
    """The form's token, if the post carries a well-formed one."""
    token = request.POST.get(TOKEN_FIELD, "")
    return token if TOKEN_PATTERN.fullmatch(token) else None


@dataclass(frozen=True)
class Saved:
    object_id: int | None  # None only while the first post is still being written
    already_saved: bool


def earlier_submission(request, *, kind: str) -> Saved | None:
    """This form's record if it was already saved: for a form whose own checks would refuse
    the repeat (a name already taken) before `save_once` could say it was already saved."""
    token = posted_token(request)
    earlier = token and FormSubmission.objects.filter(
        token=token, user=request.user.pk, kind=kind).first()
    return Saved(object_id=earlier.object_id, already_saved=True) if earlier else None


def save_once(request, *, kind: str, write: Callable[[], object]) -> Saved:
    """Call `write` (which returns the record it created) unless this form was already saved.

    An exception from `write` rolls the claim back with the record, so the user can correct
    the form and send it again.
    """
    token = posted_token(request)
    if token is None:
        return Saved(object_id=write().pk, already_saved=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=request.user, kind=kind)
        except IntegrityError:
            earlier = FormSubmission.objects.get(token=token)
            if earlier.user_id != request.user.pk or earlier.kind != kind:
                raise SuspiciousOperation("a form token was reused for another form") from None
            return Saved(object_id=earlier.object_id, already_saved=True)
        record = write()
        claim.object_id = record.pk
        claim.save(update_fields=["object_id"])
    return Saved(object_id=record.pk, already_saved=False)
