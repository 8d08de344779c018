"""The public side of a survey: answering it from its link, and its published results.

Answering needs no account and stores nothing about the person (docs/adr/0025): the page sets
one cookie holding a random token for this survey only, whose keyed hash is kept so that the
same browser cannot answer twice; the form carries the same token, so a browser that refuses
cookies is still kept from sending one form twice. Pages with the form are never cached.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from cradle.accounts.access import public
from cradle.core.forms import error_list

from . import actions
from .cookies import SURVEY_GUARD_COOKIE, SURVEY_GUARD_DAYS
from .forms import AnswerForm
from .models import SubmissionGuard, Survey, SurveyState
from .views import results_context, results_csv_response

GUARD_COOKIE, GUARD_DAYS = SURVEY_GUARD_COOKIE, SURVEY_GUARD_DAYS


def _guard_token(request) -> str:
    token = request.COOKIES.get(GUARD_COOKIE, "") or request.POST.get("guard", "")
    return token[:64] if len(token) >= 32 else ""


def _page(request, survey, template, context, *, status=200, token=""):
    response = render(request, template, {"survey": survey, **context}, status=status)
    if token and request.COOKIES.get(GUARD_COOKIE) != token:
        response.set_cookie(GUARD_COOKIE, token, max_age=GUARD_DAYS * 86400,
                            path=reverse("surveys:answer", kwargs={"token": survey.public_token}),
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                            samesite="Lax")
    add_never_cache_headers(response)
    return response


@public
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    survey = get_object_or_404(Survey, public_token=token[:64])
    if survey.state != SurveyState.OPEN:
        return _page(request, survey, "surveys/closed.html", {}, status=410 if
                     survey.state == SurveyState.CLOSED else 404)
    guard = _guard_token(request) or secrets.token_urlsafe(32)
    if SubmissionGuard.objects.filter(token_hash=actions.guard_hash(survey, guard)).exists():
        return _page(request, survey, "surveys/answered.html", {}, token=guard,
                     status=409 if request.method == "POST" else 200)
    questions = survey.question_list()
    form = AnswerForm(request.POST or None, questions=questions,
                      area_codes=actions.area_codes(questions))
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_response(survey=survey, answers=form.answers, guard_token=guard)
        except actions.AlreadyAnswered:
            return _page(request, survey, "surveys/answered.html", {}, status=409, token=guard)
        except actions.SurveyActionError:
            return _page(request, survey, "surveys/closed.html", {}, status=410)
        return _page(request, survey, "surveys/thanks.html", {}, token=guard)

    return _page(request, survey, "surveys/answer.html", {
        "form": form, "errors": error_list(form), "guard": guard},
        status=400 if request.method == "POST" else 200, token=guard)


def _published(pk: int) -> Survey:
    survey = Survey.objects.published().filter(pk=pk).first()
    if survey is None:
        raise Http404("No published results")
    return survey


@public
@require_GET
def public_results(request, pk: int):
    survey = _published(pk)
    return render(request, "surveys/results.html", {
        **results_context(request, survey), "public": True,
        "breadcrumbs": [{"text": "Home", "href": reverse("core:home")}],
        "csv_url": reverse("surveys:public-results-csv", kwargs={"pk": survey.pk})})


@public
@require_GET
def public_results_csv(request, pk: int):
    return results_csv_response(request, _published(pk))
