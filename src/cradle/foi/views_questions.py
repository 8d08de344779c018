"""A campaign's own questions: building and editing them with their period (until the first
request is sent), and the guide to the responses CSV columns they give."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cradle.core.forms import error_list

from . import actions
from .forms_questions import PeriodForm, QuestionFormSet, question_initial
from .question_data import KIND_WORDS, column_guide
from .responses_csv import HEADER
from .views import breadcrumbs, campaign_visible_to, foi_managers_only, today, who


def _crumbs(campaign):
    return breadcrumbs((campaign.name, reverse("foi:campaign-detail", args=[campaign.pk])))


@foi_managers_only
@require_http_methods(["GET", "POST"])
def campaign_questions(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    questions = campaign.typed_questions
    frozen = campaign.questions_frozen
    problems = []
    period_initial = {"period_label": campaign.period_label,
                      "period_starts_on": campaign.period_starts_on,
                      "period_ends_on": campaign.period_ends_on}
    if request.method == "POST" and not frozen:
        period = PeriodForm(request.POST, prefix="period")
        formset = QuestionFormSet(request.POST, prefix="questions")
        if period.is_valid() and formset.is_valid():
            try:
                actions.set_questions(campaign=campaign, question_data=formset.question_data,
                                      by=who(request), on=today(), **period.cleaned_data)
            except actions.FoiActionError as error:
                problems.append(f"The questions were not saved: {error}")
            else:
                messages.success(request, "Questions saved; unsent letters are written again "
                                          "with them.")
                return redirect("foi:campaign-detail", campaign.pk)
    else:
        if request.method == "POST":
            problems.append("The questions were not saved: a request of this campaign has been "
                            "sent, so its questions and period are fixed")
        period = PeriodForm(prefix="period", initial=period_initial)
        formset = QuestionFormSet(prefix="questions", initial=question_initial(questions))
    errors = error_list(period, *formset.forms) if period.is_bound else []
    errors += [{"href": "#questions", "text": text} for text in formset.non_form_errors()]
    errors += [{"href": "#problems", "text": problem} for problem in problems]
    return render(request, "foi/campaign_questions.html", {
        "breadcrumbs": _crumbs(campaign),
        "campaign": campaign,
        "questions": questions,
        "kind_words": KIND_WORDS,
        "frozen": frozen,
        "period_form": period,
        "formset": formset,
        "problems": problems,
        "errors": errors,
    }, status=400 if errors else 200)


@foi_managers_only
@require_GET
def responses_columns(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    columns = column_guide(campaign.typed_questions)
    if campaign.uses_2019_analysis:
        # The 2019 file keeps its own order, with the area each row is about.
        by_name = {row[0]: row for row in columns} | {"area_code": (
            "area_code", "ODS code", "the 2019 CCG the answer describes; a known code")}
        columns = [by_name[name] for name in HEADER]
    return render(request, "foi/responses_columns.html", {
        "breadcrumbs": _crumbs(campaign),
        "campaign": campaign,
        "columns": columns,
    })
