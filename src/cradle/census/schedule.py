"""Who is reminded when, and what "overdue" means for a census round (plain data, no Django).

A service that has a link but has not answered is reminded every REMINDER_INTERVAL_DAYS after
its link was sent (or after its last reminder), while the round is open; a reminder is never
sent the day a link was. After the closing date its answer is overdue, and a last reminder is
sent at most once more, a week on (the link still works until it expires).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

REMINDER_INTERVAL_DAYS = 7
# Links work for this long after the round's closing date, so a late answer can still come in.
GRACE_DAYS = 28


@dataclass(frozen=True)
class LinkState:
    sent_on: datetime.date | None
    reminded_on: datetime.date | None
    answered: bool
    revoked: bool
    expires_on: datetime.date


def expires_on(closes_on: datetime.date) -> datetime.date:
    return closes_on + datetime.timedelta(days=GRACE_DAYS)


def is_overdue(state: LinkState, closes_on: datetime.date, today: datetime.date) -> bool:
    return state.sent_on is not None and not state.answered and not state.revoked \
        and today > closes_on


def reminder_due(state: LinkState, closes_on: datetime.date, today: datetime.date) -> bool:
    if state.sent_on is None or state.answered or state.revoked or today > state.expires_on:
        return False
    last = state.reminded_on or state.sent_on
    if state.reminded_on and state.reminded_on > closes_on:
        return False  # the one reminder after closing has gone
    return (today - last).days >= REMINDER_INTERVAL_DAYS
