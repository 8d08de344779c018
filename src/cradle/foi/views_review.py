"""The answers a campaign's coordinators have entered and a second one must check (ADR 0031):
the list, and checking or returning the chosen ones."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import actions, actions_answers
from .models import ResponseRecord, StructuredAnswer
from .question_data import answer_fields, format_cell
from .views import breadcrumbs, campaign_visible_to, foi_managers_only, who


def _ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


def review_counts(campaign) -> dict[str, int]:
    """How many of the campaign's answers are waiting to be checked, and checked."""
    model = ResponseRecord if campaign.uses_2019_analysis else StructuredAnswer
    answers = model.objects.for_campaign(campaign)
    return {"to_check": answers.to_check().count(), "checked": answers.checked().count()}


def _rows(campaign, user_name: str) -> list[dict]:
    rows = []
    if campaign.uses_2019_analysis:
        for record in (ResponseRecord.objects.for_campaign(campaign).to_check()
                       .select_related("area", "request__body").order_by("respondent_code",
                                                                         "area__name", "id")):
            rows.append({"kind": "response", "answer": record, "mine": record.entered_by ==
                         user_name, "about": record.area.name,
                         "who": record.request.body.name if record.request else
                         record.respondent_code})
        return rows
    fields = answer_fields(campaign.typed_questions)
    for answer in (StructuredAnswer.objects.for_campaign(campaign).to_check()
                   .select_related("request__body").order_by("request__body__name", "id")):
        rows.append({"kind": "answer", "answer": answer, "mine": answer.entered_by == user_name,
                     "who": answer.request.body.name,
                     "cells": [(field, format_cell(answer.answers.get(field.name)) or
                                "not answered") for field in fields]})
    return rows


def _page(request, campaign, *, status: int = 200, problems=(), reason: str = ""):
    return render(request, "foi/answers_to_check.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "rows": _rows(campaign, who(request)),
        "counts": review_counts(campaign),
        "problems": list(problems),
        "errors": [{"href": "#problems", "text": problem} for problem in problems],
        "reason": reason,
    }, status=status)


@foi_managers_only
@require_http_methods(["GET", "POST"])
def answers_to_check(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    if request.method == "GET":
        return _page(request, campaign)
    chosen = {"response_ids": _ids(request.POST.getlist("response")),
              "answer_ids": _ids(request.POST.getlist("answer"))}
    decision, reason = request.POST.get("decision"), request.POST.get("reason", "")
    try:
        if decision == "check":
            count = actions_answers.mark_checked(campaign=campaign, by=who(request), **chosen)
            done = "checked: they now count in the campaign's figures"
        elif decision == "return":
            count = actions_answers.return_for_correction(
                campaign=campaign, by=who(request), reason=reason, **chosen)
            done = "returned for correction: they count in no figure"
        else:
            raise actions.FoiActionError("choose whether to mark the answers checked or return "
                                         "them")
    except actions.FoiActionError as error:
        return _page(request, campaign, status=400, reason=reason,
                     problems=[f"Nothing was changed: {error}"])
    messages.success(request, f"{count} answer{'s' if count != 1 else ''} {done}.")
    return redirect("foi:answers-to-check", campaign.pk)
