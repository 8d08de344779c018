"""How long a sign-in must wait after failed attempts: plain arithmetic, no Django.

Failures are counted per account, from any address. The first few are free (a mistyped
password); after that each further try must wait twice as long as the one before, from the
last failure, up to a ceiling: a steady guesser gets a few guesses an hour, and the owner of
the account is never shut out for long. Failures are forgotten after a quiet day.
"""

from __future__ import annotations

import datetime
import math

FIRST_WAIT = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(minutes=15)
FORGET_AFTER = datetime.timedelta(days=1)


def wait_after(failures: int, free_failures: int) -> datetime.timedelta:
    """The wait before the next try, after `failures` failures in a row."""
    if failures < free_failures:
        return datetime.timedelta(0)
    doublings = failures - free_failures
    if FIRST_WAIT * 2 ** min(doublings, 32) >= LONGEST_WAIT:
        return LONGEST_WAIT
    return FIRST_WAIT * 2 ** doublings


def next_try_at(failures: int, last_failure_at: datetime.datetime | None,
                free_failures: int) -> datetime.datetime | None:
    """When the next try is allowed (None: now)."""
    wait = wait_after(failures, free_failures)
    if last_failure_at is None or not wait:
        return None
    return last_failure_at + wait


def forgotten(last_failure_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    return last_failure_at is None or now - last_failure_at >= FORGET_AFTER


def minutes_to_wait(until: datetime.datetime, now: datetime.datetime) -> int:
    """Whole minutes, rounded up (never 0), for the message."""
    return max(1, math.ceil((until - now).total_seconds() / 60))
