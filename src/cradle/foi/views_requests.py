"""A request's page: its letter, history and dates, and the forms that record what happened."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cradle.core.forms import error_list
from cradle.core.submissions import save_once

from . import actions, actions_answers
from .analysis import ANSWER_FIELDS
from .deadlines import HolidayDataError, working_days_between
from .forms import (
    AreaAnswerFormSet,
    RedirectForm,
    ResponseDetailsForm,
    RestartClockForm,
    StateForm,
    response_areas,
)
from .forms_questions import AnswersForm
from .models import FoiRequest, RequestState
from .question_data import answer_fields
from .views import breadcrumbs, foi_managers_only, today, who
from .views_lifecycle import lifecycle_forms, lifecycle_section
from .views_replies import reply_section

TO_CHECK = ("Another coordinator must check them against the reply before they count in any "
            "figure.")


def not_saved(heading: str, error: actions.FoiActionError) -> list[str]:
    """The problems to show when answers were refused; figures that break a rule are listed
    one by one, with how to save them as they are."""
    if isinstance(error, actions_answers.NeedsConfirmation):
        return [f"{heading}: {problem}" for problem in error.problems] + [
            "If the figures are as the body sent them, say why in the confirmation note and "
            "save again"]
    return [f"{heading}: {problem}" for problem in getattr(error, "problems", [str(error)])]


def foi_request_for(request, pk: int) -> FoiRequest:
    return get_object_or_404(
        FoiRequest.objects.visible_to(request.user)
        .select_related("body", "campaign", "redirected_from__body"), pk=pk)


def _days_left(foi_request: FoiRequest, on) -> int | None:
    """Working days until the due date (negative once overdue), while the clock runs."""
    if foi_request.state != RequestState.AWAITING_RESPONSE or not foi_request.due_on:
        return None
    try:
        return working_days_between(on, foi_request.due_on, foi_request.regime)
    except HolidayDataError:
        return None


def request_page(request, foi_request: FoiRequest, *, status: int = 200, problems=(), **forms):
    on = today()
    campaign = foi_request.campaign
    by_area = campaign.uses_2019_analysis
    areas = list(response_areas(foi_request.body)) if by_area else []
    sent = foi_request.state != RequestState.NOT_SENT
    days_left = _days_left(foi_request, on)
    forms = {
        "state_form": StateForm(prefix="state"),
        "restart_form": RestartClockForm(prefix="restart"),
        "redirect_form": RedirectForm(prefix="redirect", campaign=campaign),
        "details_form": ResponseDetailsForm(prefix="response"),
        "answers": AreaAnswerFormSet(prefix="area", areas=areas),
        "answers_form": None if by_area else _answers_form(campaign),
        **lifecycle_forms(foi_request),
    } | forms
    replies = reply_section(foi_request, forms.pop("reply_upload_form", None))
    bound = [form for name, form in forms.items()
             if name != "answers" and form is not None and form.is_bound]
    if replies["reply_upload_form"].is_bound:
        bound.append(replies["reply_upload_form"])
    if forms["answers"].is_bound:
        bound.extend(forms["answers"].forms)
    return render(request, "foi/request_detail.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "foi_request": foi_request,
        "body": foi_request.body,
        "today": on,
        "display_status": foi_request.display_status(on),
        "days_left": days_left,
        "overdue_by": -days_left if days_left is not None and days_left < 0 else 0,
        "sent": sent,
        "can_restart": foi_request.state == RequestState.CLARIFICATION_REQUESTED,
        "can_redirect": sent and foi_request.state != RequestState.REDIRECTED,
        "can_respond": sent and (bool(areas) or not by_area),
        "by_area": by_area,
        "structured_answers": foi_request.structured_answers.all(),
        "events": foi_request.events.all(),
        "redirects": foi_request.redirects.select_related("body"),
        "responses": foi_request.responses.select_related("area"),
        "problems": list(problems),
        "errors": error_list(*bound) + [{"href": "#problems", "text": problem}
                                        for problem in problems],
        **forms,
        **replies,
        **lifecycle_section(foi_request, on),
    }, status=status)


def _answers_form(campaign, data=None) -> AnswersForm:
    return AnswersForm(data, prefix="answers", fields=answer_fields(campaign.typed_questions))


def _back(foi_request: FoiRequest, anchor: str = ""):
    return redirect(reverse("foi:request-detail", args=[foi_request.pk]) + anchor)


@foi_managers_only
@require_GET
def request_detail(request, pk: int):
    return request_page(request, foi_request_for(request, pk))


@foi_managers_only
@require_POST
def change_state(request, pk: int):
    foi_request = foi_request_for(request, pk)
    form = StateForm(request.POST, prefix="state")
    if not form.is_valid():
        return request_page(request, foi_request, status=400, state_form=form)
    data = form.cleaned_data
    try:
        actions.change_state(request=foi_request, state=data["state"], on=data["on"],
                             by=who(request), note=data["note"], exemption=data["exemption"],
                             reply_text=data["reply_text"])
    except actions.FoiActionError as error:
        return request_page(request, foi_request_for(request, pk), status=400, state_form=form,
                     problems=[f"The state was not changed: {error}"])
    messages.success(request, f"The request is now: {foi_request.get_state_display()}.")
    return _back(foi_request)


@foi_managers_only
@require_POST
def restart_clock(request, pk: int):
    foi_request = foi_request_for(request, pk)
    form = RestartClockForm(request.POST, prefix="restart")
    if not form.is_valid():
        return request_page(request, foi_request, status=400, restart_form=form)
    try:
        actions.restart_clock(request=foi_request, by=who(request),
                              clarification_received=form.cleaned_data["clarification_received"])
    except (actions.FoiActionError, HolidayDataError) as error:
        return request_page(request, foi_request_for(request, pk), status=400, restart_form=form,
                     problems=[f"The clock was not restarted: {error}"])
    due = foi_request.due_on
    messages.success(request, f"The clock restarted: the response is now due {due.day} "
                              f"{due:%B %Y}.")
    return _back(foi_request)


@foi_managers_only
@require_POST
def redirect_to_provider(request, pk: int):
    foi_request = foi_request_for(request, pk)
    form = RedirectForm(request.POST, prefix="redirect", campaign=foi_request.campaign)
    if not form.is_valid():
        return request_page(request, foi_request, status=400, redirect_form=form)
    if foi_request.state in (RequestState.NOT_SENT, RequestState.REDIRECTED):
        return request_page(request, foi_request, status=400, redirect_form=form, problems=[
            "Only a request that has been sent, and not redirected already, can be redirected"])
    data = form.cleaned_data
    try:
        new = actions.redirect_request(request=foi_request, provider=data["provider"],
                                       on=data["on"], by=who(request), note=data["note"])
    except actions.FoiActionError as error:
        return request_page(request, foi_request_for(request, pk), status=400, redirect_form=form,
                     problems=[f"The request was not redirected: {error}"])
    messages.success(request, f"Redirected: a letter to {new.body.name} is written. Send it "
                              "from the campaign page.")
    return _back(new)


@foi_managers_only
@require_POST
def record_response(request, pk: int):
    foi_request = foi_request_for(request, pk)
    details = ResponseDetailsForm(request.POST, prefix="response")
    answers = AreaAnswerFormSet(request.POST, prefix="area",
                                areas=response_areas(foi_request.body))
    if not answers.areas:
        return request_page(request, foi_request, status=400, problems=[
            "This body has no 2019 CCG areas recorded, so there is nothing to answer about"])
    if not (details.is_valid() and answers.is_valid()):
        return request_page(request, foi_request, status=400, details_form=details, answers=answers)
    if not details.cleaned_data["reply_text"] and not any(f.entered for f in answers.forms):
        return request_page(request, foi_request, status=400, details_form=details, answers=answers,
                     problems=["Nothing was entered: enter at least one area's answers, a "
                               "comment or the reply text"])
    try:
        saved = save_once(request, kind="foi.response", write=lambda: actions_answers.record_response(
            request=foi_request, received_on=details.cleaned_data["received_on"],
            answers=[(form.area, {name: form.cleaned_data.get(name) for name in ANSWER_FIELDS},
                      form.cleaned_data["comment"]) for form in answers],
            state=details.state_for(answers.forms), reply_text=details.cleaned_data["reply_text"],
            by=who(request), confirmation_note=details.cleaned_data["confirmation_note"]))
    except actions.FoiActionError as error:
        return request_page(request, foi_request_for(request, pk), status=400, details_form=details,
                     answers=answers, problems=not_saved("The response was not saved", error))
    if saved.already_saved:
        messages.info(request, "This response was already saved: it was not recorded again.")
        return _back(foi_request, "#response")
    foi_request.refresh_from_db()
    messages.success(request, f"Response saved for {len(answers.forms)} area"
                              f"{'s' if len(answers.forms) != 1 else ''}; the request is now: "
                              f"{foi_request.get_state_display()}. {TO_CHECK}")
    return _back(foi_request, "#response")


@foi_managers_only
@require_POST
def record_answers(request, pk: int):
    """One body's answers to its campaign's own questions, checked per type."""
    foi_request = foi_request_for(request, pk)
    campaign = foi_request.campaign
    if campaign.uses_2019_analysis or foi_request.state == RequestState.NOT_SENT:
        return request_page(request, foi_request, status=400, problems=[
            "Answers to this campaign's questions can be recorded only for a sent request of "
            "a campaign with its own questions"])
    form = _answers_form(campaign, request.POST)
    if not form.is_valid():
        return request_page(request, foi_request, status=400, answers_form=form)
    data = form.cleaned_data
    if not (form.answers() or data["comment"].strip() or data["reply_text"].strip()):
        return request_page(request, foi_request, status=400, answers_form=form, problems=[
            "Nothing was entered: answer at least one question, or enter a comment or the "
            "reply text"])
    state = (RequestState.ANSWERED if form.complete else RequestState.PARTIALLY_ANSWERED).value
    try:
        saved = save_once(request, kind="foi.answers", write=lambda: actions_answers.record_answers(
            request=foi_request, received_on=data["received_on"], answers=form.answers(),
            comment=data["comment"], state=state, reply_text=data["reply_text"],
            by=who(request), confirmation_note=data["confirmation_note"]))
    except actions.FoiActionError as error:
        return request_page(request, foi_request_for(request, pk), status=400, answers_form=form,
                     problems=not_saved("The answers were not saved", error))
    if saved.already_saved:
        messages.info(request, "These answers were already saved: they were not recorded again.")
        return _back(foi_request, "#response")
    foi_request.refresh_from_db()
    messages.success(request, "Answers saved; the request is now: "
                              f"{foi_request.get_state_display()}. {TO_CHECK}")
    return _back(foi_request, "#response")
