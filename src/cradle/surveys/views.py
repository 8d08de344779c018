"""Coordinators' survey pages: the list, building a survey, its page (open, close, publish,
import a file) and its results with the free text (Permission.REGISTER_EDIT: surveys are part
of the mapping exercise that keeps the register true)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.core.forms import error_list
from cradle.core.spreadsheets import csv_bytes
from cradle.outcomes.bulk.problems import FileProblems

from . import actions, imports, reports
from .forms import ResponsesFileForm, SurveyForm
from .models import FreeTextAnswer, Survey
from .questions import shipped_sets
from .results import CSV_HEADER, csv_rows

coordinators_only = require_permission(Permission.REGISTER_EDIT)


def breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), ("Surveys", reverse("surveys:list")), *extra]
    return [{"text": text, "href": href} for text, href in items]


def set_choices() -> list[tuple[str, str]]:
    return [(f"{key}.v{version}", qs.label) for (key, version), qs in shipped_sets().items()]


@coordinators_only
@require_GET
def survey_list(request):
    return render(request, "surveys/list.html", {
        "breadcrumbs": breadcrumbs()[:1], "surveys": Survey.objects.all(),
        "sets": shipped_sets().values()})


@coordinators_only
@require_http_methods(["GET", "POST"])
def survey_new(request):
    sets = {f"{key}.v{version}": qs for (key, version), qs in shipped_sets().items()}
    chosen = request.POST.get("set") or request.GET.get("set") or next(iter(sets))
    question_set = sets.get(chosen)
    if question_set is None:
        raise Http404("No such question set")
    form = SurveyForm(request.POST or None, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        survey = actions.create_survey(user=request.user, name=form.cleaned_data["name"],
                                       year=form.cleaned_data["year"],
                                       question_set=question_set,
                                       question_ids=form.cleaned_data["questions"])
        messages.success(request, "Survey created. Open it when you are ready for answers.")
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/new.html", {
        "breadcrumbs": breadcrumbs(), "form": form, "errors": error_list(form),
        "question_set": question_set, "chosen": chosen, "set_choices": set_choices()},
        status=400 if request.method == "POST" else 200)


def _detail(request, survey: Survey, *, upload=None, problems=(), staged=None, status=200):
    return render(request, "surveys/detail.html", {
        "breadcrumbs": breadcrumbs(), "survey": survey,
        "responses": survey.responses.count(),
        "public_url": request.build_absolute_uri(
            reverse("surveys:answer", kwargs={"token": survey.public_token})),
        "upload": upload or ResponsesFileForm(), "problems": problems, "staged": staged,
        "errors": error_list(upload) if upload else []}, status=status)


@coordinators_only
@require_GET
def survey_detail(request, pk: int):
    return _detail(request, get_object_or_404(Survey, pk=pk))


STATE_ACTIONS = {
    "open": (actions.open_survey, "The survey is open: share its link."),
    "close": (actions.close_survey, "The survey is closed: no more answers are taken."),
    "publish": (actions.publish_results, "The results are published."),
    "unpublish": (lambda **kw: actions.publish_results(**kw, published=False),
                  "The results are no longer published."),
}


@coordinators_only
@require_POST
def survey_state(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    action = STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse("Unknown action", status=400, content_type="text/plain")
    try:
        action[0](user=request.user, survey=survey)
    except actions.SurveyActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, action[1])
    return redirect("surveys:detail", pk=survey.pk)


@coordinators_only
@require_POST
def import_check(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    upload = ResponsesFileForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _detail(request, survey, upload=upload, status=400)
    data = upload.cleaned_data["file"].read(imports.MAX_BYTES + 1)
    name = upload.cleaned_data["file"].name
    questions = survey.question_list()
    try:
        rows = imports.check_rows(imports.read_rows(name, data), questions,
                                  area_codes=actions.area_codes(questions),
                                  today=timezone.localdate())
        staged = actions.stage_import(user=request.user, survey=survey, filename=name,
                                      file_sha256=hashlib.sha256(data).hexdigest(), rows=rows)
    except FileProblems as error:
        return _detail(request, survey, problems=[str(p) for p in error.problems], status=400)
    except actions.SurveyActionError as error:
        return _detail(request, survey, problems=[str(error)], status=409)
    return _detail(request, survey, staged=staged)


@coordinators_only
@require_POST
def import_confirm(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        staged, wrote = actions.confirm_import(user=request.user, survey=survey,
                                               token=request.POST.get("token", "")[:64])
    except actions.SurveyActionError as error:
        return _detail(request, survey, problems=[str(error)], status=400)
    if wrote:
        messages.success(request, f"Imported {staged.row_count} responses from "
                                  f"{staged.filename}.")
    else:
        messages.info(request, f"{staged.filename} was already imported.")
    return redirect("surveys:detail", pk=survey.pk)


def results_context(request, survey: Survey) -> dict:
    area = reports.chosen_area(survey, request.GET.get("area"))
    if request.GET.get("area") and area is None:
        raise Http404("No such area")
    results = reports.survey_results(survey, area)
    question = reports.area_question(survey)
    return {"survey": survey, "results": results, "charts": reports.charts(results),
            "comparisons": reports.comparisons(survey, results), "area": area,
            "area_question": question,
            # Every area of the scheme, answered from or not: a list of only those with answers
            # would tell which areas have one.
            "area_choices": reports.area_choices(question),
            "responses": survey.responses.count()}


@coordinators_only
@require_GET
def survey_results(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    context = results_context(request, survey)
    texts = {}
    for answer in FreeTextAnswer.objects.for_coordinators(survey):
        texts.setdefault(answer.question_id, []).append(answer.text)
    return render(request, "surveys/results.html", {
        **context, "breadcrumbs": breadcrumbs((survey.name, reverse(
            "surveys:detail", kwargs={"pk": survey.pk}))), "free_text": texts,
        "csv_url": reverse("surveys:results-csv", kwargs={"pk": survey.pk})})


def results_csv_response(request, survey: Survey) -> HttpResponse:
    context = results_context(request, survey)
    response = HttpResponse(csv_bytes(CSV_HEADER, csv_rows(context["results"])),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response


@coordinators_only
@require_GET
def survey_results_csv(request, pk: int):
    return results_csv_response(request, get_object_or_404(Survey, pk=pk))

