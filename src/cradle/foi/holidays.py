"""The shipped UK bank holidays (``data/bank_holidays.csv``), read without Django or network.

The CSV has one row per division and weekday bank holiday, substitute and one-off days
included; ``data/PROVENANCE.md`` says where it comes from and ``build_holidays`` regenerates it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "bank_holidays.csv"

ENGLAND_AND_WALES = "england-and-wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern-ireland"
DIVISIONS = (ENGLAND_AND_WALES, SCOTLAND, NORTHERN_IRELAND)
SUBSTITUTE = " (substitute day)"


class HolidayDataError(ValueError):
    """The shipped bank holiday data is missing, malformed, or does not cover a date."""


@dataclass(frozen=True, order=True)
class BankHoliday:
    division: str
    day: date
    name: str

    @property
    def base_names(self) -> tuple[str, ...]:
        """The holiday's names without "(substitute day)", e.g. ("Boxing Day",)."""
        return tuple(part.removesuffix(SUBSTITUTE) for part in self.name.split("; "))


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: tuple[BankHoliday, ...]
    first_year: int
    last_year: int

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def check_covers(self, day: date) -> None:
        if not self.covers(day):
            raise HolidayDataError(
                f"{day.isoformat()} is outside the bank holiday data, which covers "
                f"{self.first_year}-{self.last_year}; extend the range in "
                "cradle/foi/build_holidays.py and regenerate data/bank_holidays.csv")

    def in_division(self, division: str) -> tuple[BankHoliday, ...]:
        return tuple(h for h in self.holidays if h.division == division)


@cache
def load(path: Path = DATA_FILE) -> HolidayCalendar:
    """Read and check the CSV: known divisions, ISO dates, every division in every year."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != ["division", "date", "name"]:
                raise HolidayDataError(
                    f"{path}: expected columns division,date,name, found {reader.fieldnames}")
            rows = list(reader)
    except OSError as error:
        raise HolidayDataError(f"cannot read bank holiday data: {error}") from error
    holidays = []
    for number, row in enumerate(rows, start=2):
        if row["division"] not in DIVISIONS:
            raise HolidayDataError(f"{path}:{number}: unknown division {row['division']!r}")
        try:
            day = date.fromisoformat(row["date"])
        except ValueError as error:
            raise HolidayDataError(f"{path}:{number}: bad date {row['date']!r}") from error
        if not row["name"]:
            raise HolidayDataError(f"{path}:{number}: holiday without a name")
        holidays.append(BankHoliday(row["division"], day, row["name"]))
    if not holidays:
        raise HolidayDataError(f"{path}: no bank holidays")
    first_year = min(h.day.year for h in holidays)
    last_year = max(h.day.year for h in holidays)
    present = {(h.division, h.day.year) for h in holidays}
    for division in DIVISIONS:
        for year in range(first_year, last_year + 1):
            if (division, year) not in present:
                raise HolidayDataError(f"{path}: no {division} bank holidays in {year}")
    return HolidayCalendar(tuple(sorted(holidays)), first_year, last_year)
