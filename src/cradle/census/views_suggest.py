"""The public "tell us about a service" form, and the coordinators' queue of suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cradle.accounts.access import public, require_permission
from cradle.accounts.permissions import Permission
from cradle.core.forms import error_list
from cradle.directory.models import Service

from . import suggestions
from .forms import SuggestionForm
from .models import Suggestion, SuggestionState


@public
@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request):
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestions.submit(**form.cleaned_data)
        return redirect("census:suggest-thanks")
    errors = error_list(form) if request.method == "POST" else []
    return render(request, "census/suggest.html", {"form": form, "errors": errors},
                  status=400 if errors else 200)


@public
@require_GET
def suggest_thanks(request):
    return render(request, "census/suggest_thanks.html")


@require_permission(Permission.REGISTER_EDIT)
@require_GET
def queue(request):
    waiting = Suggestion.objects.filter(state=SuggestionState.NEW)
    decided = Suggestion.objects.exclude(state=SuggestionState.NEW)[:50]
    return render(request, "census/suggestions.html", {
        "waiting": waiting, "decided": decided,
        "breadcrumbs": [{"text": "Census", "href": reverse("census:rounds")}]})


@require_permission(Permission.REGISTER_EDIT)
@require_http_methods(["GET", "POST"])
def suggestion_detail(request, pk: int):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "accept":
                service = suggestions.accept(suggestion=suggestion, by=request.user)
                messages.success(request, f"{service.name} added to the register.")
            elif what == "duplicate":
                service = get_object_or_404(Service.objects.real(),
                                            pk=request.POST.get("service") or 0)
                suggestions.mark_duplicate(suggestion=suggestion, service=service,
                                           by=request.user)
                messages.success(request, f"Marked as {service.name}, already in the register.")
            elif what == "reject":
                suggestions.reject(suggestion=suggestion, by=request.user)
                messages.success(request, "Suggestion not added.")
            else:
                messages.error(request, "Nothing was changed: choose what to do.")
        except suggestions.SuggestionError as error:
            messages.error(request, f"Nothing was changed: {error}.")
        return redirect("census:suggestions")
    return render(request, "census/suggestion.html", {
        "suggestion": suggestion,
        "matches": suggestions.duplicates(suggestion)
        if suggestion.state == SuggestionState.NEW else [],
        "errors": error_list(),
        "breadcrumbs": [{"text": "Census", "href": reverse("census:rounds")},
                        {"text": "Suggested services", "href": reverse("census:suggestions")}]})
