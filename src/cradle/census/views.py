"""Coordinators' census pages: rounds, their dashboard and links, and reviewing answers.

Everything here needs REGISTER_EDIT (coordinators): a census changes the register.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.core.forms import error_list
from cradle.core.spreadsheets import csv_bytes
from cradle.geography.models import Nation
from cradle.jobs import actions as jobs

from . import actions, schedule, tasks
from .diff import ACCEPT, EDIT, REJECT
from .fields import parse_value
from .forms import RoundForm
from .models import Answer, AnswerState, CensusRound, Invitation, Suggestion, SuggestionState

coordinators_only = require_permission(Permission.REGISTER_EDIT)


def crumbs(*extra):
    return [{"text": "Census", "href": reverse("census:rounds")}] + [
        {"text": text, "href": href} for text, href in extra]


@coordinators_only
@require_http_methods(["GET", "POST"])
def rounds(request):
    form = RoundForm(request.POST or None, initial={"reply_to": request.user.email})
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            census_round = actions.open_round(
                name=data["name"], reference_date=data["reference_date"],
                closes_on=data["closes_on"], nation=data["nation"],
                teams_only=data["teams_only"], reply_to=data["reply_to"], by=request.user,
                today=timezone.localdate())
        except actions.CensusError as error:
            errors = [{"href": "#id_name", "text": f"The round was not opened: {error}"}]
        else:
            messages.success(request, f"Round opened: {census_round.invitations.count()} "
                                      "services to ask.")
            return redirect("census:round", census_round.pk)
    errors = error_list(form) + errors if request.method == "POST" else []
    listed = CensusRound.objects.annotate(services=Count("invitations"))
    return render(request, "census/rounds.html", {
        "rounds": listed, "form": form, "errors": errors,
        "breadcrumbs": [], "new_suggestions": _new_suggestions()},
        status=400 if errors else 200)


def _new_suggestions() -> int:
    return Suggestion.objects.filter(state=SuggestionState.NEW).count()


NATION_ORDER = [value for value, _ in Nation.choices]


def dashboard(census_round: CensusRound, today) -> list[dict]:
    """Per nation and in all: services asked, sent, opened, answered, reviewed, overdue."""
    counts: dict[str, Counter] = {}
    for invitation in census_round.invitations.select_related("service"):
        nation = invitation.service.nation
        state = actions.link_state(invitation)
        row = counts.setdefault(nation, Counter())
        row["asked"] += 1
        row["sent"] += invitation.sent_on is not None
        row["opened"] += invitation.opened_at is not None
        row["answered"] += invitation.submitted_at is not None
        row["overdue"] += schedule.is_overdue(state, census_round.closes_on, today)
        row["no_address"] += not invitation.email
    reviewed = Counter(census_round.answers.filter(state=AnswerState.REVIEWED)
                       .values_list("service__nation", flat=True))
    rows = []
    for nation in sorted(counts, key=NATION_ORDER.index):
        rows.append({"nation": nation, **counts[nation], "reviewed": reviewed[nation]})
    total = sum((Counter(counts[n]) for n in counts), Counter())
    rows.append({"nation": "All nations", **total, "reviewed": sum(reviewed.values())})
    return rows


@coordinators_only
@require_GET
def round_detail(request, pk: int):
    census_round = get_object_or_404(CensusRound, pk=pk)
    today = timezone.localdate()
    invitations = list(census_round.invitations.select_related("service", "answer"))
    for invitation in invitations:
        invitation.overdue = schedule.is_overdue(actions.link_state(invitation),
                                                 census_round.closes_on, today)
        invitation.answer_state = getattr(getattr(invitation, "answer", None), "state", "")
    return render(request, "census/round.html", {
        "census_round": census_round, "rows": dashboard(census_round, today),
        "invitations": invitations, "today": today,
        "to_review": census_round.answers.filter(state=AnswerState.SUBMITTED).count(),
        "breadcrumbs": crumbs()})


def _absolute(request):
    return request.build_absolute_uri("/")


def _start(request, census_round, kind, ids, noun):
    if not ids:
        messages.error(request, f"No {noun} to send: nothing was queued.")
        return redirect("census:round", census_round.pk)
    job = jobs.start_job(kind=kind, by=request.user, subject_type="census_round",
                         subject_id=census_round.pk, subject_label=census_round.name,
                         total=len(ids),
                         params={"invitations": ids, "on": timezone.localdate().isoformat(),
                                 "base": _absolute(request)})
    return redirect("jobs:detail", job.pk)


@coordinators_only
@require_POST
def send_links(request, pk: int):
    census_round = get_object_or_404(CensusRound, pk=pk)
    ids = list(census_round.invitations.unanswered().filter(sent_on__isnull=True)
               .exclude(email="").values_list("pk", flat=True))
    return _start(request, census_round, tasks.SEND, ids, "links")


@coordinators_only
@require_POST
def send_reminders(request, pk: int):
    census_round = get_object_or_404(CensusRound, pk=pk)
    today = timezone.localdate()
    ids = [i.pk for i in census_round.invitations.unanswered().exclude(email="")
           if schedule.reminder_due(actions.link_state(i), census_round.closes_on, today)]
    return _start(request, census_round, tasks.REMIND, ids, "reminders")


MAIL_MERGE_COLUMNS = ("service", "email", "link", "answer_by", "link_expires")


@coordinators_only
@require_POST
def mail_merge(request, pk: int):
    """A CSV of every link not yet sent, for a mail merge elsewhere; they count as sent."""
    census_round = get_object_or_404(CensusRound, pk=pk)
    rows = actions.mail_merge(census_round=census_round, on=timezone.localdate(),
                              by=request.user,
                              absolute=lambda path: _absolute(request).rstrip("/") + path)
    # Through the shared writer: a service name or address beginning "=" must not run as a
    # formula in the spreadsheet the coordinator opens it in.
    response = HttpResponse(
        csv_bytes(MAIL_MERGE_COLUMNS, [[row[name] for name in MAIL_MERGE_COLUMNS]
                                       for row in rows]),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="census-{pk}-mail-merge.csv"'
    return response


@coordinators_only
@require_POST
def invitation_change(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    what = request.POST.get("action", "")
    try:
        if what == "revoke":
            actions.revoke(invitation=invitation, by=request.user)
            messages.success(request, f"The link for {invitation.service.name} no longer works.")
        elif what == "reissue":
            actions.reissue(invitation=invitation, by=request.user)
            messages.success(request, f"A new link for {invitation.service.name} is ready to "
                                      "send; the old one no longer works.")
        elif what == "email":
            email = request.POST.get("email", "").strip()
            validate_email(email)
            actions.set_email(invitation=invitation, email=email, by=request.user)
            messages.success(request, f"Address saved for {invitation.service.name}.")
        else:
            messages.error(request, "Nothing was changed: choose what to do.")
    except actions.CensusError as error:
        messages.error(request, f"Nothing was changed: {error}.")
    except ValidationError:
        messages.error(request, "Nothing was changed: enter an email address like "
                                "name@example.org.")
    return redirect("census:round", invitation.round_id)


def _decisions(request, found) -> tuple[dict, list[dict]]:
    decisions, errors = {}, []
    for change in found:
        name = change.form_key
        decision = request.POST.get(f"decision-{name}", "")
        if decision not in (ACCEPT, EDIT, REJECT):
            errors.append({"href": f"#decision-{name}-accept",
                           "text": f"{change.field.label}: accept, edit or reject the change"})
            continue
        edited = None
        if decision == EDIT:
            try:
                edited = parse_value(change.field, request.POST.get(f"edited-{name}", ""))
            except ValueError as error:
                errors.append({"href": f"#edited-{name}",
                               "text": f"{change.field.label}: {error}"})
                continue
        decisions[change.key] = (decision, edited)
    return decisions, errors


@coordinators_only
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    answer = get_object_or_404(Answer.objects.select_related("round", "service"), pk=pk)
    found = actions.review_changes(answer) if answer.state == AnswerState.SUBMITTED else []
    errors = []
    if request.method == "POST":
        decisions, errors = _decisions(request, found)
        if not errors:
            try:
                facts = actions.accept_answer(answer=answer, decisions=decisions,
                                              by=request.user)
            except actions.CensusError as error:
                errors = [{"href": "#changes", "text": str(error).capitalize()}]
            else:
                messages.success(request, f"Review saved: {len(facts)} change"
                                          f"{'' if len(facts) == 1 else 's'} written to the "
                                          f"register; {answer.service.name} is confirmed on "
                                          f"{answer.round.reference_date:%-d %B %Y}.")
                return redirect("census:round", answer.round_id)
    return render(request, "census/review.html", {
        "answer": answer, "changes": found, "errors": errors, "posted": request.POST,
        "decisions": answer.decisions.all() if answer.state == AnswerState.REVIEWED else [],
        "breadcrumbs": crumbs((answer.round.name, reverse("census:round",
                                                           args=[answer.round_id])))},
        status=400 if errors else 200)
