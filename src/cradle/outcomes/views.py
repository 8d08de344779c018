"""Pages for a team's own case records: the caseload, a case's timeline and the forms that
record referrals, contacts and measures.

Views are thin: writes go through `actions` (which validate, pseudonymise and audit), reads go
through `.visible_to(user)` narrowed to the teams where the user holds `case_view` (so an
analyst who is also in a team still sees only that team's references here), and a case page
calls `actions.read_case` so the read is audited; the caseload page records which cases it
listed (`actions.read_caseload`). Another team's case or caseload is a 404, and the refused
attempt is audited too (`not_found`).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs
from cradle.core.forms import confirmation_context, posted_confirmation
from cradle.core.submissions import save_once
from cradle.directory.models import Service

from . import actions, corrections
from .correction_forms import with_reason
from .forms import (
    CaseEditForm,
    CaseForm,
    ContactForm,
    DecisionForm,
    ReferralForm,
    add_action_error,
    error_list,
)
from .instruments import REGISTRY
from .measure_forms import InstrumentChoiceForm, MeasureForm
from .measures_due import due_by_case
from .models import Case, Contact, Episode, Referral
from .team_members import team_members
from .timeline_corrections import attach_corrections, case_corrections
from .validation import InvalidRecord, NeedsConfirmation

#: The did-not-attend rate looks back this many days.
DNA_WINDOW_DAYS = 90


def today() -> datetime.date:
    return timezone.localdate()


def _teams(user, permission: Permission = Permission.CASE_VIEW):
    return Service.objects.filter(pk__in=user.team_ids(permission)).order_by("name")


def not_found(user, model_label: str, pk: int) -> Http404:
    """The 404 for a record outside the user's scope, once the attempt is audited."""
    actions.refuse_read(user=user, model_label=model_label, object_id=pk)
    return Http404("No such record")


def team_for(user, service_pk: int, permission: Permission = Permission.CASE_VIEW) -> Service:
    if service_pk not in user.team_ids(permission):
        raise not_found(user, Service._meta.label_lower, service_pk)
    return get_object_or_404(Service, pk=service_pk)


def case_for(user, pk: int, permission: Permission = Permission.CASE_VIEW, *,
             current: bool = False) -> Case:
    """The case, its read audited; with `current`, a withdrawn case is not found (it can be
    read, but nothing more recorded on it)."""
    cases = Case.objects.visible_to(user).filter(team__in=user.team_ids(permission))
    if current:
        cases = cases.current()
    case = cases.select_related("team").filter(pk=pk).first()
    if case is None:
        raise not_found(user, Case._meta.label_lower, pk)
    return actions.read_case(user=user, case=case)


def _team_crumbs(team: Service) -> list[dict[str, str]]:
    return breadcrumbs(("Caseloads", reverse("outcomes:home")),
                       (team.name, reverse("outcomes:team", args=[team.pk])))


def case_crumbs(case: Case) -> list[dict[str, str]]:
    return [*_team_crumbs(case.team),
            {"text": f"Case {case.team_reference}",
             "href": reverse("outcomes:case", args=[case.pk])}]


# --------------------------------------------------------------------------------------------
# Caseloads
# --------------------------------------------------------------------------------------------

@require_permission(Permission.CASE_VIEW)
@require_GET
def home(request):
    teams = list(_teams(request.user))
    if len(teams) == 1:
        return redirect("outcomes:team", teams[0].pk)
    return render(request, "outcomes/home.html", {
        "breadcrumbs": breadcrumbs(), "teams": teams})


def caseload_figures(team: Service, user, on: datetime.date) -> dict:
    cases = Case.objects.visible_to(user).current().filter(team=team)
    open_episodes = Episode.objects.current().filter(case__in=cases, ended_on__isnull=True)

    open_cases = []
    for episode in open_episodes.select_related("case").order_by("started_on", "case__pk"):
        last_contact = (Contact.objects.current().filter(episode=episode).order_by("-on")
                        .values_list("on", flat=True).first())
        open_cases.append({"case": episode.case, "episode": episode,
                           "last_contact": last_contact})
    due = due_by_case(cases, on)
    measures_due = [{"case": case, "due": [{"item": item, "late": item.due.is_late(on)}
                                           for item in due[case.pk]]}
                    for case in cases.filter(pk__in=due).order_by("team_reference")]

    later_episode = Episode.objects.current().filter(case=OuterRef("case"),
                                           started_on__gte=OuterRef("referred_on"))
    waiting = [
        {"referral": referral, "case": referral.case, "days": (on - referral.referred_on).days}
        for referral in Referral.objects.current().filter(case__in=cases, decision="accepted")
        .exclude(Exists(later_episode)).select_related("case").order_by("referred_on", "pk")
    ]

    since = on - datetime.timedelta(days=DNA_WINDOW_DAYS)
    contacts = Contact.objects.current().filter(episode__case__in=cases, on__gte=since,
                                                on__lte=on)
    attended = contacts.filter(outcome="attended").count()
    did_not_attend = contacts.filter(outcome="did_not_attend").count()
    offered = attended + did_not_attend
    return {
        "open_cases": open_cases, "waiting": waiting, "measures_due": measures_due,
        "dna": {"since": since, "attended": attended, "did_not_attend": did_not_attend,
                "offered": offered,
                "rate": round(100 * did_not_attend / offered) if offered else None},
        "case_count": cases.count(),
    }


@require_permission(Permission.CASE_VIEW)
@require_GET
def team(request, service_pk: int):
    service = team_for(request.user, service_pk)
    figures = caseload_figures(service, request.user, today())
    actions.read_caseload(user=request.user, team=service, case_ids=[
        row["case"].pk for row in (*figures["open_cases"], *figures["waiting"],
                                   *figures["measures_due"])])
    return render(request, "outcomes/caseload.html", {
        "breadcrumbs": breadcrumbs(("Caseloads", reverse("outcomes:home"))),
        "team": service,
        "can_edit": service.pk in request.user.team_ids(Permission.CASE_EDIT),
        "dna_window": DNA_WINDOW_DAYS,
        **figures,
    })


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def case_new(request, service_pk: int):
    service = team_for(request.user, service_pk, Permission.CASE_EDIT)
    form = CaseForm(request.POST or None)
    warnings = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_once(request, kind="outcomes.case", write=lambda: actions.create_case(
                user=request.user, team=service, team_reference=data["team_reference"],
                nhs_number=data["nhs_number"].strip() or None,
                baby_birth_month=data["baby_birth_month"].strip() or None,
                birth_month_is_due_month=data["birth_month_is_due_month"],
                postcode=data["postcode_district"].strip() or None,
                confirmed=posted_confirmation(request)))
        except InvalidRecord as error:
            add_action_error(form, error)
        except NeedsConfirmation as warning:
            warnings = confirmation_context(warning.warnings)
        else:
            if saved.already_saved:
                messages.info(request, f"Case {data['team_reference']} was already saved: "
                                       "it was not created again.")
                return (redirect("outcomes:case", saved.object_id) if saved.object_id
                        else redirect("outcomes:team", service.pk))
            messages.success(request, f"Case {data['team_reference']} created.")
            return redirect("outcomes:case", saved.object_id)
    return render(request, "outcomes/case_new.html", {
        "breadcrumbs": _team_crumbs(service), "team": service, "form": form,
        "errors": error_list(form) if form.is_bound else [], **warnings,
    }, status=400 if form.errors else 200)


# --------------------------------------------------------------------------------------------
# A case's timeline
# --------------------------------------------------------------------------------------------

# Order of events on the same day.
EVENT_ORDER = {"referral": 0, "episode_start": 1, "contact": 2, "measure": 3, "feedback": 4,
               "episode_end": 5}


def timeline(case: Case, *, newest_first: bool = False) -> list[dict]:
    """The case's records in date order (oldest first, or newest first); on one day, in the
    order they happen (EVENT_ORDER), reversed with the rest when newest first."""
    events = []
    for referral in case.referrals.prefetch_related("caregivers", "risk_factors"):
        events.append({"kind": "referral", "on": referral.referred_on, "record": referral})
    episodes = list(case.episodes.prefetch_related("interventions"))
    for episode in episodes:
        events.append({"kind": "episode_start", "on": episode.started_on, "record": episode})
        if episode.ended_on:
            events.append({"kind": "episode_end", "on": episode.ended_on, "record": episode})
    for contact in Contact.objects.filter(episode__case=case).select_related("delivered_by"):
        events.append({"kind": "contact", "on": contact.on, "record": contact})
    for measure in case.measures.select_related("flag_review__reviewed_by"):
        events.append({"kind": "measure", "on": measure.administered_on, "record": measure})
    for episode in episodes:
        for feedback in episode.feedback.all():
            events.append({"kind": "feedback", "on": feedback.received_on, "record": feedback})
    events.sort(key=lambda e: (e["on"], EVENT_ORDER[e["kind"]], e["record"].pk),
                reverse=newest_first)
    return events


@require_permission(Permission.CASE_VIEW)
@require_GET
def case_detail(request, pk: int):
    case = case_for(request.user, pk)
    newest_first = request.GET.get("order") == "newest"
    events = timeline(case, newest_first=newest_first)
    attach_corrections(case, events)
    flagged = [e["record"] for e in events if e["kind"] == "measure" and e["record"].flags
               and e["record"].withdrawn_at is None]
    return render(request, "outcomes/case_detail.html", {
        "breadcrumbs": _team_crumbs(case.team), "case": case, "events": events,
        "flagged": flagged, "newest_first": newest_first,
        "can_edit": (case.team_id in request.user.team_ids(Permission.CASE_EDIT)
                     and case.withdrawn_at is None),
        "has_episodes": any(e["kind"] == "episode_start" and e["record"].withdrawn_at is None
                            for e in events),
        "case_corrections": case_corrections(case),
    })


# --------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------

def record_page(request, *, case, form, template, write, aliases=None, what: str,
                done: str = "recorded", context=None, once: str | None = None):
    """Validate the form, call the action, and show its refusal against the field at fault.

    `once` names a form that creates a record: it is saved once however often it is posted
    (core.submissions), and a repeat is told so. An action that raises NeedsConfirmation
    re-displays the form with its warnings to confirm; `form.confirmed` carries the posted
    confirmation for `write` to pass on as the action's `confirmed`.
    """
    warnings = {}
    form.confirmed = posted_confirmation(request)
    if request.method == "POST" and form.is_valid():
        try:
            if once:
                saved = save_once(request, kind=once, write=lambda: write(form))
            else:
                write(form)
        except InvalidRecord as error:
            add_action_error(form, error, aliases)
        except NeedsConfirmation as warning:
            warnings = confirmation_context(warning.warnings)
        else:
            if once and saved.already_saved:
                messages.info(request, f"{what} was already saved: it was not {done} again.")
            else:
                messages.success(request, f"{what} {done}.")
            return redirect("outcomes:case", case.pk)
    return render(request, template, {
        "breadcrumbs": case_crumbs(case), "case": case, "form": form,
        "errors": error_list(form) if form.is_bound else [], **warnings, **(context or {}),
    }, status=400 if form.errors else 200)


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def record_referral(request, pk: int):
    case = case_for(request.user, pk, Permission.CASE_EDIT, current=True)
    form = ReferralForm(request.POST or None)
    return record_page(
        request, case=case, form=form, template="outcomes/record_referral.html",
        what="Referral", aliases=form.action_aliases(), once="outcomes.referral",
        write=lambda f: actions.record_referral(user=request.user, case=case,
                                                **f.action_arguments()))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def record_contact(request, pk: int):
    case = case_for(request.user, pk, Permission.CASE_EDIT, current=True)
    form = ContactForm(request.POST or None,
                       episodes=case.episodes.current().order_by("-started_on"),
                       team_members=team_members(case.team),
                       initial={"delivered_by": request.user.pk})
    return record_page(
        request, case=case, form=form, template="outcomes/record_contact.html",
        what="Contact", aliases={}, once="outcomes.contact",
        write=lambda f: actions.record_contact(user=request.user, **f.action_arguments()))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def record_measure(request, pk: int):
    """Two steps: choose the measure (?instrument=), then its items (or total) for it."""
    case = case_for(request.user, pk, Permission.CASE_EDIT, current=True)
    code = request.GET.get("instrument", "")
    if code not in REGISTRY:
        choice = InstrumentChoiceForm(request.GET if "instrument" in request.GET else None)
        return render(request, "outcomes/record_measure_choose.html", {
            "breadcrumbs": case_crumbs(case), "case": case, "form": choice,
            "errors": error_list(choice) if choice.is_bound else [],
        }, status=400 if choice.is_bound or request.method == "POST" else 200)
    instrument = REGISTRY[code]
    form = MeasureForm(request.POST or None,
                       episodes=case.episodes.current().order_by("-started_on"),
                       instrument=instrument)
    return record_page(
        request, case=case, form=form, template="outcomes/record_measure.html",
        what=instrument.short_name, aliases=form.field_for, once="outcomes.measure",
        context={"instrument": instrument},
        write=lambda f: actions.record_measure(user=request.user, case=case,
                                               confirmed=f.confirmed,
                                               **f.action_arguments()))


# --------------------------------------------------------------------------------------------
# Changing what was recorded
# --------------------------------------------------------------------------------------------

@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = case_for(request.user, pk, Permission.CASE_EDIT, current=True)
    form = with_reason(CaseEditForm.for_case(case, request.POST or None))
    return record_page(
        request, case=case, form=form, template="outcomes/case_edit.html", what="Case",
        done="corrected", aliases={"nhs_number_pseudonym": "nhs_number",
                                   "postcode": "postcode_district"},
        write=lambda f: corrections.change_case(user=request.user, case=case,
                                                reason=f.cleaned_data["reason"],
                                                **f.action_arguments()))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def referral_decision(request, pk: int):
    referral = (Referral.objects.editable_by(request.user).current()
                .select_related("case__team").filter(pk=pk).first())
    if referral is None:
        raise not_found(request.user, Referral._meta.label_lower, pk)
    case = actions.read_case(user=request.user, case=referral.case)
    if referral.decision:  # a decision made is corrected on the referral's page
        return redirect("outcomes:record-edit", "referral", referral.pk)
    form = DecisionForm(request.POST or None, referred_on=referral.referred_on, initial={
        "decision": referral.decision, "decided_on": referral.decided_on or today()})
    return record_page(
        request, case=case, form=form, template="outcomes/referral_decision.html",
        what="Decision", context={"referral": referral},
        write=lambda f: actions.decide_referral(user=request.user, referral=referral,
                                                **f.cleaned_data))
