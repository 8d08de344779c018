"""Sending a waiting invitation again, and revoking it (the list is in views.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import invitations
from .access import require_permission
from .permissions import Permission


@require_permission(Permission.USER_MANAGE)
@require_POST
def resend(request, pk: int):
    try:
        invitation = invitations.resend(
            pk=pk, by=request.user, accept_url=lambda token: request.build_absolute_uri(
                reverse("accounts:accept-invitation", args=[token])))
    except invitations.InvitationError as problem:
        messages.error(request, f"The invitation was not sent again: {problem}.")
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}: the earlier "
                                  "link no longer works.")
    return redirect("accounts:invitations")


@require_permission(Permission.USER_MANAGE)
@require_POST
def revoke(request, pk: int):
    try:
        invitation = invitations.revoke(pk=pk, by=request.user)
    except invitations.InvitationError as problem:
        messages.error(request, f"The invitation was not revoked: {problem}.")
    else:
        messages.success(request, f"Invitation to {invitation.email} revoked: its link no "
                                  "longer works.")
    return redirect("accounts:invitations")
