"""Reading one spreadsheet cell (pure): text from a CSV file, or the typed value openpyxl gives
for an XLSX cell (numbers, dates, booleans). Each reader returns None for a blank cell and
raises `CellError` with a message saying what to give; messages never repeat the value."""

from __future__ import annotations

import datetime
import math
import re

from .limits import MAX_NUMBER, MIN_YEAR


class CellError(ValueError):
    pass


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
NOT_KNOWN = {"", "not known", "unknown"}


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """The cell as stripped text ("" when blank); a whole number typed into a cell that a
    spreadsheet stored as a number comes back without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _plausible(day: datetime.date) -> datetime.date:
    if day.year < MIN_YEAR:
        raise CellError(f"the year is out of range: give a date from {MIN_YEAR} on, as "
                        "YYYY-MM-DD")
    return day


def date(value) -> datetime.date | None:
    """YYYY-MM-DD (or DD/MM/YYYY as UK spreadsheets show it), or a date cell, from MIN_YEAR
    on (the future is the rules' to refuse)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _plausible(value.date())
    if isinstance(value, datetime.date):
        return _plausible(value)
    raw = text(value)
    match = _ISO_DATE.fullmatch(raw)
    parts = (match[1], match[2], match[3]) if match else None
    if parts is None:
        match = _UK_DATE.fullmatch(raw)
        parts = (match[3], match[2], match[1]) if match else None
    if parts is None:
        raise CellError("give a date as YYYY-MM-DD, for example 2025-03-14")
    try:
        day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError("there is no such date: give a real date as YYYY-MM-DD") from None
    return _plausible(day)


def month(value) -> str | datetime.date | None:
    """A month as the shared rule takes it: YYYY-MM text, or a date cell (its day is dropped)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return text(value)


def yes_no(value, *, blank_means: bool | None = None) -> bool | None:
    """yes/no (also y/n, true/false, 1/0); blank (or "not known") gives `blank_means`."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    if raw in NOT_KNOWN:
        return blank_means
    raise CellError("answer yes or no" + (", or leave it blank if not known"
                                          if blank_means is None else ", or leave it blank"))


def _finite(value, message: str) -> int | float | None:
    """A finite number from a cell (None if blank), an int when it is a whole number."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(message)
    if isinstance(value, int):
        result = value
    else:
        raw = text(value)
        if len(raw) > 30:
            raise CellError(f"the number is too large: {message} of up to {MAX_NUMBER:,}")
        try:
            result = float(raw)
        except ValueError:
            raise CellError(message) from None
        if not math.isfinite(result):
            raise CellError(message)
    if abs(result) > MAX_NUMBER:
        # A 30-digit "count" would also overflow the database's integer columns.
        raise CellError(f"the number is too large: {message} of up to {MAX_NUMBER:,}")
    return int(result) if result == int(result) else result


def whole_number(value) -> int | None:
    result = _finite(value, "give a whole number")
    if isinstance(result, float):
        raise CellError("give a whole number")
    return result


def number(value) -> int | float | None:
    """A score: kept as a whole number when it is one, so whole-number rules can check it."""
    return _finite(value, "give a number")


def choice(value, lookup: dict[str, str], allowed: str) -> str:
    """A key of a controlled list, given as its key or its label (any case); "" when blank."""
    if is_blank(value):
        return ""
    key = lookup.get(text(value).lower())
    if key is None:
        raise CellError(f"choose one of: {allowed}")
    return key


def key_list(value, separator: str = ";") -> list[str]:
    """Keys separated by `separator` (spaces ignored, a trailing separator allowed)."""
    if is_blank(value):
        return []
    return [part.strip().lower() for part in text(value).split(separator) if part.strip()]
