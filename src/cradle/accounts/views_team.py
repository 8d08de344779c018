"""A team's members, for the team's managers (and for coordinators, who manage users)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import require_permission
from .models import TeamMembership
from .permissions import Permission
from .views import breadcrumbs


@require_permission(Permission.TEAM_MANAGE)
@require_GET
def team_members(request, service_pk: int):
    # Another team's members are not "forbidden" but simply not there: a 404 reveals nothing.
    memberships = list(TeamMembership.objects.visible_to(request.user)
                       .filter(service_id=service_pk).select_related("user", "service")
                       .order_by("user__email"))
    if not memberships:
        raise Http404("No such team")
    return render(request, "accounts/team_members.html", {
        "breadcrumbs": breadcrumbs(),
        "service": memberships[0].service,
        "memberships": memberships,
    })
