"""The team's cases list (every case, not only the open ones) and a measure's flag review.

Reads go through `case_list.cases_for` (named queryset methods, scoped by `visible_to`), and
the list records which cases it showed (`actions.read_caseload`, listing "cases list"), like
the caseload. Another team's list is a 404, and the refused attempt is audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs
from cradle.core.forms import error_list

from . import actions
from .case_list import PAGE_SIZE, CaseFilterForm, cases_for, sort_headers
from .measures_due import due_by_case
from .models import Case
from .views import team_for, today


def _statuses(rows, due) -> dict[int, list[str]]:
    ids = [case.pk for case in rows]
    waiting = set(Case.objects.filter(pk__in=ids).waiting().values_list("pk", flat=True))
    flagged = set(Case.objects.filter(pk__in=ids).with_unreviewed_flags()
                  .values_list("pk", flat=True))
    statuses = {}
    for case in rows:
        found = []
        if case.pk in waiting:
            found.append("Waiting")
        if case.open_episode_started:
            found.append("Open")
        elif case.latest_start:
            found.append("Discharged")
        if not found:
            found.append("No episode yet")
        if case.pk in due:
            found.append("Measures due")
        if case.pk in flagged:
            found.append("Flags to review")
        statuses[case.pk] = found
    return statuses


@require_permission(Permission.CASE_VIEW)
@require_GET
def team_cases(request, service_pk: int):
    service = team_for(request.user, service_pk)
    form = CaseFilterForm(request.GET or None)
    chosen = form.filters()
    on = today()
    cases = cases_for(team=service, user=request.user, today=on, **chosen)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    due = due_by_case(Case.objects.filter(pk__in=[case.pk for case in rows]), on)
    statuses = _statuses(rows, due)
    actions.read_caseload(user=request.user, team=service, case_ids=[c.pk for c in rows],
                          listing="cases list")
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    filtered = bool(chosen["ref"] or chosen["status"] or chosen["only"])
    return render(request, "outcomes/case_list.html", {
        "breadcrumbs": breadcrumbs(("Caseloads", reverse("outcomes:home")),
                                   (service.name, reverse("outcomes:team", args=[service.pk]))),
        "team": service, "form": form, "page": page,
        "rows": [{"case": case, "statuses": statuses[case.pk]} for case in rows],
        "errors": error_list(form) if form.is_bound and not form.is_valid() else [],
        "headers": sort_headers(chosen["sort"]), "filters_query": query.urlencode(),
        "filtered": filtered, "searched": chosen["ref"],
        "total": Case.objects.visible_to(request.user).current().for_team(service).count(),
    })
