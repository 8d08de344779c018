"""Write synthetic teams and records to the database, fast, and take them away again.

Rows come from `generate.py` one team at a time and are written parents first, so each child
row gets its parent's new id: teams, cases, referrals and episodes with `bulk_create` (which
returns the ids), the rest with one prepared INSERT run over many rows (`core.bulk_rows.insert_rows`), all inside
one transaction, so a failure leaves nothing behind. The audit log gets one entry per run (action `load`, or `delete` for
`clear`), whose note gives the seed and the row counts, not one entry per row: the rows are
made up, and a national-scale run writes millions of them. Rows are not checked by the
actions' validators (they are built valid: the tests check every value against the
vocabularies and the database's own constraints).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.core.bulk_rows import insert_rows
from cradle.directory.models import Service, ServiceKind, Status, StatusChange
from cradle.outcomes.models import (
    Caregiver,
    Case,
    Contact,
    Episode,
    EpisodeIntervention,
    Feedback,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
    WorkforceActivity,
)
from cradle.pooled import summaries
from cradle.pooled.models import SUMMARY_MODELS

from .generate import DEFAULT_REFERRALS_PER_YEAR, Spec, empty_counts, generate
from .rows import TeamData

BATCH_SIZE = 2000


class SynthError(Exception):
    """Synthetic data cannot be made as asked; the message says why."""


def synthetic_teams():
    return Service.objects.synthetic()


def _bulk(model, objects: list, batch_size: int) -> list:
    """Parent rows, through `bulk_create`, which gives back their new ids."""
    return model.objects.bulk_create(objects, batch_size=batch_size)


def _write_team(data: TeamData, batch_size: int) -> None:
    team = Service.objects.create(
        name=data.team.name, kind=ServiceKind.TEAM, nation=data.team.nation,
        source_note=data.team.source_note, synthetic=True)
    # Operating throughout, as a real team would be; `Service.objects.real()` is what keeps
    # synthetic teams out of the public counts (tests/integration/test_synth.py proves it).
    StatusChange.objects.create(service=team, status=Status.OPERATING,
                                effective_from=data.team.operating_from,
                                source="Synthetic (cradle synth)")
    cases = _bulk(Case, [Case(team=team, team_reference=row.team_reference,
                              baby_birth_month=row.baby_birth_month,
                              birth_month_is_due_month=row.birth_month_is_due_month)
                         for row in data.cases], batch_size)
    case_ids = [case.pk for case in cases]
    referrals = _bulk(Referral, [
        Referral(case_id=case_ids[row.case], referred_on=row.referred_on,
                 referrer_type=row.referrer_type,
                 single_caregiver_household=row.single_caregiver_household,
                 first_time_parent=row.first_time_parent, decision=row.decision,
                 decided_on=row.decided_on)
        for row in data.referrals], batch_size)
    referral_ids = [referral.pk for referral in referrals]
    episodes = _bulk(Episode, [
        Episode(case_id=case_ids[row.case], referral_id=referral_ids[row.referral],
                started_on=row.started_on, ended_on=row.ended_on,
                discharge_reason=row.discharge_reason)
        for row in data.episodes], batch_size)
    episode_ids = [episode.pk for episode in episodes]
    insert_rows(Caregiver, ("referral", "relationship", "age_at_referral", "ethnic_category"),
            ((referral_ids[r.referral], r.relationship, r.age_at_referral, r.ethnic_category)
             for r in data.caregivers), batch_size)
    insert_rows(ReferralRiskFactor, ("referral", "factor"),
            ((referral_ids[r.referral], r.factor) for r in data.risk_factors), batch_size)
    insert_rows(EpisodeIntervention, ("episode", "intervention"),
            ((episode_ids[r.episode], r.intervention) for r in data.interventions), batch_size)
    insert_rows(Contact, ("episode", "on", "mode", "outcome", "minutes", "caregivers_attended",
                      "baby_attended"),
            ((episode_ids[r.episode], r.on, r.mode, r.outcome, r.minutes,
              r.caregivers_attended, r.baby_attended) for r in data.contacts), batch_size)
    insert_rows(MeasureAdministration,
            ("case", "episode", "instrument", "timepoint", "administered_on", "entered_as",
             "items", "total", "subscales", "band", "caseness", "flags", "complete"),
            ((case_ids[r.case], episode_ids[r.episode], r.instrument, r.timepoint,
              r.administered_on, r.entered_as, r.items, r.total, r.subscales, r.band,
              r.caseness, r.flags, r.complete) for r in data.measures), batch_size)
    insert_rows(Feedback, ("episode", "kind", "received_on", "answers"),
            ((episode_ids[r.episode], r.kind, r.received_on, r.answers)
             for r in data.feedback), batch_size)
    insert_rows(WorkforceActivity, ("team", "kind", "on", "topic", "audience_professions",
                                "attendees"),
            ((team.pk, r.kind, r.on, r.topic, r.audience_professions, r.attendees)
             for r in data.workforce), batch_size)
    # The team's pooled summaries, from the rows just written (ADR 0023).
    summaries.rebuild_team(team.pk)


@contextmanager
def _large_sqlite_cache():
    """On SQLite, a page cache of 256 MB while loading: the indexes of the big tables then
    stay in memory instead of spilling to disk mid-transaction (measured 15-30% faster)."""
    connection = transaction.get_connection()
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _note(verb: str, counts: dict[str, int], spec: Spec | None = None) -> str:
    made = ", ".join(f"{counts[name]} {name.replace('_', ' ')}" for name in counts)
    if spec is None:
        return f"cradle synth {verb} synthetic data: {made}"
    return (f"cradle synth {verb} synthetic data (seed {spec.seed}, {spec.years} years to "
            f"{spec.end.isoformat()}, {spec.referrals_per_year} referrals per team-year on "
            f"average): {made}")


def load(*, teams: int, years: int, referrals_per_year: int = DEFAULT_REFERRALS_PER_YEAR,
         seed: int = 0, end: datetime.date | None = None, clear_first: bool = False,
         batch_size: int = BATCH_SIZE,
         progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Make `teams` synthetic teams with `years` years of records ending on `end` (today by
    default) and return how many rows of each kind were written (`teams`, then the row lists
    of rows.ROW_LISTS). The same arguments give the same rows.

    Existing synthetic data is an error unless `clear_first`, which deletes it first (in the
    same transaction). `progress(done, total)` is called after each team."""
    today = datetime.date.today()
    spec = Spec(teams=teams, years=years, seed=seed, referrals_per_year=referrals_per_year,
                end=end or today)
    if spec.end > today:
        raise SynthError("The end date must not be in the future (records cannot be)")
    counts = empty_counts()
    with transaction.atomic(), _large_sqlite_cache():
        if clear_first:
            clear()
        elif synthetic_teams().exists():
            raise SynthError("There is synthetic data already: clear it first (--clear)")
        for data in generate(spec):
            _write_team(data, batch_size)
            database = transaction.get_connection()
            if database.queries_logged:
                # In debug mode Django keeps each query's full SQL (the last 9,000): with
                # thousands of rows inlined in each, that is hundreds of megabytes.
                database.queries_log.clear()
            counts["teams"] += 1
            for name, count in data.counts().items():
                counts[name] += count
            if progress is not None:
                progress(counts["teams"], spec.teams)
        recorder.record(actor=None, action=Action.LOAD, model_label="directory.service",
                        object_id="", note=_note("made", counts, spec))
    refresh_planner_statistics()
    return counts


def refresh_planner_statistics() -> None:
    """ANALYZE the tables a load wrote, on PostgreSQL. Until they are analysed (by autovacuum,
    some time later, or never where it is off) its planner keeps the statistics of the empty
    tables and plans every later write's per-case queries as if the teams had no records: at
    national scale that was 431 ms added per action by the summaries, 36 ms after ANALYZE
    (bench/pooled.py). SQLite needs no statistics for these plans. A role that does not own
    the tables gets a warning and nothing is analysed, which changes no result."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    models = (Service, *(model for _name, model, _path in _CLEAR_ORDER), *SUMMARY_MODELS)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Children first, so nothing deleted is still referred to. Each is one DELETE statement
# (`_raw_delete`): the generic delete would read every row into memory to look for cascades,
# which with millions of rows is the slow part, and there are none left to find.
_CLEAR_ORDER = (
    ("feedback", Feedback, "episode__case__team"),
    ("contacts", Contact, "episode__case__team"),
    ("interventions", EpisodeIntervention, "episode__case__team"),
    ("measures", MeasureAdministration, "case__team"),
    ("risk_factors", ReferralRiskFactor, "referral__case__team"),
    ("caregivers", Caregiver, "referral__case__team"),
    ("episodes", Episode, "case__team"),
    ("referrals", Referral, "case__team"),
    ("cases", Case, "team"),
    ("workforce", WorkforceActivity, "team"),
)


@transaction.atomic
def clear() -> dict[str, int]:
    """Delete every synthetic team and all its records; return how many rows of each kind.
    Real teams and their records are never touched (everything goes by `synthetic=True`)."""
    counts = empty_counts()
    teams = list(synthetic_teams().values_list("pk", flat=True))
    if not teams:
        return counts
    for model in SUMMARY_MODELS:  # derived from the records deleted next
        rows = model.objects.filter(team__in=teams)
        rows._raw_delete(rows.db)
    for name, model, path in _CLEAR_ORDER:
        rows = model.objects.filter(**{f"{path}__in": teams})
        counts[name] = rows._raw_delete(rows.db)
    # Through the ORM, so memberships (e.g. demo accounts) and history follow the usual rules.
    synthetic_teams().delete()
    counts["teams"] = len(teams)
    recorder.record(actor=None, action=Action.DELETE, model_label="directory.service",
                    object_id="", note=_note("deleted", counts))
    return counts


def timed_load(**options) -> tuple[dict[str, int], float]:
    """`load(**options)` and the seconds it took (for the command and the benchmarks)."""
    started = time.perf_counter()
    counts = load(**options)
    return counts, time.perf_counter() - started

