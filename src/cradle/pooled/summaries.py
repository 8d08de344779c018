"""Keeping the pooled summaries (models.py) exact, inside the transactions that write records.

A write that changes a case's records (or a workforce activity) is wrapped so that, under the
team's summary lock, the case's facts are computed before and after it
(`contributions.facts_of`) and the difference is added to the stored facts; the case's measure
pairs are replaced. Facts are additive across cases, so this is exact whatever the write did:
edits, withdrawals, dates moved between months, a contact that changes a referral's wait.

- `keeps_summaries("episode")`: the decorator for the actions, naming the argument that holds
  the record written to (its case, or its activity, is what changes);
- `Keeper`: the same for code that writes many records (the bulk import);
- `rebuild(team_ids)` recomputes teams' summaries from the records; `verify(team_ids)` compares
  the stored summaries with the records and lists every difference (`cradle pooled`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from cradle.core.bulk_rows import insert_rows
from cradle.directory.models import Service
from cradle.outcomes.models import (
    Case,
    Contact,
    Episode,
    Feedback,
    MeasureAdministration,
    Referral,
    WorkforceActivity,
)
from cradle.stats.change_sums import ChangeSums

from . import contributions
from . import facts as f
from .models import (
    CHANGE_COLUMNS,
    PAIR_COLUMNS,
    SUMMARY_MODELS,
    CaseMeasurePair,
    ChangeColumns,
    MonthlyChange,
    MonthlyFact,
    SummaryLock,
    YearlyChange,
    YearlyFact,
    change_columns,
    change_of_columns,
)

UPSERT_BATCH = 500


def lock_team(team_id: int) -> None:
    SummaryLock.objects.bulk_create([SummaryLock(team_id=team_id)], ignore_conflicts=True)
    list(SummaryLock.objects.select_for_update().filter(team_id=team_id).values_list("pk"))


def add_facts(change: dict) -> None:
    """Add `change` ((team, month, name, key) -> n, negative or positive) to the stored facts
    of the months and of their years."""
    _add_to(MonthlyFact, "month", change)
    _add_to(YearlyFact, "year", f.by_year(change))


def _add_to(model, period: str, change: dict) -> None:
    """Add `change` ((team, period, name, key) -> n) to `model`'s rows, in one statement per
    batch that inserts a new fact or adds to the stored one, then delete the facts that came to
    0. Keys go in sorted order, so concurrent writers lock the rows in the same order."""
    if not change:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [connection.ops.quote_name(name) for name in ("team_id", period, "name", "key",
                                                            "n")]
    team, when, name, key, n = columns
    adapt = connection.ops.adapt_datefield_value if period == "month" else int
    items = sorted(change.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), UPSERT_BATCH):
            batch = items[start:start + UPSERT_BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            params = [value for (t, p, nm, k), count in batch
                      for value in (t, adapt(p), nm, k, count)]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
                f"ON CONFLICT ({team}, {when}, {name}, {key}) "
                f"DO UPDATE SET {n} = {table}.{n} + excluded.{n}", params)
    # Only a negative change can bring a stored fact (always at least 1) down to 0.
    lowered = [fact for fact, count in change.items() if count < 0]
    if lowered:
        teams = sorted({t for t, _p, _nm, _k in lowered})
        periods = sorted({p for _t, p, _nm, _k in lowered})
        model.objects.filter(team_id__in=teams, **{f"{period}__in": periods}, n=0).delete()


def _replace_several(case_ids: Iterable[int], rows: list[f.PairRow]) -> None:
    """The kept pair rows of the cases (those with endings in several months) made `rows`."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), contributions.CHUNK):
        stored = CaseMeasurePair.objects.filter(case_id__in=ids[start:start + contributions.CHUNK])
        stored._raw_delete(stored.db)
    _insert_pairs(rows)


def _sums_of(row: ChangeColumns) -> ChangeSums:
    return change_of_columns(getattr(row, name) for name in CHANGE_COLUMNS)


def _set_sums(row: ChangeColumns, sums: ChangeSums) -> None:
    for name, value in zip(CHANGE_COLUMNS, change_columns(sums), strict=True):
        setattr(row, name, value)


def add_change(change: dict) -> None:
    """Add `change` ((team, month, instrument) -> ChangeSums, parts negative where cases left)
    to the stored sums of the months and of their years."""
    _add_sums_to(MonthlyChange, "month", change)
    _add_sums_to(YearlyChange, "year", f.change_by_year(change))


def _add_sums_to(model, period: str, change: dict) -> None:
    """Add `change` ((team, period, instrument) -> ChangeSums) to `model`'s rows: read, add and
    write back, under the team's lock (the sums are exact integers too long for the database
    to add)."""
    change = {key: sums for key, sums in change.items() if sums}
    if not change:
        return
    teams = sorted({t for t, _p, _i in change})
    periods = sorted({p for _t, p, _i in change})
    stored = {(row.team_id, getattr(row, period), row.instrument): row for row in
              model.objects.filter(team_id__in=teams, **{f"{period}__in": periods},
                                   instrument__in={i for _t, _p, i in change})}
    new, changed, emptied = [], [], []
    for key in sorted(change):
        row = stored.get(key)
        total = (_sums_of(row) if row is not None else ChangeSums()) + change[key]
        if row is None:
            row = model(team_id=key[0], instrument=key[2], **{period: key[1]})
            _set_sums(row, total)
            new.append(row)
        elif total:
            _set_sums(row, total)
            changed.append(row)
        else:
            emptied.append(row.pk)
    model.objects.filter(pk__in=emptied).delete()
    model.objects.bulk_update(changed, CHANGE_COLUMNS, batch_size=500)
    model.objects.bulk_create(new, batch_size=500)


def _insert_pairs(rows: list[f.PairRow]) -> None:
    insert_rows(CaseMeasurePair, [name.removesuffix("_id") for name in PAIR_COLUMNS],
                ((row.case_id, row.team_id, row.month, row.instrument, row.baseline,
                  row.discharge, row.baseline_caseness, row.discharge_caseness) for row in rows),
                batch_size=2000)


class Keeper:
    """Collects what a write changes, with the facts before it, and applies the difference.

    Tell it what is about to change (`changing_cases`, `changing_activities`: locks the team,
    reads the facts before) or what is new (`new_cases`, `new_activities`: nothing before),
    then `finish()` once the records are written, inside the same transaction."""

    def __init__(self):
        self.locked: set[int] = set()
        self.case_ids: set[int] = set()
        self.activity_ids: set[int] = set()
        self.before: Counter = Counter()
        self.before_change: dict = {}

    def _lock(self, team_id: int) -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("summaries are kept inside the writing transaction")
        if team_id not in self.locked:
            lock_team(team_id)
            self.locked.add(team_id)

    def changing_cases(self, team_id: int, case_ids: Iterable[int]) -> None:
        self._lock(team_id)
        ids = set(case_ids) - self.case_ids
        self.before.update(contributions.chunked_facts(case_ids=ids))
        monthly, _several = f.split_by_months(contributions.case_pair_rows(ids))
        for key, sums in monthly.items():
            self.before_change[key] = self.before_change.get(key, ChangeSums()) + sums
        self.case_ids |= ids

    def new_cases(self, team_id: int, case_ids: Iterable[int]) -> None:
        self._lock(team_id)
        self.case_ids |= set(case_ids)

    def changing_activities(self, team_id: int, activity_ids: Iterable[int]) -> None:
        self._lock(team_id)
        ids = set(activity_ids) - self.activity_ids
        self.before.update(contributions.chunked_facts(activity_ids=ids))
        self.activity_ids |= ids

    def new_activities(self, team_id: int, activity_ids: Iterable[int]) -> None:
        self._lock(team_id)
        self.activity_ids |= set(activity_ids)

    def finish(self) -> None:
        after = contributions.chunked_facts(case_ids=self.case_ids,
                                            activity_ids=self.activity_ids)
        add_facts(f.difference(after, self.before))
        if self.case_ids:
            monthly, several = f.split_by_months(contributions.case_pair_rows(self.case_ids))
            change = dict(monthly)
            for key, sums in self.before_change.items():
                change[key] = change.get(key, ChangeSums()) - sums
            add_change(change)
            _replace_several(self.case_ids, several)


def owner_of(record) -> tuple[int, str, int]:
    """(team id, "case" or "activity", its id) for a record of the outcomes app."""
    if isinstance(record, WorkforceActivity):
        return record.team_id, "activity", record.pk
    if isinstance(record, Case):
        return record.team_id, "case", record.pk
    if isinstance(record, Referral | Episode | MeasureAdministration):
        case_id = record.case_id
    elif isinstance(record, Contact | Feedback):
        case_id = Episode.objects.filter(pk=record.episode_id).values_list(
            "case_id", flat=True).get()
    else:
        raise TypeError(f"{type(record).__name__} is not an outcomes record")
    team_id = Case.objects.filter(pk=case_id).values_list("team_id", flat=True).get()
    return team_id, "case", case_id


def keeps_summaries(argument: str | None = None, *, new_activity: bool = False):
    """Decorate an action (inside its transaction) that writes to the record passed as the
    keyword `argument`: its case's (or activity's) facts are kept in step. With
    `new_activity`, the action creates the workforce activity it returns."""
    def decorate(action):
        @functools.wraps(action)
        def wrapper(*args, **kwargs):
            keeper = Keeper()
            if argument is not None:
                team_id, kind, pk = owner_of(kwargs[argument])
                if kind == "case":
                    keeper.changing_cases(team_id, [pk])
                else:
                    keeper.changing_activities(team_id, [pk])
            result = action(*args, **kwargs)
            if new_activity:
                keeper.new_activities(result.team_id, [result.pk])
            keeper.finish()
            return result
        return wrapper
    return decorate


# --- rebuild and verify ---------------------------------------------------------------------

def _team_ids(team_ids: Iterable[int] | None) -> list[int]:
    if team_ids is None:
        return list(Service.objects.order_by("pk").values_list("pk", flat=True))
    return sorted(set(team_ids))


def _stored_facts(model, period: str, team_id: int) -> dict:
    return {(team_id, when, name, key): n for when, name, key, n in
            model.objects.filter(team_id=team_id).values_list(period, "name", "key", "n")}


def _stored_change(model, period: str, team_id: int) -> dict:
    return {(row.team_id, getattr(row, period), row.instrument): _sums_of(row)
            for row in model.objects.filter(team_id=team_id)}


def _period_label(period) -> str:
    """A month as 2025-03, a year as "year 2025"."""
    return f"year {period}" if isinstance(period, int) else f"{period:%Y-%m}"


def _fact_differences(from_records: dict, stored: dict) -> list[str]:
    problems = []
    for key in sorted(from_records.keys() | stored.keys()):
        if from_records.get(key, 0) != stored.get(key, 0):
            team_id, period, name, value = key
            problems.append(
                f"team {team_id}, {_period_label(period)}, {name} {value!r}: stored "
                f"{stored.get(key, 0)}, from the records {from_records.get(key, 0)}")
    return problems


def _change_differences(from_records: dict, stored: dict) -> list[str]:
    return [f"team {team_id}, {_period_label(period)}, measure pairs on {instrument}: the "
            f"stored sums differ from the records'"
            for team_id, period, instrument in sorted(from_records.keys() | stored.keys())
            if from_records.get((team_id, period, instrument))
            != stored.get((team_id, period, instrument))]


def _records_pairs(team_id: int) -> list[f.PairRow]:
    return contributions.pair_rows(Episode.objects.current().filter(
        case__team_id=team_id, ended_on__isnull=False))


def _stored_pairs(team_id: int) -> list[f.PairRow]:
    return [f.PairRow(*row) for row in CaseMeasurePair.objects.filter(team_id=team_id)
            .values_list(*PAIR_COLUMNS)]


def rebuild(team_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the summaries of the teams (every team when None) from their records, one
    transaction per team. Returns how many facts and pair rows were written."""
    written = {"teams": 0, "facts": 0, "pairs": 0}
    for team_id in _team_ids(team_ids):
        with transaction.atomic():
            written_facts, written_pairs = rebuild_team(team_id)
        written["teams"] += 1
        written["facts"] += written_facts
        written["pairs"] += written_pairs
    return written


def rebuild_team(team_id: int) -> tuple[int, int]:
    """One team's summaries from its records, inside the caller's transaction."""
    lock_team(team_id)
    for model in SUMMARY_MODELS:
        rows = model.objects.filter(team_id=team_id)
        rows._raw_delete(rows.db)
    computed = contributions.facts_of(contributions.Records(team_ids=[team_id]))
    insert_rows(MonthlyFact, ("team", "month", "name", "key", "n"),
                ((t, m, name, key, n) for (t, m, name, key), n in sorted(computed.items())),
                batch_size=2000)
    insert_rows(YearlyFact, ("team", "year", "name", "key", "n"),
                ((t, y, name, key, n) for (t, y, name, key), n in
                 sorted(f.by_year(computed).items())), batch_size=2000)
    monthly, several = f.split_by_months(_records_pairs(team_id))
    insert_rows(MonthlyChange, ("team", "month", "instrument", *CHANGE_COLUMNS),
                ((t, m, i, *change_columns(sums)) for (t, m, i), sums in sorted(monthly.items())),
                batch_size=500)
    insert_rows(YearlyChange, ("team", "year", "instrument", *CHANGE_COLUMNS),
                ((t, y, i, *change_columns(sums)) for (t, y, i), sums in
                 sorted(f.change_by_year(monthly).items())), batch_size=500)
    _insert_pairs(several)
    SummaryLock.objects.filter(team_id=team_id).update(rebuilt_at=timezone.now())
    return len(computed), len(monthly) + len(several)


def verify(team_ids: Iterable[int] | None = None) -> tuple[int, list[str]]:
    """Compare the stored summaries of the teams with their records: (teams checked, one line
    per difference). Nothing is changed."""
    problems: list[str] = []
    teams = _team_ids(team_ids)
    for team_id in teams:
        computed = contributions.facts_of(contributions.Records(team_ids=[team_id]))
        problems += _fact_differences(computed, _stored_facts(MonthlyFact, "month", team_id))
        problems += _fact_differences(f.by_year(computed),
                                      _stored_facts(YearlyFact, "year", team_id))
        monthly, several = f.split_by_months(_records_pairs(team_id))
        problems += _change_differences(monthly,
                                        _stored_change(MonthlyChange, "month", team_id))
        problems += _change_differences(f.change_by_year(monthly),
                                        _stored_change(YearlyChange, "year", team_id))
        expected, kept = set(several), set(_stored_pairs(team_id))
        for row in sorted(expected - kept, key=_pair_order):
            problems.append(f"team {team_id}, {row.month:%Y-%m}, pair of case {row.case_id} "
                            f"on {row.instrument}: missing or different in the summaries")
        for row in sorted(kept - expected, key=_pair_order):
            problems.append(f"team {team_id}, {row.month:%Y-%m}, pair of case {row.case_id} "
                            f"on {row.instrument}: in the summaries, not in the records")
    return len(teams), problems


def _pair_order(row: f.PairRow):
    return (row.case_id, row.instrument, row.month)
