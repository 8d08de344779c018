"""Personal census links: a signature over the invitation's id and version, nothing stored.

`django.core.signing` with a salt of the census's own, so no other signed value of Cradle (a
password reset, a session) can pass for a link, nor a link for one of them. A link names one
invitation, hence one service; revoking or replacing it bumps the version, so the old
signature no longer matches. Whether it has expired, been used or revoked is the invitation's
business (`link_problem`), and each case is said in words to the person who opens it.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.urls import reverse

from .models import Invitation

SALT = "cradle.census.link"
# The session key the link's page keeps the invitation under after the link is opened, so the
# token leaves the address bar (and the Referer, and later log lines) at once.
SESSION_KEY = "census_invitation"

UNKNOWN, REPLACED, REVOKED, EXPIRED, ANSWERED = (
    "unknown", "replaced", "revoked", "expired", "answered")
PROBLEM_WORDS = {
    UNKNOWN: "This link is not a census link Cradle sent, or it has been copied incompletely. "
             "Check the whole link from your email, or ask the census coordinator for a new "
             "one.",
    REPLACED: "This link has been replaced by a newer one. Use the link in the most recent "
              "email about the census.",
    REVOKED: "This link has been withdrawn by the census coordinator. Ask them for a new one "
             "if you still need to answer.",
    EXPIRED: "This link has expired: the census it was for has closed. Ask the census "
             "coordinator if you still need to answer.",
    ANSWERED: "This link has been used: the census answer was sent. Thank you. Ask the census "
              "coordinator if something needs correcting.",
}


def token_for(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.version], salt=SALT, compress=False)


def answer_url(invitation: Invitation) -> str:
    return reverse("census:open-link", args=[token_for(invitation)])


def invitation_for(token: str) -> tuple[Invitation | None, str]:
    """The invitation a token names, or None with the reason (UNKNOWN or REPLACED)."""
    try:
        pk, version = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None, UNKNOWN
    invitation = Invitation.objects.select_related("round", "service").filter(pk=pk).first()
    if invitation is None:
        return None, UNKNOWN
    if invitation.version != version:
        return None, REVOKED if invitation.revoked_at else REPLACED
    return invitation, ""


def link_problem(invitation: Invitation, today: datetime.date) -> str:
    """"" if the link can be used today, else REVOKED, ANSWERED or EXPIRED."""
    if invitation.revoked_at:
        return REVOKED
    if invitation.submitted_at:
        return ANSWERED
    if today > invitation.expires_on:
        return EXPIRED
    return ""
