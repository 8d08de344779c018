"""Find help near you: a postcode, district or place in, the services for it out.

The postcode is personal data (with a birth month it can narrow a family down), so it is
only ever posted (never in a URL, hence never in an access log or browser history), never
stored, cached, audited or logged, filtered from error reports, and the answer is marked
`no-store` (ADR 0019).
"""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import public

from . import words
from .answer import find_help as answer_for
from .answer import northern_ireland_on


class FindHelpForm(forms.Form):
    q = forms.CharField(max_length=100, strip=True,
                        error_messages={"required": words.ENTER_SOMETHING,
                                        "max_length": "Enter 100 characters or fewer"})


@public
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def find_help(request):
    context = {
        "breadcrumbs": [{"text": "Home", "href": reverse("core:home")}],
        "northern_ireland": northern_ireland_on(),
        "words": words,
    }
    status = 200
    # A GET never reads a query string: a postcode typed into the address bar would be in
    # the access log already, and answering it would invite links that carry postcodes.
    form = FindHelpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            answer = answer_for(form.cleaned_data["q"])
            context["answer"] = answer
            message = words.problem_in_words(answer.problem, postcode=answer.postcode,
                                             outside=answer.outside)
            if answer.suggestions:
                form.add_error("q", words.did_you_mean([p.name for p in answer.suggestions]))
                status = 400
            elif answer.problem in ("empty", "not-a-postcode", "unknown-postcode", "not-found"):
                form.add_error("q", message)
                status = 400
            else:
                context["notice"] = message
        else:
            status = 400
    context["form"] = form
    context["error_list"] = [{"href": "#q", "text": " ".join(errors)}
                             for errors in form.errors.values()]
    response = render(request, "finder/find_help.html", context, status=status)
    add_never_cache_headers(response)
    return response
