"""Pages that correct or withdraw any record a team keeps (corrections.py does the work).

`/outcomes/records/<kind>/<pk>/edit/` shows the form the record was made with, filled in, plus
a reason; `/outcomes/records/<kind>/<pk>/withdraw/` asks for the reason only. The record is
looked up among the current records of the teams where the user holds `case_edit`, so another
team's record, or a withdrawn one, is a 404 (and the refused attempt is audited); the case's
read is audited as on every form page about it. A case's details are corrected on its own
page (`case-edit`), with the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs

from . import actions, corrections
from . import correction_forms as cf
from .forms import add_action_error, error_list
from .models import (
    Case,
    Contact,
    Episode,
    Feedback,
    MeasureAdministration,
    Referral,
    WorkforceActivity,
)
from .validation import InvalidRecord
from .views import case_crumbs, not_found


@dataclass(frozen=True)
class Kind:
    model: Any
    noun: str
    argument: str = ""
    form: Any = None
    change: Any = None
    arguments: Any = staticmethod(lambda form, record: form.action_arguments())
    aliases: Any = field(default=staticmethod(lambda form: {}))


KINDS = {
    "case": Kind(Case, "case"),
    "referral": Kind(Referral, "referral", "referral", cf.referral_form,
                     corrections.change_referral, cf.referral_arguments,
                     lambda form: form.action_aliases()),
    "episode": Kind(Episode, "episode of work", "episode", cf.episode_form,
                    corrections.change_episode),
    "contact": Kind(Contact, "contact", "contact", cf.contact_form, corrections.change_contact),
    "measure": Kind(MeasureAdministration, "measure", "measure", cf.measure_form,
                    corrections.change_measure, aliases=lambda form: {"subscales": "total"}),
    "feedback": Kind(Feedback, "feedback", "feedback", cf.feedback_form,
                     corrections.change_feedback,
                     aliases=lambda form: {"answers": form.question_names[0]}),
    "workforce": Kind(WorkforceActivity, "workforce activity", "activity", cf.workforce_form,
                      corrections.change_workforce_activity),
}


def _kind(name: str, *, editable: bool) -> Kind:
    kind = KINDS.get(name)
    if kind is None or (editable and kind.form is None):
        raise Http404("No such kind of record")
    return kind


def _record(user, kind: Kind, pk: int):
    """The current record, and its case (None for workforce activity), its read audited."""
    record = kind.model.objects.editable_by(user).current().filter(pk=pk).first()
    if record is None:
        raise not_found(user, kind.model._meta.label_lower, pk)
    _team_id, case = corrections.owner(record)
    if case is not None:
        actions.read_case(user=user, case=case)
    return record, case


def _back(record, case) -> str:
    if case is None:
        return reverse("outcomes:team-workforce", args=[record.team_id])
    return reverse("outcomes:case", args=[case.pk])


def _crumbs(record, case):
    if case is not None:
        return case_crumbs(case)
    return breadcrumbs(("Caseloads", reverse("outcomes:home")),
                       (record.team.name, reverse("outcomes:team", args=[record.team_id])),
                       ("Workforce activity", _back(record, case)))


def _page(request, template, *, form, kind, record, case, **context):
    return render(request, template, {
        "breadcrumbs": _crumbs(record, case), "form": form, "kind": kind, "record": record,
        "case": case, "back": _back(record, case),
        "caption": f"Case {case.team_reference}" if case else record.team.name,
        "errors": error_list(form) if form.is_bound else [], **context,
    }, status=400 if form.is_bound else 200)


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def record_edit(request, kind: str, pk: int):
    if kind == "case":
        return redirect("outcomes:case-edit", pk)
    name, kind = kind, _kind(kind, editable=True)
    record, case = _record(request.user, kind, pk)
    form = kind.form(record, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind.change(user=request.user, **{kind.argument: record},
                        reason=form.cleaned_data["reason"], **kind.arguments(form, record))
        except InvalidRecord as error:
            add_action_error(form, error, kind.aliases(form))
        else:
            messages.success(request, f"{kind.noun[:1].upper()}{kind.noun[1:]} corrected.")
            return redirect(_back(record, case))
    return _page(request, "outcomes/record_correct.html", form=form, kind=kind,
                 record=record, case=case, kind_name=name)


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def record_withdraw(request, kind: str, pk: int):
    name, kind = kind, _kind(kind, editable=False)
    record, case = _record(request.user, kind, pk)
    form = cf.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.withdraw(user=request.user, record=record,
                                 reason=form.cleaned_data["reason"])
        except InvalidRecord as error:
            add_action_error(form, error)
        else:
            messages.success(request, f"{kind.noun[:1].upper()}{kind.noun[1:]} withdrawn.")
            return redirect(_back(record, case))
    return _page(request, "outcomes/record_withdraw.html", form=form, kind=kind,
                 record=record, case=case, kind_name=name)
