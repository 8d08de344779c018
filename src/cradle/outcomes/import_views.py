"""Bulk import pages: a team uploads a CSV file or an XLSX workbook, sees every problem or a
dry-run preview, and confirms; the records are then written all or nothing.

Access: `case_edit` for the team in the URL (another team is a 404, as on the other outcomes
pages). The dry run writes nothing. Its checked records wait on the server (bulk/staging.py)
under a token bound to the user and team, with their SHA-256; the confirmation sends only the
token, everything is re-checked against the database inside the importing transaction, and a
staged import is written once however many times it is confirmed (bulk/writing.py).
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs
from cradle.core.forms import error_list
from cradle.directory.models import Service
from cradle.jobs import actions as jobs
from cradle.jobs.models import Job

from . import tasks
from . import vocabulary as v
from .bulk import staging, uploads
from .bulk.checks import check_sheets
from .bulk.columns import RECORD_TYPES, guide_rows
from .bulk.limits import (
    GUIDE_TEXT,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_WORKBOOK_ROWS,
    PARSE_SECONDS,
    Budget,
    estimated_rows,
    runs_in_request,
)
from .bulk.parsing import file_format, read_upload
from .bulk.plan import plan_import
from .bulk.problems import FileProblems
from .bulk.templates import csv_template, xlsx_template
from .bulk.words import imported_message, problems_message
from .bulk.writing import AlreadyImported, import_staged

SESSION_KEY = "outcomes_import"
PREVIEW_ROWS = 10


class ImportForm(forms.Form):
    file = forms.FileField(label="Spreadsheet file", error_messages={
        "required": "Choose a CSV or XLSX file to check", "empty": "The file is empty"})
    holds = forms.ChoiceField(
        required=False, widget=forms.RadioSelect, initial="referrals",
        label="If it is a CSV file, what does it hold?",
        help_text="A workbook (.xlsx) says this by its sheet names.",
        choices=[(kind.key, kind.label) for kind in RECORD_TYPES.values()])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_format(upload.name) is None:
            raise forms.ValidationError("The file must be a .csv or an .xlsx file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split "
                "it into several files")
        return upload


def _team(user, service_pk: int) -> Service:
    if service_pk not in user.team_ids(Permission.CASE_EDIT):
        raise Http404("No such team")
    return get_object_or_404(Service, pk=service_pk)


def _crumbs(team: Service) -> list[dict[str, str]]:
    return breadcrumbs(("Caseloads", reverse("outcomes:home")),
                       (team.name, reverse("outcomes:team", args=[team.pk])))


def _page(request, team, form, *, problems=(), status=200, notice: str = "",
          already_imported: str | None = None):
    errors = error_list(form) if form.is_bound else []
    if problems:
        errors.append({"href": "#problems", "text": problems_message(problems)})
    if notice:
        errors.append({"href": "#imported" if already_imported is not None else "#id_file",
                       "text": notice})
    return render(request, "outcomes/import.html", {
        "breadcrumbs": _crumbs(team), "team": team, "form": form, "errors": errors,
        "problems": problems, "already_imported": already_imported,
        "limits": GUIDE_TEXT, "max_rows": f"{MAX_ROWS:,}",
        "max_workbook_rows": f"{MAX_WORKBOOK_ROWS:,}",
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        "guides": [{"kind": kind, "rows": guide_rows(kind)} for kind in RECORD_TYPES.values()],
    }, status=status)


def _forget(request, token: str | None = None, *, owned: bool = False) -> None:
    """Delete the session's staged file (only if it is `token`, when given); `owned`: the
    user's import `token` is done with, so its file goes wherever the session has moved on."""
    staged = request.session.get(SESSION_KEY) or {}
    if owned:
        staging.discard(token)
    if token is not None and staged.get("token") != token:
        return
    request.session.pop(SESSION_KEY, None)
    if staged:
        staging.discard(staged.get("token", ""))


def _labels(pairs) -> dict[str, str]:
    return {pair[0]: pair[1] for pair in pairs}


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def import_page(request, service_pk: int):
    team = _team(request.user, service_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, team, form)
    if not form.is_valid():
        return _page(request, team, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    if not runs_in_request(upload.name, data):
        return _check_in_background(request, team, upload.name, data,
                                    form.cleaned_data["holds"])
    budget = Budget(seconds=PARSE_SECONDS)
    try:
        sheets = read_upload(upload.name, data, form.cleaned_data["holds"] or None, budget)
        checked = check_sheets(sheets, budget)
    except FileProblems as error:
        return _page(request, team, form, problems=error.problems, status=400)
    plan = plan_import(team, checked)
    if plan.problems:
        return _page(request, team, form, problems=plan.problems, status=400)
    _forget(request)
    token = staging.stage(plan.checked, user=request.user, team=team,
                          file_sha256=hashlib.sha256(data).hexdigest())
    request.session[SESSION_KEY] = {"team": team.pk, "token": token}
    referrers, decisions = _labels(v.REFERRER_TYPES), _labels(v.DECISIONS)
    reasons, modes = _labels(v.DISCHARGE_REASONS), _labels(v.CONTACT_MODES)
    outcomes = _labels(v.CONTACT_OUTCOMES)
    return render(request, "outcomes/import_preview.html", {
        "breadcrumbs": _crumbs(team), "team": team, "token": token, "counts": plan.counts,
        "rows_read": plan.checked.rows_read,
        "referrals": [{"row": r, "referrer": referrers[r.referrer_type],
                       "decision": decisions.get(r.decision, "Not yet"),
                       "new": r.reference in plan.new_cases}
                      for r in plan.checked.referrals[:PREVIEW_ROWS]],
        "episodes": [{"row": e, "ended": reasons.get(e.discharge_reason, ""),
                      "linked": index in plan.episode_referral}
                     for index, e in enumerate(plan.checked.episodes[:PREVIEW_ROWS])],
        "contacts": [{"row": c, "mode": modes[c.mode], "outcome": outcomes[c.outcome]}
                     for c in plan.checked.contacts[:PREVIEW_ROWS]],
        "measures": plan.checked.measures[:PREVIEW_ROWS],
        "held": plan.held_rows()[:PREVIEW_ROWS], "held_count": len(plan.held_rows()),
        "preview_rows": PREVIEW_ROWS, "warnings": plan.warnings,
    })


def _check_in_background(request, team, name: str, data: bytes, holds: str):
    """A file too large for the request: kept encrypted for a worker, which checks it as the
    dry run below does; the person watches the job's page (ADR 0020)."""
    _forget(request)
    job = jobs.start_job(
        kind=tasks.CHECK, by=request.user, subject_type="team", subject_id=team.pk,
        subject_label=team.name, total=None, phase="Waiting for a worker to check the file",
        params={"upload": uploads.keep(data), "name": name, "holds": holds or "",
                "file_sha256": hashlib.sha256(data).hexdigest(),
                "rows": estimated_rows(name, data)})
    return redirect("jobs:detail", job.pk)


def _checked_in_background(user, team, token: str) -> Job | None:
    """The background check that staged `token` for this user, if it was one: its import
    runs in the background too."""
    if not token:
        return None
    return Job.objects.of_kind(tasks.CHECK).about("team", team.pk).filter(
        started_by=user, result__token=token).first()


@require_permission(Permission.CASE_EDIT)
@require_POST
def import_confirm(request, service_pk: int):
    team = _team(request.user, service_pk)
    token = request.POST.get("token", "")
    if _checked_in_background(request.user, team, token) is not None:
        job = jobs.start_job(kind=tasks.CONFIRM, by=request.user, subject_type="team",
                             subject_id=team.pk, subject_label=team.name,
                             params={"token": token}, phase="Waiting for a worker to import")
        return redirect("jobs:detail", job.pk)
    try:
        counts = import_staged(user=request.user, team=team, token=token)
    except AlreadyImported as done:
        _forget(request, token, owned=True)
        return _page(request, team, ImportForm(), status=409, already_imported=(
            imported_message(done.counts) if done.counts else ""), notice=(
            "This file has already been imported: it was not imported again"))
    except staging.StagingError:
        _forget(request, token)
        return _page(request, team, ImportForm(), status=400, notice=(
            "There is no checked file waiting to be imported, or it has expired or changed: "
            "upload the file again"))
    except FileProblems as error:
        _forget(request, token)
        return _page(request, team, ImportForm(), problems=error.problems, status=400)
    _forget(request, token, owned=True)
    messages.success(request, imported_message(counts))
    return redirect("outcomes:team", team.pk)


@require_permission(Permission.CASE_EDIT)
@require_GET
def import_template_csv(request, service_pk: int, record_type: str):
    _team(request.user, service_pk)
    kind = RECORD_TYPES.get(record_type)
    if kind is None:
        raise Http404("No such template")
    response = HttpResponse(csv_template(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cradle-{kind.key}-template.csv"'
    return response


@require_permission(Permission.CASE_EDIT)
@require_GET
def import_template_xlsx(request, service_pk: int):
    _team(request.user, service_pk)
    response = HttpResponse(
        xlsx_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="cradle-import-template.xlsx"'
    return response
