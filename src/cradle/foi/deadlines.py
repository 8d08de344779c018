"""Statutory response deadlines for FOI requests (pure: no Django, no network).

Freedom of Information Act 2000 (``Regime.FOIA``), s10(1): a public authority must comply
"not later than the twentieth working day following the date of receipt". s10(6): a working day
is any day other than a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday under
the Banking and Financial Dealings Act 1971 *in any part of the United Kingdom*, so a bank holiday
in Scotland or Northern Ireland alone also stops the clock for an English authority.

Freedom of Information (Scotland) Act 2002 (``Regime.FOISA``), s10(1) and s73: 20 working days
after receipt, where a working day is any day other than a Saturday, a Sunday, Christmas Day or
a bank holiday in Scotland under the 1971 Act (see ``FOISA_BANK_HOLIDAYS`` and ADR 0004).

Counting: the day of receipt is day 0, whatever day it is (a Saturday or a bank holiday too);
day 1 is the first working day after it. So a request received on a Saturday and one received
the Friday before share day 1, the Monday (or the next working day).

Restarting the clock: when an authority asks for clarification (FOIA s1(3), FOISA s1(3)), the
"date of receipt" becomes the day the clarification arrives (FOIA s10(6); FOISA s10(1)(b)).
Restarting therefore means calling ``due_date`` with that day; ``restarted_due_date`` does it.

Every date the count looks at must fall in the years the shipped bank holiday data covers;
otherwise ``HolidayDataError`` is raised rather than silently ignoring holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache

from cradle.foi.holidays import (
    DIVISIONS,
    SCOTLAND,
    HolidayCalendar,
    HolidayDataError,
    load,
)

__all__ = [
    "FOIA_BANK_HOLIDAYS",
    "FOISA_BANK_HOLIDAYS",
    "LONG_OVERDUE_WORKING_DAYS",
    "STATUTORY_WORKING_DAYS",
    "HolidayDataError",
    "HolidayRule",
    "Regime",
    "due_date",
    "easter_sunday",
    "is_working_day",
    "long_overdue_date",
    "non_working_reason",
    "restarted_due_date",
    "working_days_between",
]

STATUTORY_WORKING_DAYS = 20
LONG_OVERDUE_WORKING_DAYS = 40
ONE_DAY = timedelta(days=1)


class Regime(StrEnum):
    FOIA = "foia"  # Freedom of Information Act 2000 (England, Wales, Northern Ireland, UK-wide)
    FOISA = "foisa"  # Freedom of Information (Scotland) Act 2002


@dataclass(frozen=True)
class HolidayRule:
    """Which shipped bank holidays are not working days under a regime.

    ``divisions``: the GOV.UK divisions whose bank holidays count.
    ``ignored``: holiday names (without "(substitute day)") in those divisions that count as
    working days anyway. ``borrowed``: (division, name) pairs from other divisions that count too.
    """

    divisions: tuple[str, ...]
    ignored: frozenset[str] = frozenset()
    borrowed: frozenset[tuple[str, str]] = frozenset()


#: FOIA s10(6): a bank holiday in any part of the United Kingdom.
FOIA_BANK_HOLIDAYS = HolidayRule(divisions=DIVISIONS)

#: The Scottish open point, decided in docs/adr/0004-foi-deadlines.md. FOISA s73 excludes "a
#: bank holiday in Scotland under the Banking and Financial Dealings Act 1971". We read that as
#: every day GOV.UK lists for Scotland: the days in Schedule 1 (1 and 2 January, Good Friday,
#: first Mondays of May and August, St Andrew's Day, Christmas Day) *and* the days appointed for
#: Scotland each year by Royal Proclamation under s1(3) of the Act (Boxing Day, the late May
#: Monday, substitute days, one-off days). Easter Monday is not a bank holiday in Scotland, so it
#: is a FOISA working day. To change the decision, change this one value, e.g.
#:   narrower (Schedule 1 only):  ignored=frozenset({"Spring bank holiday", "Boxing Day"})
#:   wider (Easter Monday too):   borrowed=frozenset({("england-and-wales", "Easter Monday")})
FOISA_BANK_HOLIDAYS = HolidayRule(divisions=(SCOTLAND,))

REGIME_BANK_HOLIDAYS = {Regime.FOIA: FOIA_BANK_HOLIDAYS, Regime.FOISA: FOISA_BANK_HOLIDAYS}


def _regime(regime: Regime | str) -> Regime:
    try:
        return Regime(regime)
    except ValueError:
        choices = ", ".join(r.value for r in Regime)
        raise ValueError(f"unknown FOI regime {regime!r} (expected one of: {choices})") from None


def _day(value: date, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holiday_names(calendar: HolidayCalendar, rule: HolidayRule) -> dict[date, str]:
    names: dict[date, list[str]] = {}
    for holiday in calendar.holidays:
        base = holiday.base_names
        counted = (
            (holiday.division in rule.divisions and not set(base) <= rule.ignored)
            or any((holiday.division, name) in rule.borrowed for name in base)
        )
        if counted:
            label = f"{holiday.name} ({holiday.division})"
            names.setdefault(holiday.day, []).append(label)
    return {day: "; ".join(labels) for day, labels in names.items()}


@cache
def _bank_holidays(regime: Regime) -> dict[date, str]:
    return _holiday_names(load(), REGIME_BANK_HOLIDAYS[regime])


def non_working_reason(day: date, regime: Regime | str) -> str | None:
    """Why ``day`` is not a working day under ``regime`` (None if it is one)."""
    regime = _regime(regime)
    day = _day(day, "day")
    load().check_covers(day)
    if day.weekday() == 5:
        return "Saturday"
    if day.weekday() == 6:
        return "Sunday"
    if (day.month, day.day) == (12, 25):
        return "Christmas Day"
    if regime is Regime.FOIA and day == easter_sunday(day.year) - 2 * ONE_DAY:
        return "Good Friday"
    return _bank_holidays(regime).get(day)


def is_working_day(day: date, regime: Regime | str) -> bool:
    """Whether ``day`` is a working day under ``regime``; raises outside the holiday data."""
    return non_working_reason(day, regime) is None


def due_date(
    received: date, regime: Regime | str, working_days: int = STATUTORY_WORKING_DAYS
) -> date:
    """The ``working_days``-th working day following the day of receipt."""
    regime = _regime(regime)
    day = _day(received, "received")
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise ValueError(f"working_days must be a positive whole number, not {working_days!r}")
    counted = 0
    while counted < working_days:
        day += ONE_DAY
        if is_working_day(day, regime):
            counted += 1
    return day


def long_overdue_date(received: date, regime: Regime | str) -> date:
    """The 40th working day following receipt, when a request counts as long overdue."""
    return due_date(received, regime, LONG_OVERDUE_WORKING_DAYS)


def restarted_due_date(clarification_received: date, regime: Regime | str) -> date:
    """The deadline after the clock restarts: 20 working days from the clarification's receipt."""
    return due_date(clarification_received, regime)


def working_days_between(start: date, end: date, regime: Regime | str) -> int:
    """Working days after ``start`` up to and including ``end``.

    ``working_days_between(received, due_date(received, r), r) == 20``. Overdue by
    ``working_days_between(due, today, r)`` working days; if ``end`` is before ``start`` the
    count is negative (``working_days_between(today, due, r)`` are left). Zero if equal.
    """
    regime = _regime(regime)
    start = _day(start, "start")
    end = _day(end, "end")
    if end < start:
        return -working_days_between(end, start, regime)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, regime):
            count += 1
    return count
