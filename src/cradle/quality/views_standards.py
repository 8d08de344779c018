"""Coordinators' pages for the standards sets: read a set, edit its standards and thresholds
while no review has started on it, publish it, and make a new version (standards.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs as home_breadcrumbs
from cradle.core.forms import error_list

from . import standards
from .forms import StandardForm, ThresholdsForm
from .models import FrozenSet, Route, Standard, StandardsSet

editors_only = require_permission(Permission.STANDARDS_EDIT)


def breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return home_breadcrumbs(("Quality standards", reverse("quality:sets")), *extra)


@editors_only
@require_GET
def sets(request):
    return render(request, "quality/sets.html", {
        "breadcrumbs": home_breadcrumbs(), "sets": StandardsSet.objects.all(),
        "current_set": standards.current_set()})


def _threshold_forms(standards_set: StandardsSet, bound: ThresholdsForm | None = None):
    forms = []
    for route, label in Route.choices:
        if bound is not None and bound.data.get(f"{route}-route") == route:
            forms.append((label, bound))
            continue
        values = standards_set.route_thresholds(route)
        initial = {"route": route, "has_thresholds": values is not None,
                   **{f"type_{n}": (values or {}).get(n) for n in (1, 2, 3)}}
        forms.append((label, ThresholdsForm(prefix=route, initial=initial)))
    return forms


def _set_page(request, standards_set: StandardsSet, *, bound=None, status=200):
    domains = standards_set.domains.prefetch_related("standards")
    return render(request, "quality/set.html", {
        "breadcrumbs": breadcrumbs(), "set": standards_set, "domains": domains,
        "frozen": standards_set.frozen, "threshold_forms": _threshold_forms(standards_set,
                                                                             bound),
        "errors": error_list(bound) if bound is not None else [],
        "reviews": standards_set.reviews.count()}, status=status)


@editors_only
@require_GET
def set_detail(request, set_pk: int):
    return _set_page(request, get_object_or_404(StandardsSet, pk=set_pk))


def _frozen(request, error: FrozenSet, standards_set: StandardsSet):
    messages.error(request, str(error))
    return redirect("quality:set", set_pk=standards_set.pk)


@editors_only
@require_POST
def thresholds(request, set_pk: int):
    standards_set = get_object_or_404(StandardsSet, pk=set_pk)
    route = request.POST.get("route-choice", "")
    if route not in Route.values:
        messages.error(request, "Choose a route to change.")
        return redirect("quality:set", set_pk=standards_set.pk)
    form = ThresholdsForm(request.POST, prefix=route)
    if not form.is_valid() or form.cleaned_data["route"] != route:
        return _set_page(request, standards_set, bound=form, status=400)
    try:
        standards.edit_thresholds(user=request.user, standards_set=standards_set, route=route,
                                  percentages=form.percentages())
    except FrozenSet as error:
        return _frozen(request, error, standards_set)
    messages.success(request, f"Thresholds of the {Route(route).label.lower()} route saved.")
    return redirect("quality:set", set_pk=standards_set.pk)


@editors_only
@require_POST
def new_version(request, set_pk: int):
    standards_set = get_object_or_404(StandardsSet, pk=set_pk)
    copy = standards.new_version(user=request.user, standards_set=standards_set)
    messages.success(request, f"Version {copy.version} made: edit it, then publish it. "
                              "Reviews already started keep the version they started on.")
    return redirect("quality:set", set_pk=copy.pk)


@editors_only
@require_POST
def publish(request, set_pk: int):
    standards_set = get_object_or_404(StandardsSet, pk=set_pk)
    try:
        standards.publish(user=request.user, standards_set=standards_set,
                          on=timezone.localdate())
    except FrozenSet as error:
        return _frozen(request, error, standards_set)
    messages.success(request, f"{standards_set} published: new reviews start on it.")
    return redirect("quality:set", set_pk=standards_set.pk)


@editors_only
@require_http_methods(["GET", "POST"])
def edit_standard(request, standard_pk: int):
    standard = get_object_or_404(Standard.objects.select_related("standards_set", "domain"),
                                 pk=standard_pk)
    standards_set = standard.standards_set
    frozen = standards_set.frozen
    form = StandardForm(request.POST or None, initial={
        name: getattr(standard, name) for name in standards.EDITABLE_FIELDS})
    if request.method == "POST":
        if frozen:
            return _frozen(request, FrozenSet(
                f"{standards_set} is in use by a review, so it cannot change. "
                f"{standards.NEW_VERSION_HINT}"), standards_set)
        if form.is_valid():
            try:
                changed = standards.edit_standard(user=request.user, standard=standard,
                                                  changes=form.cleaned_data)
            except FrozenSet as error:
                return _frozen(request, error, standards_set)
            messages.success(request, f"Standard {standard.code} saved." if changed else
                             "Nothing changed.")
            return redirect(reverse("quality:set", args=[standards_set.pk])
                            + f"#standard-{standard.pk}")
    return render(request, "quality/standard_edit.html", {
        "breadcrumbs": breadcrumbs((str(standards_set),
                                    reverse("quality:set", args=[standards_set.pk]))),
        "standard": standard, "set": standards_set, "frozen": frozen, "form": form,
        "errors": error_list(form) if form.is_bound else []},
        status=400 if form.is_bound else 200)
