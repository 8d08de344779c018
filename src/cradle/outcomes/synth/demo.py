"""Demo accounts for `make demo`: a practitioner in a synthetic team and a network analyst.

Only with CRADLE_DEBUG on (settings.DEBUG): the accounts are synthetic, but their passwords
and second-factor secrets are printed to the console, which is fine on a developer's machine
and nowhere else. Running it again changes nothing but the password and the recovery codes
(both printed again): the accounts, their roles and their authenticator secret stay, so an
authenticator app set up once keeps working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from cradle.accounts import invitations, two_factor
from cradle.accounts.models import AuthenticatorApp, NetworkRole, TeamMembership, User
from cradle.accounts.permissions import ROLES

from .loader import synthetic_teams

PRACTITIONER_EMAIL = "demo-practitioner@example.org"
ANALYST_EMAIL = "demo-analyst@example.org"


class DemoError(Exception):
    """Demo accounts cannot be made here; the message says why."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    team: str
    password: str
    totp_secret: str
    totp_uri: str
    recovery_codes: tuple[str, ...]


def _busiest_synthetic_team():
    team = (synthetic_teams().annotate(cases=Count("outcome_cases"))
            .order_by("-cases", "name").first())
    if team is None:
        raise DemoError("There are no synthetic teams: run cradle synth first")
    return team


def _account(email: str, role: str, team=None) -> DemoAccount:
    user = User.objects.filter(email__iexact=email).first()
    password = secrets.token_urlsafe(12)
    if user is None:
        user = User.objects.create_user(email, password)
    else:
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    # Exactly the one role, whatever an earlier run (or a --clear) left behind.
    TeamMembership.objects.filter(user=user).exclude(service=team).delete()
    NetworkRole.objects.filter(user=user).exclude(role=role).delete()
    invitations.grant_role(user, role, service=team)
    device = two_factor.confirmed_app(user)
    if device is None:
        device = AuthenticatorApp.new(user, two_factor.APP_DEVICE_NAME, confirmed=True)
    codes = two_factor.new_recovery_codes(user)
    return DemoAccount(email, ROLES[role].name, team.name if team else "all teams (network)",
                       password, two_factor.secret_text(device), device.config_url,
                       tuple(codes))


@transaction.atomic
def make_demo_accounts() -> list[DemoAccount]:
    """Create or refresh the demo practitioner (in the synthetic team with the most cases) and
    the demo analyst; return their credentials, for printing."""
    if not settings.DEBUG:
        raise DemoError("Demo accounts are made only with CRADLE_DEBUG=1 (a developer's "
                        "machine): their passwords are printed")
    team = _busiest_synthetic_team()
    return [_account(PRACTITIONER_EMAIL, "practitioner", team),
            _account(ANALYST_EMAIL, "analyst")]
