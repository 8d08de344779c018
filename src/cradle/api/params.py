"""Query parameters of the API, read and checked (pure: no Django imports).

Every bad value is a `ParameterError` naming the parameter, which the views answer with a 400
and `{"detail": ..., "parameter": ...}`. Unknown parameters are ignored (clients add their own
cache-busters), but a known one with a bad value is never silently replaced by a default.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
EARLIEST_DATE = datetime.date(2000, 1, 1)


class ParameterError(ValueError):
    def __init__(self, parameter: str, detail: str):
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


def one(params: Mapping, name: str) -> str | None:
    """The parameter's value, stripped; None when absent or empty."""
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def choice(params: Mapping, name: str, choices: Collection[str], *,
           default: str | None = None) -> str | None:
    value = one(params, name)
    if value is None:
        return default
    if value not in choices:
        raise ParameterError(name, f"{name} must be one of: {', '.join(sorted(choices))} "
                                   f"(not {value[:40]!r})")
    return value


def date(params: Mapping, name: str, *, today: datetime.date,
         earliest: datetime.date = EARLIEST_DATE) -> datetime.date:
    """A date written YYYY-MM-DD, from `earliest` to today; today when absent."""
    value = one(params, name)
    if value is None:
        return today
    try:
        on = datetime.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(name, f"{name} must be a date written YYYY-MM-DD, for example "
                                   f"2024-06-30 (not {value[:40]!r})") from None
    if len(value) != 10:
        raise ParameterError(name, f"{name} must be a date written YYYY-MM-DD")
    if on > today:
        raise ParameterError(name, f"{name} must be today ({today.isoformat()}) or earlier")
    if on < earliest:
        raise ParameterError(name, f"{name} must be on or after {earliest.isoformat()}")
    return on


def integer(params: Mapping, name: str, *, default: int | None, low: int, high: int
            ) -> int | None:
    value = one(params, name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ParameterError(name, f"{name} must be a whole number from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise ParameterError(name, f"{name} must be a whole number from {low} to {high}")
    return number


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return self.start + self.size


def page(params: Mapping) -> Page:
    return Page(integer(params, "page", default=1, low=1, high=1_000_000),
                integer(params, "page_size", default=DEFAULT_PAGE_SIZE, low=1,
                        high=MAX_PAGE_SIZE))


def check_page_exists(chosen: Page, count: int) -> None:
    """Page 1 always exists (possibly empty); a later page only when it has rows."""
    if chosen.number > 1 and chosen.start >= count:
        last = max(1, -(-count // chosen.size))
        raise ParameterError("page", f"page must be from 1 to {last} (there are {count} rows)")


def normalised_query(params: Mapping[str, list[str]], known: Collection[str]) -> str:
    """The known parameters, sorted, as one string: the cache and ETag key of a request (an
    unknown parameter changes nothing, so it does not change the key)."""
    parts = []
    for name in sorted(set(params) & set(known)):
        values = params[name]
        for value in values if isinstance(values, list) else [values]:
            parts.append(f"{name}={str(value).strip()}")
    return "&".join(parts)
