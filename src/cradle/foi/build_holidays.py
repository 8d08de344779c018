"""Regenerate ``data/bank_holidays.csv`` from the ``holidays`` library (a build-time tool).

The CSV is committed, and ``cradle.foi.holidays`` reads only the CSV, so nothing at run time
needs ``holidays``. To regenerate (see ``data/PROVENANCE.md``)::

    pip install "holidays==0.108"
    python -m cradle.foi.build_holidays            # writes src/cradle/foi/data/bank_holidays.csv
    python -m cradle.foi.build_holidays --check    # exits 1 if the committed CSV differs

The output is deterministic for a given ``holidays`` version: one row per division and weekday
bank holiday (substitute days included, the weekend dates they replace left out, as GOV.UK lists
them), sorted by division then date, with GOV.UK's names. A name the library gains that is not
in ``NAMES`` stops the build, so a new one-off day is looked at by a person before it ships.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date
from pathlib import Path

FIRST_YEAR = 2015
LAST_YEAR = 2030
PINNED_VERSION = "0.108"
OUTPUT = Path(__file__).resolve().parent / "data" / "bank_holidays.csv"

#: GOV.UK's division slugs and the ``holidays`` subdivision each is built from. Wales is built
#: too and must equal England (the 1971 Act has one England and Wales list).
DIVISIONS = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

#: ``holidays`` names -> the names GOV.UK uses (www.gov.uk/bank-holidays).
NAMES = {
    "New Year's Day": "New Year's Day",
    "New Year Holiday": "2nd January",
    "Saint Patrick's Day": "St Patrick's Day",
    "Good Friday": "Good Friday",
    "Easter Monday": "Easter Monday",
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Battle of the Boyne": "Battle of the Boyne (Orangemen's Day)",
    "Summer Bank Holiday": "Summer bank holiday",  # Scotland: first Monday in August
    "Late Summer Bank Holiday": "Summer bank holiday",  # elsewhere: last Monday in August
    "Saint Andrew's Day": "St Andrew's Day",
    "Christmas Day": "Christmas Day",
    "Boxing Day": "Boxing Day",
    # One-off days appointed by Royal Proclamation.
    "Platinum Jubilee of Elizabeth II": "Platinum Jubilee bank holiday",
    "State Funeral of Queen Elizabeth II":
        "Bank holiday for the State Funeral of Queen Elizabeth II",
    "Coronation of Charles III": "Bank holiday for the coronation of King Charles III",
    "Scotland's participation in the FIFA World Cup final":
        "Bank holiday for Scotland's participation in the FIFA World Cup",
}
#: Names for particular dates, where GOV.UK's differs from the usual one.
DATE_NAMES = {date(2020, 5, 8): "Early May bank holiday (VE day)"}
OBSERVED = " (observed)"
SUBSTITUTE = " (substitute day)"


def gov_uk_name(day: date, library_name: str) -> str:
    names = []
    for part in library_name.split("; "):
        observed = part.endswith(OBSERVED)
        base = part.removesuffix(OBSERVED)
        if base not in NAMES:
            raise SystemExit(f"unknown holiday name {base!r} on {day}: add it to NAMES "
                             "after checking it against GOV.UK")
        name = DATE_NAMES.get(day, NAMES[base])
        names.append(name + SUBSTITUTE if observed else name)
    return "; ".join(names)


def scottish_new_year_names(year: int) -> dict[date, str]:
    """When 1 January is a Sunday, Schedule 1 to the 1971 Act keeps Monday 2 January as
    "2nd January" and moves New Year's Day to 3 January (GOV.UK labels 2012 and 2017 so);
    ``holidays`` puts both names on the 2nd instead. The dates are the same either way."""
    if date(year, 1, 1).weekday() != 6:
        return {}
    return {date(year, 1, 2): "2nd January",
            date(year, 1, 3): "New Year's Day" + SUBSTITUTE}


def rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[tuple[str, str, str]]:
    try:
        import holidays
    except ImportError:
        raise SystemExit(f"regenerating needs the holidays library: "
                         f"pip install 'holidays=={PINNED_VERSION}'") from None
    if not hasattr(holidays, "UnitedKingdom"):  # e.g. cradle/foi/holidays.py when run as a file
        raise SystemExit("run this as `python -m cradle.foi.build_holidays`")

    if holidays.__version__ != PINNED_VERSION:
        print(f"warning: holidays {holidays.__version__} is installed; the committed CSV was "
              f"made with {PINNED_VERSION}", file=sys.stderr)
    years = range(first_year, last_year + 1)

    def weekdays(subdiv: str) -> dict[date, str]:
        calendar = holidays.UnitedKingdom(subdiv=subdiv, years=years, language="en_GB")
        return {day: name for day, name in calendar.items() if day.weekday() < 5}

    if weekdays("ENG") != weekdays("WLS"):
        raise SystemExit("holidays gives England and Wales different days; check before using")
    out = []
    for division, subdiv in DIVISIONS.items():
        relabel = {}
        if division == "scotland":
            for year in years:
                relabel.update(scottish_new_year_names(year))
        for day, name in sorted(weekdays(subdiv).items()):
            label = relabel.get(day) or gov_uk_name(day, name)
            if "; " in label:
                raise SystemExit(f"{division} {day} has several names ({label!r}): decide one")
            out.append((division, day.isoformat(), label))
    return out


def render(table: list[tuple[str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["division", "date", "name"])
    writer.writerows(table)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing file instead of writing it")
    args = parser.parse_args(argv)
    text = render(rows())
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({text.count(chr(10)) - 1} rows, {FIRST_YEAR}-{LAST_YEAR})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
