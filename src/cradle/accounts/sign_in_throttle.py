"""Throttling sign-in by account, with a progressive delay (the arithmetic: sign_in_delay).

Failures are counted per account, across every address, so guesses spread over many
addresses are counted together, and a colleague behind the same address, signing in to their
own account, is not affected. Nothing is locked for long: after the free failures each try
waits longer, up to 15 minutes.

So that someone cannot keep a colleague's account throttled by guessing at it, a browser that
has signed in to an account before carries a signed cookie naming it; its tries are counted on
their own (they still wait after repeated failures, so a stolen cookie buys an attacker nothing
but a second, equally slow, count).

An attempt is counted *before* the password is checked, under a lock (an UPDATE of its row,
as the audit log's head), so parallel guesses cannot all slip in under the limit; a right
password then clears the count. Typed addresses that have no account are counted the same
way, so the delay never tells whether an account exists.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import sign_in_delay
from .models import SignInFailures

KNOWN_BROWSER_COOKIE = "cradle_known_browser"
KNOWN_BROWSER_DAYS = 180
_SALT = "cradle.accounts.sign_in_throttle"


class TooManyFailures(Exception):
    def __init__(self, retry_at: datetime.datetime):
        super().__init__("too many failed sign-ins")
        self.retry_at = retry_at


def _hash(text: str) -> str:
    return salted_hmac(_SALT, text, algorithm="sha256").hexdigest()


def account_key(email: str) -> str:
    return _hash("account:" + email.strip().lower())


def key_for(request, email: str) -> str:
    """The count this attempt belongs to: the browser's own, when it has signed in to this
    account before, else the account's."""
    account = account_key(email)
    cookie = request.COOKIES.get(KNOWN_BROWSER_COOKIE, "")
    if cookie:
        try:
            known = signing.loads(cookie, salt=_SALT, max_age=datetime.timedelta(
                days=KNOWN_BROWSER_DAYS))
        except signing.BadSignature:
            known = None
        if isinstance(known, dict) and known.get("account") == account:
            return _hash(f"browser:{account}:{known.get('browser', '')}")
    return account


def claim_attempt(key: str, now: datetime.datetime | None = None) -> None:
    """Count one attempt, or refuse it (TooManyFailures) while the count must wait."""
    now = now or timezone.now()
    free = settings.SIGN_IN_FREE_FAILURES
    with transaction.atomic():
        SignInFailures.objects.get_or_create(key=key)
        # The UPDATE locks the row (PostgreSQL) or the database (SQLite) until commit.
        SignInFailures.objects.filter(key=key).update(failures=F("failures"))
        row = SignInFailures.objects.get(key=key)
        if sign_in_delay.forgotten(row.last_failure_at, now):
            row.failures = 0
        retry_at = sign_in_delay.next_try_at(row.failures, row.last_failure_at, free)
        if retry_at is not None and now < retry_at:
            raise TooManyFailures(retry_at)
        row.failures += 1
        row.last_failure_at = now
        row.save(update_fields=["failures", "last_failure_at"])


def clear(key: str, now: datetime.datetime | None = None) -> None:
    """A right password: the count starts again (and counts forgotten by now go, so the
    table does not grow with every address ever typed)."""
    now = now or timezone.now()
    SignInFailures.objects.filter(key=key).delete()
    SignInFailures.objects.filter(
        last_failure_at__lt=now - sign_in_delay.FORGET_AFTER).delete()


def forget_account(email: str) -> None:
    """The account's own count goes (a password reset: whoever reads its email may sign in)."""
    clear(account_key(email))


def remember_browser(response, email: str) -> None:
    """After a successful sign-in: this browser's later tries are counted on their own."""
    value = signing.dumps({"account": account_key(email), "browser": secrets.token_hex(16)},
                          salt=_SALT)
    response.set_cookie(KNOWN_BROWSER_COOKIE, value, max_age=KNOWN_BROWSER_DAYS * 86400,
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
