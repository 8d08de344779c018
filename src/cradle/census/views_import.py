"""Importing a round's answers collected elsewhere (ADR 0026): upload a file, see what it would
import or every problem in it, confirm; and the template of its columns. Coordinators only
(REGISTER_EDIT), as every census page that is not a respondent's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.core.forms import error_list
from cradle.core.spreadsheets import csv_bytes
from cradle.outcomes.bulk.problems import FileProblems

from . import import_actions, imports
from .actions import CensusError
from .forms import AnswersFileForm
from .models import CensusRound
from .views import coordinators_only, crumbs


def _page(request, census_round: CensusRound, *, upload=None, problems=(), staged=None,
          rows=(), status=200):
    return render(request, "census/import.html", {
        "census_round": census_round, "upload": upload or AnswersFileForm(),
        "errors": error_list(upload) if upload else [], "problems": problems,
        "staged": staged, "rows": rows, "guide": imports.column_guide(),
        "size_hint": f"Up to {imports.MAX_BYTES // (1024 * 1024)} MB and "
                     f"{imports.MAX_ROWS:,} services.",
        "breadcrumbs": crumbs((census_round.name, reverse("census:round",
                                                           args=[census_round.pk])))},
        status=status)


@coordinators_only
@require_http_methods(["GET", "POST"])
def import_answers(request, pk: int):
    """GET: the upload form and the column guide. POST: check the file and show what it would
    import (nothing is written to the answers until it is confirmed)."""
    census_round = get_object_or_404(CensusRound, pk=pk)
    if request.method == "GET":
        return _page(request, census_round)
    upload = AnswersFileForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, census_round, upload=upload, status=400)
    file = upload.cleaned_data["file"]
    try:
        staged, rows = import_actions.stage_import(
            user=request.user, census_round=census_round, filename=file.name,
            data=file.read(imports.MAX_BYTES + 1))
    except FileProblems as error:
        return _page(request, census_round, problems=[str(p) for p in error.problems],
                     status=400)
    except CensusError as error:
        return _page(request, census_round, problems=[str(error).capitalize()], status=409)
    return _page(request, census_round, staged=staged, rows=rows)


@coordinators_only
@require_POST
def import_confirm(request, pk: int):
    census_round = get_object_or_404(CensusRound, pk=pk)
    staged = import_actions.staged_import(user=request.user, census_round=census_round,
                                          pk=request.POST.get("import", ""))
    if staged is None:
        return _page(request, census_round, problems=["There is no checked file to import: "
                                                      "upload it again"], status=400)
    if staged.state == "imported":
        messages.info(request, f"{staged.filename} was imported already.")
        return redirect("census:round", census_round.pk)
    try:
        written = import_actions.import_answers(
            user=request.user, census_round=census_round, filename=staged.filename,
            data=bytes(staged.data))
    except FileProblems as error:
        return _page(request, census_round, problems=[str(p) for p in error.problems],
                     status=400)
    except CensusError as error:
        return _page(request, census_round, problems=[str(error).capitalize()], status=409)
    messages.success(request, f"Imported {len(written)} answer{'' if len(written) == 1 else 's'}"
                              f" from {staged.filename}: each waits for review below.")
    return redirect("census:round", census_round.pk)


@coordinators_only
@require_GET
def import_template(request, pk: int):
    """The columns an answers file takes, with one service's register values as an example."""
    census_round = get_object_or_404(CensusRound, pk=pk)
    response = HttpResponse(csv_bytes(imports.COLUMNS,
                                      import_actions.template_rows(census_round)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="census-{pk}-answers-'
                                       'template.csv"')
    return response
