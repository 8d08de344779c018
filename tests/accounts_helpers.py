"""Synthetic users with roles, signed in through the real session and OTP machinery."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from cradle.accounts.models import AuthenticatorApp, NetworkRole, TeamMembership, User


def make_user(email: str, *, network_role: str | None = None, team=None,
              team_role: str = "practitioner") -> User:
    user = User.objects.create_user(email=email, password="correct horse battery staple 42")
    if network_role:
        NetworkRole.objects.create(user=user, role=network_role)
    if team is not None:
        TeamMembership.objects.create(user=user, service=team, role=team_role)
    return user


def sign_in(client: Client, user: User, *, verified: bool = True) -> Client:
    """Sign in; `verified` also completes the second factor with a confirmed TOTP device."""
    client.force_login(user)
    if verified:
        device = AuthenticatorApp.new(user, "test authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
