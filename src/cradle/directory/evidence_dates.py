"""Evidence dates as sources give them, and what "confirmed on a date" means (plain data).

The register updates give each claim's newest evidence date as written by whoever read the
source: "2025-11-17", "2024-05", "2024 (article on Nov 2024 expansion)", "2020/21 (LGA case
study, pandemic period)", "c.2025 (job advert)", "n.d. (current service page)". A date is kept
at the precision given, as the first and last day it can mean, so nothing reads as more exact
than its source. No Django here, so the rules are tested with plain values.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

DAY, MONTH, YEAR, UNDATED = "day", "month", "year", "undated"

#: A claim confirms a service as operating on a date when its evidence falls wholly within
#: this many months before that date (ADR 0018 says why 24: commissioning rounds and PIF's
#: own counts run on one- to three-year cycles, and a shorter window leaves almost nothing
#: confirmed; a longer one calls 2021 pages confirmation of today).
CONFIRMATION_WINDOW_MONTHS = 24

_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), DAY),
    (re.compile(r"(\d{4})-(\d{2})"), MONTH),
    (re.compile(r"(\d{4})/(\d{2})"), "financial"),
    (re.compile(r"(?:c\.\s?)?(\d{4})"), YEAR),
)
_UNDATED = re.compile(r"n\.\s?d\.?")


@dataclass(frozen=True)
class EvidenceDate:
    """An evidence date at its own precision. `start` and `end` are the first and last day it
    can mean (None when undated); `words` is how a page says it."""

    text: str
    precision: str
    start: datetime.date | None
    end: datetime.date | None
    words: str

    @property
    def dated(self) -> bool:
        return self.precision != UNDATED


class EvidenceDateError(ValueError):
    pass


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_evidence_date(text: str) -> EvidenceDate:
    """Read an evidence date as the update writes it; anything else is an error, never a
    guess. A note in brackets after the date is kept in `text` only."""
    given = text.strip()
    head = given.split("(", 1)[0].strip()
    if _UNDATED.fullmatch(head) or (not head and given.startswith("n.d")):
        return EvidenceDate(given, UNDATED, None, None, "undated page")
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(head)
        if not match:
            continue
        numbers = [int(part) for part in match.groups()]
        try:
            if kind == DAY:
                day = datetime.date(*numbers)
                return EvidenceDate(given, DAY, day, day, f"{day.day} {day:%B %Y}")
            if kind == MONTH:
                start = datetime.date(numbers[0], numbers[1], 1)
                return EvidenceDate(given, MONTH, start, _month_end(*numbers),
                                    f"{start:%B %Y}")
        except ValueError as error:
            raise EvidenceDateError(f"{given!r} is not a real date") from error
        if kind == "financial":
            # "2020/21": the UK financial year, 1 April 2020 to 31 March 2021.
            first, second = numbers
            if second != (first + 1) % 100:
                raise EvidenceDateError(f"{given!r} is not a financial year like 2020/21")
            return EvidenceDate(given, YEAR, datetime.date(first, 4, 1),
                                datetime.date(first + 1, 3, 31), f"{first}/{second:02d}")
        year = numbers[0]
        words = f"about {year}" if head.startswith("c") else str(year)
        return EvidenceDate(given, YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                            words)
    raise EvidenceDateError(
        f"{given!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY, YYYY/YY, c.YYYY or n.d.)")


def months_before(on: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def confirms_on(start: datetime.date | None, end: datetime.date | None, on: datetime.date,
                months: int = CONFIRMATION_WINDOW_MONTHS) -> bool:
    """Does evidence dated between `start` and `end` confirm something on `on`? Only if all
    of it lies in the window: known by that date (end on or before it), and no older than the
    window (start within it). Undated evidence confirms nothing on any date."""
    if start is None or end is None:
        return False
    return months_before(on, months) <= start and end <= on
