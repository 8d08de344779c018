"""A team's workforce activity: the training, consultation and supervision it gives others."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs
from cradle.core.submissions import save_once
from cradle.directory import vocabulary as directory_vocabulary

from . import actions
from .episode_forms import WorkforceActivityForm
from .forms import add_action_error, error_list
from .models import WorkforceActivity
from .validation import InvalidRecord
from .views import team_for

PROFESSION_LABELS = dict(directory_vocabulary.PROFESSIONS)


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def team_workforce(request, service_pk: int):
    """The team's activity list, and (for editors) the form to record another."""
    team = team_for(request.user, service_pk)
    can_edit = team.pk in request.user.team_ids(Permission.CASE_EDIT)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("recording workforce activity needs case_edit for the team")
    form = WorkforceActivityForm(request.POST or None) if can_edit else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            saved = save_once(request, kind="outcomes.workforce", write=lambda: (
                actions.record_workforce_activity(user=request.user, team=team,
                                                  **form.action_arguments())))
        except InvalidRecord as error:
            add_action_error(form, error)
        else:
            if saved.already_saved:
                messages.info(request, "Activity was already saved: it was not recorded again.")
            else:
                messages.success(request, "Activity recorded.")
            return redirect("outcomes:team-workforce", team.pk)
    activities = [
        {"activity": activity,
         "professions": [PROFESSION_LABELS.get(key, key)
                         for key in activity.audience_professions]}
        for activity in WorkforceActivity.objects.visible_to(request.user).current()
        .filter(team=team).order_by("-on", "-pk")
    ]
    bound = form is not None and form.is_bound
    return render(request, "outcomes/workforce.html", {
        "breadcrumbs": breadcrumbs(("Caseloads", reverse("outcomes:home")),
                                   (team.name, reverse("outcomes:team", args=[team.pk]))),
        "team": team, "form": form, "can_edit": can_edit, "activities": activities,
        "errors": error_list(form) if bound else [],
    }, status=400 if bound else 200)
