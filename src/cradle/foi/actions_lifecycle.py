"""Writes after the response (ADR 0032): asking for an internal review and recording its
outcome, complaints to the regulator, and chasing overdue reviews.

Each runs in one transaction, records a RequestEvent and writes the audit log (field names
only), as actions.py does; `by` is the actor.
"""

from __future__ import annotations

import datetime

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Max, Q

from cradle.audit import recorder
from cradle.audit.models import Action

from . import replies
from .actions import REMINDER_SENT, FoiActionError, recently_chased
from .deadlines import HolidayDataError
from .letters import request_reference
from .lifecycle import (
    complaint_date_problems,
    long_date,
    regulator_for,
    review_clock,
    review_date_problems,
)
from .models import FoiRequest, RequestEvent, RequestState
from .models_lifecycle import Complaint, ComplaintOutcome, InternalReview, ReviewOutcome

REVIEW_ASKED = "internal review asked for"
REVIEW_DECIDED = "internal review decided"
REVIEW_REMINDER_SENT = "internal review reminder sent"
COMPLAINT_MADE = "complaint made to the regulator"
COMPLAINT_UPDATED = "complaint updated"

# A review may be asked of an answer or a refusal, or of a body's failure to answer at all.
REVIEWABLE_STATES = (RequestState.ANSWERED, RequestState.PARTIALLY_ANSWERED,
                     RequestState.REFUSED)
COMPLAINT_FIELDS = ("acknowledged_on", "regulator_reference", "decision_notice_on", "outcome",
                    "notes")


def _created(audit: list, obj: models.Model) -> None:
    audit.append(recorder.created(obj))


def _event(request: FoiRequest, kind: str, on: datetime.date, by: str, note: str,
           audit: list) -> None:
    _created(audit, RequestEvent.objects.create(request=request, kind=kind, on=on, note=note,
                                                recorded_by=by))


def _set_state(request: FoiRequest, state: str, audit: list) -> None:
    if request.state != state:
        request.state = state
        request.save(update_fields=["state"])
        audit.append(recorder.event_for(request, Action.CHANGE, ["state"]))


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise FoiActionError("; ".join(message for _, message in problems))


def pending_review(request: FoiRequest) -> InternalReview | None:
    return request.internal_reviews.pending().order_by("-asked_on", "-id").first()


def review_refusal(request: FoiRequest, asked_on: datetime.date) -> str | None:
    """Why no internal review can be asked for now (None if one can)."""
    if pending_review(request) is not None:
        return "an internal review of this request is already pending: record its outcome first"
    if request.state in REVIEWABLE_STATES:
        return None
    if (request.state == RequestState.AWAITING_RESPONSE and request.due_on
            and asked_on > request.due_on):
        return None  # overdue: the body may be asked to review its failure to respond
    return ("an internal review can be asked for only once the body has answered or refused "
            "the request, or once its response is overdue (the request is "
            f"“{request.get_state_display()}”)")


@transaction.atomic
def ask_for_review(*, request: FoiRequest, asked_on: datetime.date,
                   received_on: datetime.date | None, grounds: str, by: str) -> InternalReview:
    """Record that Cradle asked the body for an internal review; its clock starts on the day
    the body received the request for review (the day it was asked, if not given)."""
    request = FoiRequest.objects.select_for_update().get(pk=request.pk)
    received_on = received_on or asked_on
    if not grounds.strip():
        raise FoiActionError("enter the grounds for the review")
    if refusal := review_refusal(request, asked_on):
        raise FoiActionError(refusal)
    _refuse(review_date_problems(sent_on=request.sent_on, asked_on=asked_on,
                                 received_on=received_on))
    try:
        clock = review_clock(received_on, request.regime)
    except HolidayDataError as error:
        raise FoiActionError(f"no due date for a review received on {received_on}: "
                             f"{error}") from None
    review = InternalReview.objects.create(
        request=request, asked_on=asked_on, received_on=received_on, grounds=grounds.strip(),
        asked_by=by, due_on=clock.due_on, complex_due_on=clock.complex_due_on,
        state_before=request.state)
    audit = []
    _created(audit, review)
    _set_state(request, RequestState.INTERNAL_REVIEW, audit)
    _event(request, REVIEW_ASKED, asked_on, by, f"Due {long_date(clock.due_on)}", audit)
    recorder.record_many(by or None, audit)
    return review


@transaction.atomic
def record_review_outcome(*, review: InternalReview, outcome: str, outcome_on: datetime.date,
                          reply_text: str, by: str) -> InternalReview:
    """The body's decision (or its silence); the request goes back to the state it had before
    the review, if it is still in internal review."""
    review = InternalReview.objects.select_for_update().select_related("request").get(
        pk=review.pk)
    if review.decided:
        raise FoiActionError("this review's outcome is already recorded")
    if outcome not in ReviewOutcome.values:
        raise FoiActionError("choose the review's outcome from the list")
    _refuse(review_date_problems(sent_on=review.request.sent_on, asked_on=review.asked_on,
                                 outcome_on=outcome_on))
    review.outcome, review.outcome_on = outcome, outcome_on
    review.reply_text, review.outcome_recorded_by = reply_text.strip(), by
    review.save()
    audit = [recorder.event_for(review, Action.CHANGE, ["outcome", "outcome_on", "reply_text",
                                                       "outcome_recorded_by"])]
    request = review.request
    if request.state == RequestState.INTERNAL_REVIEW:
        _set_state(request, review.state_before, audit)
    _event(request, REVIEW_DECIDED, outcome_on, by, ReviewOutcome(outcome).label, audit)
    recorder.record_many(by or None, audit)
    return review


def open_complaint(request: FoiRequest) -> Complaint | None:
    return request.complaints.filter(outcome="").order_by("-made_on", "-id").first()


@transaction.atomic
def make_complaint(*, request: FoiRequest, made_on: datetime.date, by: str,
                   acknowledged_on: datetime.date | None = None, regulator_reference: str = "",
                   decision_notice_on: datetime.date | None = None, outcome: str = "",
                   notes: str = "") -> Complaint:
    """A complaint to the regulator of the request's law, following its latest internal
    review if it has one."""
    request = FoiRequest.objects.select_for_update().get(pk=request.pk)
    if request.state == RequestState.NOT_SENT:
        raise FoiActionError("the request has not been sent yet")
    if open_complaint(request) is not None:
        raise FoiActionError("a complaint about this request is still open: update it instead")
    if outcome and outcome not in ComplaintOutcome.values:
        raise FoiActionError("choose the complaint's outcome from the list")
    _refuse(complaint_date_problems(sent_on=request.sent_on, made_on=made_on,
                                    acknowledged_on=acknowledged_on,
                                    decision_notice_on=decision_notice_on))
    complaint = Complaint.objects.create(
        request=request, regulator=regulator_for(request.regime).value,
        internal_review=request.internal_reviews.order_by("-asked_on", "-id").first(),
        made_on=made_on, acknowledged_on=acknowledged_on,
        regulator_reference=regulator_reference.strip(), decision_notice_on=decision_notice_on,
        outcome=outcome, notes=notes.strip(), recorded_by=by)
    audit = []
    _created(audit, complaint)
    _event(request, COMPLAINT_MADE, made_on, by,
           complaint.get_regulator_display()
           + ("" if complaint.internal_review_id else " (no internal review first)"), audit)
    recorder.record_many(by or None, audit)
    return complaint


@transaction.atomic
def update_complaint(*, complaint: Complaint, on: datetime.date, by: str,
                     acknowledged_on: datetime.date | None, regulator_reference: str,
                     decision_notice_on: datetime.date | None, outcome: str,
                     notes: str) -> Complaint:
    """What the regulator has since done: acknowledged, its reference, its decision."""
    complaint = Complaint.objects.select_for_update().select_related("request").get(
        pk=complaint.pk)
    if complaint.closed:
        raise FoiActionError("this complaint is closed: its outcome is recorded")
    if outcome and outcome not in ComplaintOutcome.values:
        raise FoiActionError("choose the complaint's outcome from the list")
    _refuse(complaint_date_problems(sent_on=complaint.request.sent_on,
                                    made_on=complaint.made_on, acknowledged_on=acknowledged_on,
                                    decision_notice_on=decision_notice_on))
    before = {name: getattr(complaint, name) for name in COMPLAINT_FIELDS}
    complaint.acknowledged_on, complaint.decision_notice_on = acknowledged_on, decision_notice_on
    complaint.regulator_reference = regulator_reference.strip()
    complaint.outcome, complaint.notes = outcome, notes.strip()
    changed = [name for name, value in before.items() if getattr(complaint, name) != value]
    if not changed:
        return complaint
    complaint.save()
    audit = [recorder.event_for(complaint, Action.CHANGE, changed)]
    _event(complaint.request, COMPLAINT_UPDATED, on, by,
           f"Outcome: {complaint.get_outcome_display()}" if outcome else "", audit)
    recorder.record_many(by or None, audit)
    return complaint


# Chasers ---------------------------------------------------------------------------------

def requests_to_chase(campaign, on: datetime.date):
    """The campaign's overdue requests with an email address, each with `last_chased_on`."""
    return (FoiRequest.objects.for_campaign(campaign).overdue(on).exclude(body__email="")
            .select_related("body")
            .annotate(last_chased_on=Max("events__on",
                                         filter=Q(events__kind=REMINDER_SENT))))


def reviews_to_chase(campaign, on: datetime.date):
    """The campaign's overdue internal reviews of bodies with an email address, each with
    `last_chased_on` (a chaser of this review: sent on or after it was asked for)."""
    return (InternalReview.objects.overdue(on)
            .filter(request__campaign=campaign).exclude(request__body__email="")
            .select_related("request__body")
            .annotate(last_chased_on=Max("request__events__on", filter=Q(
                request__events__kind=REVIEW_REMINDER_SENT,
                request__events__on__gte=F("asked_on"))))
            .order_by("request__body__name"))


def review_reminder_text(review: InternalReview) -> str:
    """A fixed chaser (no template: nothing a user typed is evaluated), quoting the grounds."""
    request = review.request
    clock = review_clock(review.received_on, request.regime)
    return (f"We asked you on {long_date(review.asked_on)} for an internal review of our "
            f"Freedom of Information request {request_reference(request.pk)}. The review was "
            f"due by {long_date(review.due_on)}. {clock.basis} We have not yet received your "
            "decision. Please reply to this address, or tell us when we can expect it.\n\n"
            "Our request for review follows.\n\n" + review.grounds)


@transaction.atomic
def send_review_reminder(*, review: InternalReview, on: datetime.date, by: str) -> bool:
    """Email the body of one overdue review a chaser and record it; False (nothing sent) if
    the review is decided, not overdue, or was chased within the last 5 working days. The
    email goes before the commit: a refused one is not recorded."""
    review = (InternalReview.objects.select_related("request__body")
              .select_for_update().get(pk=review.pk))
    request = review.request
    last = (request.events.filter(kind=REVIEW_REMINDER_SENT, on__gte=review.asked_on)
            .aggregate(last=Max("on"))["last"])
    if (not review.is_overdue(on) or not request.body.email
            or recently_chased(last, on, request.regime)):
        return False
    audit = []
    _event(request, REVIEW_REMINDER_SENT, on, by, f"Was due {long_date(review.due_on)}", audit)
    recorder.record_many(by or None, audit)
    EmailMessage(
        subject="Reminder: internal review of Freedom of Information request "
                f"{request_reference(request.pk)}",
        body=review_reminder_text(review), to=[request.body.email],
        reply_to=[replies.reply_to_address(request)],
    ).send()
    return True
