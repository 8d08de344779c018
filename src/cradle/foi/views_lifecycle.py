"""After the response, on a request's page (ADR 0032): asking for an internal review and
recording its outcome, and complaints to the regulator. Every write goes through
actions_lifecycle.py; the forms are shown in the request page's section "Internal review and
complaints"."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import actions_lifecycle
from .actions import FoiActionError
from .deadlines import HolidayDataError
from .forms_lifecycle import ComplaintForm, ReviewOutcomeForm, ReviewRequestForm
from .lifecycle import long_date, regulator_for, review_clock
from .models import FoiRequest, RequestState
from .views import foi_managers_only, today, who

ANCHOR = "#review-and-complaints"


def _complaint_initial(complaint) -> dict:
    return {name: getattr(complaint, name) for name in (
        "acknowledged_on", "regulator_reference", "decision_notice_on", "outcome", "notes")}


def lifecycle_forms(foi_request: FoiRequest) -> dict:
    """The section's empty forms, for views_requests.request_page (a bound one replaces its
    empty one there)."""
    review = actions_lifecycle.pending_review(foi_request)
    complaint = actions_lifecycle.open_complaint(foi_request)
    return {
        "review_form": ReviewRequestForm(prefix="review", foi_request=foi_request),
        "review_outcome_form": (ReviewOutcomeForm(prefix="review-outcome", review=review)
                                if review else None),
        "complaint_form": ComplaintForm(
            prefix="complaint", foi_request=foi_request, complaint=complaint,
            initial=_complaint_initial(complaint) if complaint else None),
    }


def _clock(review, regime: str):
    try:
        return review_clock(review.received_on, regime)
    except HolidayDataError:
        return None


def lifecycle_section(foi_request: FoiRequest, on: datetime.date) -> dict:
    """What the section shows: each review with its clock and status, each complaint, and
    whether a review can be asked for and a complaint made now."""
    reviews = list(foi_request.internal_reviews.all())
    complaints = list(foi_request.complaints.select_related("internal_review"))
    sent = foi_request.state != RequestState.NOT_SENT
    return {
        "reviews": [{"review": review, "clock": _clock(review, foi_request.regime),
                     "status": review.status(on), "overdue": review.is_overdue(on)}
                    for review in reviews],
        "pending_review": actions_lifecycle.pending_review(foi_request),
        "review_refusal": (actions_lifecycle.review_refusal(foi_request, on) if sent
                           else "the request has not been sent yet"),
        "complaints": complaints,
        "open_complaint": actions_lifecycle.open_complaint(foi_request),
        "regulator": regulator_for(foi_request.regime).label,
        "can_complain": sent,
        "no_review_yet": not reviews,
    }


def _page(request, foi_request: FoiRequest, problems=(), **forms):
    from .views_requests import request_page

    return request_page(request, foi_request, status=400, problems=problems, **forms)


def _back(foi_request: FoiRequest):
    return redirect(reverse("foi:request-detail", args=[foi_request.pk]) + ANCHOR)


def _request_for(request, pk: int) -> FoiRequest:
    from .views_requests import foi_request_for

    return foi_request_for(request, pk)


@foi_managers_only
@require_POST
def ask_for_review(request, pk: int):
    foi_request = _request_for(request, pk)
    form = ReviewRequestForm(request.POST, prefix="review", foi_request=foi_request)
    if not form.is_valid():
        return _page(request, foi_request, review_form=form)
    data = form.cleaned_data
    try:
        review = actions_lifecycle.ask_for_review(
            request=foi_request, asked_on=data["asked_on"], received_on=data["received_on"],
            grounds=data["grounds"], by=who(request))
    except FoiActionError as error:
        return _page(request, _request_for(request, pk), review_form=form,
                     problems=[f"The internal review was not recorded: {error}"])
    messages.success(request, "Internal review recorded: the body's decision is due by "
                              f"{long_date(review.due_on)}.")
    return _back(foi_request)


@foi_managers_only
@require_POST
def record_review_outcome(request, pk: int):
    foi_request = _request_for(request, pk)
    review = actions_lifecycle.pending_review(foi_request)
    form = ReviewOutcomeForm(request.POST, prefix="review-outcome", review=review)
    if review is None:
        return _page(request, foi_request, problems=[
            "No outcome was recorded: this request has no pending internal review"])
    if not form.is_valid():
        return _page(request, foi_request, review_outcome_form=form)
    data = form.cleaned_data
    try:
        actions_lifecycle.record_review_outcome(
            review=review, outcome=data["outcome"], outcome_on=data["outcome_on"],
            reply_text=data["reply_text"], by=who(request))
    except FoiActionError as error:
        return _page(request, _request_for(request, pk), review_outcome_form=form,
                     problems=[f"The outcome was not recorded: {error}"])
    foi_request.refresh_from_db()
    messages.success(request, "The review's outcome is recorded; the request is now: "
                              f"{foi_request.get_state_display()}.")
    return _back(foi_request)


@foi_managers_only
@require_POST
def make_complaint(request, pk: int):
    foi_request = _request_for(request, pk)
    if actions_lifecycle.open_complaint(foi_request) is not None:
        return _page(request, foi_request, problems=[
            "No complaint was recorded: a complaint about this request is still open; "
            "update it instead"])
    form = ComplaintForm(request.POST, prefix="complaint", foi_request=foi_request)
    if not form.is_valid():
        return _page(request, foi_request, complaint_form=form)
    try:
        complaint = actions_lifecycle.make_complaint(
            request=foi_request, made_on=form.cleaned_data["made_on"], by=who(request),
            **form.details())
    except FoiActionError as error:
        return _page(request, _request_for(request, pk), complaint_form=form,
                     problems=[f"The complaint was not recorded: {error}"])
    messages.success(request, f"Complaint to the {complaint.get_regulator_display()} "
                              "recorded.")
    if complaint.internal_review_id is None:
        messages.warning(request, "No internal review is recorded for this request: the "
                                  "regulator usually requires one before it considers a "
                                  "complaint.")
    return _back(foi_request)


@foi_managers_only
@require_POST
def update_complaint(request, pk: int):
    foi_request = _request_for(request, pk)
    complaint = actions_lifecycle.open_complaint(foi_request)
    if complaint is None:
        return _page(request, foi_request, problems=[
            "Nothing was updated: this request has no open complaint"])
    form = ComplaintForm(request.POST, prefix="complaint", foi_request=foi_request,
                         complaint=complaint)
    if not form.is_valid():
        return _page(request, foi_request, complaint_form=form)
    try:
        actions_lifecycle.update_complaint(complaint=complaint, on=today(), by=who(request),
                                           **form.details())
    except FoiActionError as error:
        return _page(request, _request_for(request, pk), complaint_form=form,
                     problems=[f"The complaint was not updated: {error}"])
    messages.success(request, "The complaint is updated.")
    return _back(foi_request)
