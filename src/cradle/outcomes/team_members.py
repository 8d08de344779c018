"""The members of a team who can hold its contacts (the contact form's "Held by" choices, when
a contact is recorded and when it is corrected)."""

from cradle.accounts.models import User
from cradle.accounts.permissions import ROLES, TEAM_ROLES, Permission


def team_members(team):
    """The users who can record the team's cases: who can have held a contact."""
    roles = [key for key in TEAM_ROLES if Permission.CASE_EDIT in ROLES[key].permissions]
    return (User.objects.filter(is_active=True, team_memberships__service=team,
                                team_memberships__role__in=roles)
            .order_by("display_name", "email"))
