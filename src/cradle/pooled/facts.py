"""The additive facts the pooled report is built from, per team and calendar month, and how an
`Extract` is put together from them (pure: no Django imports).

A fact is ``(team id, month, name, key) -> n``: e.g. ``(12, 2025-03-01, "referrer_type",
"health_visitor") -> 4``. Every fact belongs to one record's date (a referral's, a contact's,
an episode's end, an activity's), so the facts of a period are the sum of the facts of its
months, and a record's part in them can be taken away exactly when it is edited or withdrawn.
Waits are kept as an exact histogram of days, so medians and quartiles need no estimate.

Measure pairs are not additive (a case whose episodes ended in two months of one year counts
once in that year): they are kept as one row per case, instrument and month of an episode's
end (`PairRow`), and de-duplicated by case and instrument when read.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cradle.stats.change import pair_sums
from cradle.stats.change_sums import ChangeSums

from .data import Extract, MeasurePair, Scope
from .report import rule_for

REFERRALS = "referrals"
REFERRER_TYPE = "referrer_type"
DECISION = "decision"
SINGLE_CAREGIVER = "single_caregiver"
FIRST_TIME_PARENT = "first_time_parent"
CAREGIVER_AGE = "caregiver_age"
CAREGIVER_ETHNICITY = "caregiver_ethnicity"
RISK_FACTOR = "risk_factor"
WAIT_DAYS = "wait_days"
ACCEPTED_WITHOUT_CONTACT = "accepted_without_contact"
CONTACT_OUTCOME = "contact_outcome"
DISCHARGE_REASON = "discharge_reason"
INTERVENTION = "intervention"
TRAINING_EVENTS = "training_events"
PROFESSIONALS_TRAINED = "professionals_trained"
TRAINED_BY_PROFESSION = "trained_by_profession"

#: Fact name -> the Extract field it adds to, and how its key is read back.
_TEXT, _BOOL, _INT, _NONE = "text", "bool", "int", "none"
FACTS = {
    REFERRALS: ("referrals_by_team", _NONE),
    REFERRER_TYPE: ("referrer_types", _TEXT),
    DECISION: ("decisions", _TEXT),
    SINGLE_CAREGIVER: ("single_caregiver", _BOOL),
    FIRST_TIME_PARENT: ("first_time_parent", _BOOL),
    CAREGIVER_AGE: ("primary_caregiver_ages", _INT),
    CAREGIVER_ETHNICITY: ("primary_caregiver_ethnicity", _TEXT),
    RISK_FACTOR: ("risk_factors", _TEXT),
    WAIT_DAYS: ("waits", _INT),
    ACCEPTED_WITHOUT_CONTACT: ("accepted_without_contact", _NONE),
    CONTACT_OUTCOME: ("contact_outcomes", _TEXT),
    DISCHARGE_REASON: ("discharge_reasons", _TEXT),
    INTERVENTION: ("interventions", _TEXT),
    TRAINING_EVENTS: ("training_events", _NONE),
    PROFESSIONALS_TRAINED: ("professionals_trained", _NONE),
    TRAINED_BY_PROFESSION: ("trained_by_profession", _TEXT),
}

def key_of(value) -> str:
    """A breakdown's value as a fact key: None is "", booleans "yes"/"no", numbers in digits."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def value_of(name: str, key: str):
    """The breakdown's value back from a fact key (`key_of` reversed for the fact's kind)."""
    kind = FACTS[name][1]
    if kind == _BOOL:
        return {"yes": True, "no": False, "": None}[key]
    if kind == _INT:
        return None if key == "" else int(key)
    return key


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the next month (OverflowError after December 9999)."""
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    if month.month == 12:
        return month.replace(day=31)
    return next_month(month) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Split:
    """A period as the whole calendar months inside it (read from the summaries) and the
    partial months at its edges (computed from the records), each an inclusive date range."""

    whole_months: tuple[datetime.date, datetime.date] | None
    partial: tuple[tuple[datetime.date, datetime.date], ...]


def split_period(start: datetime.date, end: datetime.date) -> Split:
    if end < start:
        raise ValueError("the period ends before it starts")
    if start.day == 1:
        first_whole = start
    elif (start.year, start.month) == (end.year, end.month):
        return Split(None, ((start, end),))  # also spares December 9999 its next month
    else:
        first_whole = next_month(start)
    last_whole = month_of(end) if end == month_end(end) else \
        month_of(month_of(end) - datetime.timedelta(days=1))
    if first_whole > last_whole:
        return Split(None, ((start, end),))
    partial = []
    if start < first_whole:
        partial.append((start, first_whole - datetime.timedelta(days=1)))
    if end > month_end(last_whole):
        partial.append((next_month(last_whole), end))
    return Split((first_whole, last_whole), tuple(partial))


def split_months(first: datetime.date, last: datetime.date
                 ) -> tuple[tuple[int, int] | None, tuple[tuple[datetime.date, datetime.date], ...]]:
    """Whole months `first`..`last` (first days of months, inclusive) as the calendar years
    they fill, read from the yearly facts, and the runs of months left at either end:
    ``((first year, last year) or None, ((first month, last month), ...))``."""
    if last < first:
        raise ValueError("the months end before they start")
    first_year = first.year if first.month == 1 else first.year + 1
    last_year = last.year if last.month == 12 else last.year - 1
    if first_year > last_year:
        return None, ((first, last),)
    runs = []
    if first.year < first_year:
        runs.append((first, datetime.date(first.year, 12, 1)))
    if last.year > last_year:
        runs.append((datetime.date(last.year, 1, 1), last))
    return (first_year, last_year), tuple(runs)


def by_year(change: dict) -> dict:
    """Facts by month, (team, month, name, key) -> n, summed by calendar year, (team, year,
    name, key) -> n, with the years that sum to 0 left out."""
    yearly: dict = {}
    for (team, month, name, key), n in change.items():
        year_key = (team, month.year, name, key)
        yearly[year_key] = yearly.get(year_key, 0) + n
    return {key: n for key, n in yearly.items() if n}


def change_by_year(change: dict) -> dict:
    """Sums of measure pairs by month, (team, month, instrument) -> ChangeSums, summed by
    calendar year, (team, year, instrument) -> ChangeSums, with the years that sum to nothing
    left out."""
    yearly: dict = {}
    for (team, month, instrument), sums in change.items():
        key = (team, month.year, instrument)
        yearly[key] = yearly[key] + sums if key in yearly else sums
    return {key: sums for key, sums in yearly.items() if sums}


def difference(after: Counter, before: Counter) -> dict:
    """What to add to the stored facts: ``after - before`` with negative changes kept (Counter
    subtraction drops them) and unchanged facts left out."""
    change = {}
    for key in after.keys() | before.keys():
        n = after.get(key, 0) - before.get(key, 0)
        if n:
            change[key] = n
    return change


def add_fact(data: Extract, team_id: int, name: str, key: str, n: int) -> None:
    """Add one (summed) fact to an extract."""
    field, kind = FACTS[name]
    if name == REFERRALS:
        data.referrals_by_team[team_id] = data.referrals_by_team.get(team_id, 0) + n
    elif kind == _NONE:
        setattr(data, field, getattr(data, field) + n)
    else:
        counts = getattr(data, field)
        value = value_of(name, key)
        counts[value] = counts.get(value, 0) + n


@dataclass(frozen=True)
class PairRow:
    """One case's baseline and discharge score on one instrument, for one month in which an
    episode of the case ended."""

    case_id: int
    team_id: int
    month: datetime.date
    instrument: str
    baseline: float
    discharge: float | None
    baseline_caseness: bool | None
    discharge_caseness: bool | None


def pairs_of_case(case_id: int, team_id: int, measures: Iterable[tuple],
                  ended_months: Iterable[datetime.date]) -> list[PairRow]:
    """The pair rows of one case: `measures` are its current baseline and discharge
    administrations as (instrument, timepoint, administered_on, id, total, caseness); the
    baseline is the earliest baseline, the discharge score the latest discharge on or after it
    (ties by id); one row per instrument and month of `ended_months`."""
    months = sorted(set(ended_months))
    if not months:
        return []
    baselines: dict[str, tuple] = {}
    discharges: dict[str, tuple] = {}
    for instrument, timepoint, on, _pk, total, caseness in sorted(
            measures, key=lambda row: (row[0], row[2], row[3])):
        if timepoint == "baseline":
            baselines.setdefault(instrument, (on, total, caseness))
        elif timepoint == "discharge" and instrument in baselines \
                and on >= baselines[instrument][0]:
            discharges[instrument] = (total, caseness)
    rows = []
    for instrument, (_on, total, caseness) in sorted(baselines.items()):
        discharge, discharge_caseness = discharges.get(instrument, (None, None))
        rows.extend(PairRow(case_id, team_id, month, instrument, total, discharge, caseness,
                            discharge_caseness) for month in months)
    return rows


def pair_change(row: PairRow) -> ChangeSums:
    return pair_sums(row.baseline, row.discharge, rule_for(row.instrument))


def change_of_pairs(pairs: Iterable[MeasurePair]) -> dict[tuple[int, str], ChangeSums]:
    """(team, instrument) -> the sufficient statistics of the pairs (one per case)."""
    change: dict[tuple[int, str], ChangeSums] = {}
    for pair in pairs:
        key = (pair.team_id, pair.instrument)
        sums = pair_sums(pair.baseline, pair.discharge, rule_for(pair.instrument))
        change[key] = change[key] + sums if key in change else sums
    return change


def change_of_rows(rows: Iterable[PairRow]) -> dict[tuple[int, str], ChangeSums]:
    """The statistics of pair rows, each case and instrument once however many months it has."""
    unique = {}
    for row in rows:
        unique.setdefault((row.case_id, row.instrument), row)
    return change_of_pairs(MeasurePair(row.team_id, row.instrument, row.baseline, row.discharge,
                                       row.baseline_caseness, row.discharge_caseness)
                           for row in unique.values())


def split_by_months(rows: Iterable[PairRow]
                    ) -> tuple[dict[tuple[int, datetime.date, str], ChangeSums], list[PairRow]]:
    """Pair rows as what is kept: a case whose episodes ended in one month adds to that month's
    sums, (team, month, instrument) -> ChangeSums; a case with endings in several months keeps
    its rows (a period holding two of them must count it once)."""
    by_case: dict[int, list[PairRow]] = {}
    for row in rows:
        by_case.setdefault(row.case_id, []).append(row)
    monthly: dict[tuple[int, datetime.date, str], ChangeSums] = {}
    several: list[PairRow] = []
    for case_rows in by_case.values():
        if len({row.month for row in case_rows}) > 1:
            several.extend(case_rows)
            continue
        for row in case_rows:
            key = (row.team_id, row.month, row.instrument)
            sums = pair_change(row)
            monthly[key] = monthly[key] + sums if key in monthly else sums
    return monthly, several


def assemble(scope: Scope, facts: Iterable[tuple[int, str, str, int]],
             monthly_change: Iterable[tuple[int, str, ChangeSums]],
             pairs: Iterable[PairRow]) -> Extract:
    """The extract of `scope` from its facts (team id, name, key, n: summed over months, or
    not), the sums of its single-month cases (team id, instrument, sums) and the pair rows of
    the others. Teams are listed in `referrals_by_team` only where they have some."""
    data = Extract(scope=scope)
    for team_id, name, key, n in facts:
        if n:
            add_fact(data, team_id, name, key, n)
    parts: dict[tuple[int, str], list[ChangeSums]] = {}
    for key, sums in change_of_rows(pairs).items():
        parts.setdefault(key, []).append(sums)
    for team_id, instrument, sums in monthly_change:
        parts.setdefault((team_id, instrument), []).append(sums)
    totals = {key: ChangeSums.total(sums) for key, sums in parts.items()}
    data.change = {key: sums for key, sums in totals.items() if sums}
    return data
