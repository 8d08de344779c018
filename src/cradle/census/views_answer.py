"""Answering a census from a personal link: no account, one service only.

The emailed link (`/census/link/<token>/`) is opened once per visit: its invitation is kept in
the session and the browser is sent on to `/census/answer/`, so the token leaves the address
bar at once and appears in no later request, Referer or error log line. Everything the answer
page shows comes from that one invitation; an unusable link says why, and nothing else.
Every response here is `no-store`.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import public
from cradle.core.forms import error_list

from . import actions, links, register
from .forms import AnswerForm
from .models import Invitation

PROBLEM_KEY = "census_link_problem"
JUST_SENT_KEY = "census_just_sent"
# Status codes of an unusable link's page: a link that never was is not found; one that was
# and is no more is gone.
PROBLEM_STATUS = {links.UNKNOWN: 404}


@public
@never_cache
@require_http_methods(["GET"])
def open_link(request, token: str):
    invitation, problem = links.invitation_for(token)
    for key in (links.SESSION_KEY, PROBLEM_KEY, JUST_SENT_KEY):  # nothing of an earlier link
        request.session.pop(key, None)
    if invitation is None:
        request.session[PROBLEM_KEY] = problem
    else:
        request.session[links.SESSION_KEY] = [invitation.pk, invitation.version]
        actions.mark_opened(invitation)
    return redirect("census:answer")


def _invitation(request) -> tuple[Invitation | None, str]:
    kept = request.session.get(links.SESSION_KEY)
    if not kept:
        return None, request.session.get(PROBLEM_KEY, links.UNKNOWN)
    pk, version = kept
    invitation = Invitation.objects.select_related("round", "service").filter(pk=pk).first()
    if invitation is None:
        return None, links.UNKNOWN
    if invitation.version != version:
        return None, links.REVOKED if invitation.revoked_at else links.REPLACED
    return invitation, links.link_problem(invitation, timezone.localdate())


def _problem(request, problem: str):
    return render(request, "census/link_problem.html",
                  {"words": links.PROBLEM_WORDS[problem]},
                  status=PROBLEM_STATUS.get(problem, 410))


@public
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request):
    invitation, problem = _invitation(request)
    if problem == links.ANSWERED and request.session.get(JUST_SENT_KEY):
        return render(request, "census/answer_sent.html", {"invitation": invitation})
    if invitation is None or problem:
        return _problem(request, problem or links.UNKNOWN)
    draft = actions.start_answer(invitation)
    names = register.area_names(set(draft.values.get("coverage") or [])
                                | set(draft.register_before.get("coverage") or []))
    saved, errors = False, []
    if request.method == "POST":
        form = AnswerForm(request.POST, area_names=names)
        submit = request.POST.get("action") == "send"
        if form.is_valid():
            try:
                actions.save_answer(invitation=invitation, values=form.values(),
                                    confirmed_sections=form.confirmed(),
                                    respondent_role=form.cleaned_data["respondent_role"],
                                    submit=submit)
            except actions.CensusError as error:
                errors = [{"href": "#sections", "text": str(error).capitalize()}]
            else:
                if submit:
                    request.session[JUST_SENT_KEY] = True
                    return redirect("census:answer")
                saved = True
        errors = error_list(form) + errors
    else:
        form = AnswerForm(initial=AnswerForm.initial_from(
            draft.values, draft.confirmed_sections, draft.respondent_role, names),
            area_names=names)
    return render(request, "census/answer.html", {
        "invitation": invitation, "census_round": invitation.round,
        "service": invitation.service, "form": form, "errors": errors, "saved": saved,
        "area_names": sorted(names.items()),
    }, status=400 if errors else 200)
