"""Invitations and roles: every write is one of these small actions, each in one transaction.

An invitation's link carries a random token; only its SHA-256 hash is stored, so a copy of
the database cannot be used to accept an invitation. A link works once, for seven days.
The invitation email goes out only after the transaction commits (as FOI letters do).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission as ModelPermission
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action

from .models import CommissionerArea, Invitation, NetworkRole, TeamMembership, User
from .permissions import NETWORK_ROLES, ROLES, TEAM_ROLES

INVITATION_LIFETIME = datetime.timedelta(days=7)
COORDINATORS_GROUP = "Coordinators"
#: The apps whose records coordinators edit in the admin (the register and FOI campaigns).
COORDINATOR_ADMIN_APPS = ("directory", "foi")


class InvitationError(Exception):
    """An invitation that cannot be made or accepted; the message is for the person."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role(role: str, service, areas) -> None:
    if role not in ROLES:
        raise InvitationError(f"{role!r} is not a role")
    if role in TEAM_ROLES and service is None:
        raise InvitationError(f"A {ROLES[role].name.lower()} must belong to a team")
    if role == "commissioner" and not areas:
        raise InvitationError("A commissioner must be named for at least one area")


# Roles -----------------------------------------------------------------------------------

def coordinators_group() -> Group:
    """The admin group whose members edit the register and FOI records: every model
    permission of those apps, kept in step with their models each time it is used."""
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    group.permissions.set(ModelPermission.objects.filter(
        content_type__app_label__in=COORDINATOR_ADMIN_APPS))
    return group


@transaction.atomic
def give_admin_access(user: User) -> User:
    """Staff status and the Coordinators group: the admin for the register and FOI."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(coordinators_group())
    return user


@transaction.atomic
def grant_role(user: User, role: str, *, service=None, areas: Iterable = ()) -> User:
    """Give `user` the role: a team membership, a network role, or commissioner areas.
    Coordinators also get admin access for the register and FOI records."""
    areas = list(areas)
    _check_role(role, service, areas)
    if role in TEAM_ROLES:
        TeamMembership.objects.update_or_create(user=user, service=service,
                                                defaults={"role": role})
    elif role in NETWORK_ROLES:
        NetworkRole.objects.get_or_create(user=user, role=role)
    else:
        for area in areas:
            CommissionerArea.objects.get_or_create(user=user, area=area)
    if role == "coordinator":
        give_admin_access(user)
    return user


# Invitations -----------------------------------------------------------------------------

@transaction.atomic
def invite(*, email: str, role: str, service=None, areas: Iterable = (),
           invited_by: User | None, accept_url, now: datetime.datetime | None = None
           ) -> Invitation:
    """Record an invitation and email its one-time link once the transaction commits.

    `accept_url(token)` makes the absolute link. Any earlier invitation to the same address
    that is still waiting is expired, so only the newest link works.
    """
    now = now or timezone.now()
    email = User.objects.normalize_email(email).strip().lower()
    areas = list(areas)
    _check_role(role, service, areas)
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError("There is already an account for this email address")
    Invitation.objects.pending(now).filter(email__iexact=email).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email, role=role, service=service if role in TEAM_ROLES else None,
        invited_by=invited_by, token_hash=hash_token(token), created_at=now,
        expires_at=now + INVITATION_LIFETIME)
    if role == "commissioner":
        invitation.areas.set(areas)
    link = accept_url(token)
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation


def _pending_for_update(pk: int, now: datetime.datetime) -> Invitation:
    invitation = (Invitation.objects.select_for_update().pending(now).filter(pk=pk).first())
    if invitation is None:
        raise InvitationError("This invitation is no longer waiting: it was accepted, revoked "
                              "or has expired")
    return invitation


@transaction.atomic
def resend(*, pk: int, by: User, accept_url, now: datetime.datetime | None = None
           ) -> Invitation:
    """Send a waiting invitation again: a new link for the same address, role, team and
    areas, valid for a full lifetime; the old link stops working. Audited."""
    now = now or timezone.now()
    old = _pending_for_update(pk, now)
    new = invite(email=old.email, role=old.role, service=old.service, areas=old.areas.all(),
                 invited_by=by, accept_url=accept_url, now=now)
    recorder.record(actor=by, action=Action.CREATE, model_label="accounts.invitation",
                    object_id=new.pk, note=f"invitation {old.pk} sent again")
    return new


@transaction.atomic
def revoke(*, pk: int, by: User, now: datetime.datetime | None = None) -> Invitation:
    """Stop a waiting invitation's link working at once (it shows as expired). Audited."""
    now = now or timezone.now()
    invitation = _pending_for_update(pk, now)
    invitation.expires_at = now
    invitation.save(update_fields=["expires_at"])
    recorder.record(actor=by, action=Action.CHANGE, model_label="accounts.invitation",
                    object_id=invitation.pk, fields=["expires_at"], note="invitation revoked")
    return invitation


def _send_invitation(invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    EmailMessage(subject=subject, body=body, to=[invitation.email]).send()


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, used or not (None if there is none)."""
    if not token or len(token) > 100:
        return None
    return (Invitation.objects.select_related("service", "invited_by")
            .filter(token_hash=hash_token(token)).first())


def refusal(invitation: Invitation | None, now: datetime.datetime | None = None) -> str | None:
    """Why the invitation cannot be accepted, or None if it can."""
    now = now or timezone.now()
    if invitation is None:
        return "This invitation link is not valid. Check that you copied all of it."
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Sign in with the password you chose."
    if invitation.expires_at <= now:
        return "This invitation has expired. Ask the person who invited you to send a new one."
    if User.objects.filter(email__iexact=invitation.email).exists():
        return "There is already an account for this email address. Sign in instead."
    return None


@transaction.atomic
def accept(token: str, password: str, *, now: datetime.datetime | None = None) -> User:
    """Create the invitee's account with `password` (already validated) and grant the role.

    The invitation row is locked, so a link clicked twice at once makes one account."""
    now = now or timezone.now()
    invitation = (Invitation.objects.select_for_update()
                  .filter(token_hash=hash_token(token)).first())
    problem = refusal(invitation, now)
    if problem:
        raise InvitationError(problem)
    user = User.objects.create_user(invitation.email, password)
    grant_role(user, invitation.role, service=invitation.service,
               areas=invitation.areas.all())
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return user
