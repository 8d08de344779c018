"""Where each role starts after signing in: the page of its day's work.

A person with several roles lands on the first that applies, in this order: a team's
caseload (practitioners and team managers), the pooled report (analysts), FOI campaigns
(coordinators), their first area's planning profile (commissioners); otherwise their account.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from .access import signed_in
from .permissions import Permission


def landing_url(user) -> str:
    teams = sorted(user.team_ids(Permission.CASE_VIEW))
    if len(teams) == 1:
        return reverse("outcomes:team", args=[teams[0]])
    if teams:
        return reverse("outcomes:home")  # the team chooser
    roles = user.role_keys()
    if "analyst" in roles:
        return reverse("pooled:report")
    if "coordinator" in roles:
        return reverse("foi:campaign-list")
    area = (user.commissioner_areas.select_related("area").order_by("area__name", "area__pk")
            .first())
    if area is not None:
        return reverse("planning:area-profile", args=[area.area.scheme, area.area.code])
    return reverse("accounts:account")


@signed_in
@require_GET
def start(request):
    return redirect(landing_url(request.user))
