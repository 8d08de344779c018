"""Writes for self-reviews: each one transaction with its audit entries (field names only).

Only a member of the team whose role grants quality_review (a team manager) may start a
review, rate standards and add evidence; network coordinators read every review but do not
rate. A submitted review cannot change.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from cradle.accounts.permissions import Permission
from cradle.audit import recorder
from cradle.audit.models import Action

from . import evidence_store, file_checks
from . import thresholds as t
from .models import (
    EvidenceFile,
    EvidenceLink,
    Rating,
    Review,
    ReviewState,
    Route,
    Standard,
    StandardRating,
    StandardsSet,
)


class ReviewError(ValueError):
    pass


def may_edit(user, review: Review) -> bool:
    return review.in_progress and review.team_id in user.team_ids(Permission.QUALITY_REVIEW)


def _require_editor(user, review: Review) -> None:
    if review.team_id not in user.team_ids(Permission.QUALITY_REVIEW):
        raise ReviewError("Only the team's own managers can change its self-review")
    if not review.in_progress:
        raise ReviewError("This review has been submitted, so it cannot change")


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def start_review(*, user, team, route: str, standards_set: StandardsSet) -> Review:
    if team.pk not in user.team_ids(Permission.QUALITY_REVIEW):
        raise ReviewError("Only the team's own managers can start its self-review")
    if route not in Route.values:
        raise ReviewError("Choose a route")
    if standards_set.published_on is None:
        raise ReviewError("A review starts on a published set of standards")
    try:
        with transaction.atomic():
            review = Review.objects.create(team=team, standards_set=standards_set, route=route,
                                           started_by=user)
            recorder.record_many(user, [recorder.event_for(
                review, Action.CREATE, ("team", "standards_set", "route"))])
    except IntegrityError:
        raise ReviewError("The team already has a review in progress: finish or submit it "
                          "first") from None
    return review


def rate(*, user, review: Review, standard: Standard, rating: str, reason: str = "",
         note: str = "") -> StandardRating:
    """Rate one standard (again, if it was rated: the latest rating counts)."""
    if rating not in Rating.values:
        raise ReviewError("Choose a rating")
    reason, note = reason.strip(), note.strip()
    if rating == t.NOT_APPLICABLE and not reason:
        raise ReviewError("Say why the standard does not apply")
    if rating != t.NOT_APPLICABLE:
        reason = ""
    if standard.standards_set_id != review.standards_set_id:
        raise ReviewError("That standard is not in this review's set")
    with transaction.atomic():
        review = _locked(review)
        _require_editor(user, review)
        existing = StandardRating.objects.filter(review=review, standard=standard).first()
        values = {"rating": rating, "reason": reason, "note": note}
        if existing is None:
            row = StandardRating.objects.create(review=review, standard=standard,
                                                rated_by=user, **values)
            recorder.record_many(user, [recorder.event_for(row, Action.CREATE, tuple(values),
                                                           note=f"standard {standard.code}")])
            return row
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.rated_by = user
            existing.save()
            recorder.record_changes(user, existing, changed, Action.CHANGE,
                                    note=f"standard {standard.code}")
        return existing


def add_file(*, user, review: Review, standard: Standard, filename: str,
             data: bytes) -> EvidenceFile:
    """Attach a document (refused by type, content or size: ReviewError with the reason)."""
    if standard.standards_set_id != review.standards_set_id:
        raise ReviewError("That standard is not in this review's set")
    check = file_checks.check_file(filename, data, max_bytes=evidence_store.max_bytes())
    if not check.accepted:
        raise ReviewError(check.refused_because)
    with transaction.atomic():
        review = _locked(review)
        _require_editor(user, review)
        row = EvidenceFile.objects.create(
            review=review, standard=standard, filename=check.filename,
            content_type=check.content_type, size=check.size,
            sha256=hashlib.sha256(data).hexdigest(),
            encrypted_content=evidence_store.encrypt(data), added_by=user)
        recorder.record_many(user, [recorder.event_for(
            row, Action.CREATE, ("filename", "content_type", "size"),
            note=f"standard {standard.code}")])
    return row


def file_content(*, user, evidence: EvidenceFile) -> bytes:
    """The file's bytes; the download is audited."""
    with transaction.atomic():
        recorder.record_many(user, [recorder.event_for(evidence, Action.EXPORT)])
    return evidence_store.decrypt(evidence.encrypted_content)


def check_link(path: str) -> str:
    """A path on this site that resolves to a page: evidence Cradle already holds."""
    path = path.strip()
    if not path.startswith("/") or path.startswith("//") or any(
            ch.isspace() or not ch.isprintable() for ch in path) or len(path) > 300:
        raise ReviewError("Give the address of a Cradle page, starting with /")
    try:
        resolve(path.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        raise ReviewError("That is not the address of a Cradle page") from None
    return path


def add_link(*, user, review: Review, standard: Standard, path: str,
             label: str) -> EvidenceLink:
    if standard.standards_set_id != review.standards_set_id:
        raise ReviewError("That standard is not in this review's set")
    path, label = check_link(path), label.strip()
    if not label:
        raise ReviewError("Say what the page shows")
    with transaction.atomic():
        review = _locked(review)
        _require_editor(user, review)
        row = EvidenceLink.objects.create(review=review, standard=standard, path=path,
                                          label=label[:200], added_by=user)
        recorder.record_many(user, [recorder.event_for(row, Action.CREATE, ("path", "label"),
                                                       note=f"standard {standard.code}")])
    return row


def remove_evidence(*, user, evidence: EvidenceFile | EvidenceLink) -> None:
    with transaction.atomic():
        review = _locked(evidence.review)
        _require_editor(user, review)
        recorder.record_many(user, [recorder.event_for(evidence, Action.DELETE)])
        evidence.delete()


def submit(*, user, review: Review) -> Review:
    with transaction.atomic():
        review = _locked(review)
        _require_editor(user, review)
        review.state, review.submitted_by = ReviewState.SUBMITTED, user
        review.submitted_at = timezone.now()
        review.save()
        recorder.record_many(user, [recorder.event_for(
            review, Action.CHANGE, ("state", "submitted_by", "submitted_at"))])
    return review


def assessment(review: Review) -> t.Assessment:
    """The review against its route's thresholds, now."""
    ratings = dict(StandardRating.objects.filter(review=review)
                   .values_list("standard_id", "rating"))
    return t.assess((t.Rated(code, standard_type, ratings.get(pk)) for pk, code, standard_type
                     in review.standards_set.standards.order_by("domain__position", "position")
                     .values_list("pk", "code", "standard_type")),
                    review.standards_set.route_thresholds(review.route))
