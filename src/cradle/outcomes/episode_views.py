"""Pages for episodes of work (open, close, interventions delivered) and episode feedback.

The same shape as views.py: look the record up among the records of the teams where the user
holds `case_edit` (`editable_by`, so another team's episode is a 404), audit the case read, and
write through `actions`.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission

from . import actions
from . import vocabulary as v
from .episode_forms import EpisodeCloseForm, EpisodeOpenForm, FeedbackForm, InterventionsForm
from .models import Episode
from .views import case_for, not_found, record_page


def episode_for(user, pk: int) -> Episode:
    episode = (Episode.objects.editable_by(user).current().select_related("case__team")
               .filter(pk=pk).first())
    if episode is None:
        raise not_found(user, Episode._meta.label_lower, pk)
    actions.read_case(user=user, case=episode.case)
    return episode


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def episode_open(request, pk: int):
    case = case_for(request.user, pk, Permission.CASE_EDIT, current=True)
    form = EpisodeOpenForm(request.POST or None,
                           referrals=case.referrals.current().order_by("-referred_on", "-pk"))
    return record_page(
        request, case=case, form=form, template="outcomes/episode_open.html",
        what="Episode", done="opened", once="outcomes.episode",
        write=lambda f: actions.open_episode(user=request.user, case=case, **f.cleaned_data))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def episode_close(request, pk: int):
    episode = episode_for(request.user, pk)
    if episode.ended_on is not None:  # an end recorded is corrected on the episode's page
        return redirect("outcomes:record-edit", "episode", episode.pk)
    form = EpisodeCloseForm(request.POST or None, started_on=episode.started_on)
    return record_page(
        request, case=episode.case, form=form, template="outcomes/episode_close.html",
        what="Episode", done="closed", context={"episode": episode},
        write=lambda f: actions.close_episode(user=request.user, episode=episode,
                                              **f.cleaned_data))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def episode_interventions(request, pk: int):
    episode = episode_for(request.user, pk)
    if episode.ended_on is not None:  # an ended episode's are corrected on its page
        return redirect("outcomes:record-edit", "episode", episode.pk)
    current = list(episode.interventions.values_list("intervention", flat=True))
    form = InterventionsForm(request.POST or None, initial={"interventions": current})
    return record_page(
        request, case=episode.case, form=form, template="outcomes/episode_interventions.html",
        what="Interventions", done="saved", context={"episode": episode},
        write=lambda f: actions.set_interventions(user=request.user, episode=episode,
                                                  **f.cleaned_data))


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def episode_feedback(request, pk: int, kind: str):
    if kind not in v.FEEDBACK_FORMS:
        raise Http404("No such feedback form")
    episode = episode_for(request.user, pk)
    form = FeedbackForm(request.POST or None, kind=kind, started_on=episode.started_on)
    return record_page(
        request, case=episode.case, form=form, template="outcomes/episode_feedback.html",
        what=dict(v.FEEDBACK_KINDS)[kind], context={"episode": episode, "kind": kind},
        aliases={"answers": form.question_names[0]}, once=f"outcomes.feedback.{kind}",
        write=lambda f: actions.record_feedback(user=request.user, episode=episode,
                                                **f.action_arguments()))
