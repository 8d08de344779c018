"""The full pooled report over a national-scale synthetic dataset, against a hand-written DuckDB
query computing the same headline numbers from the same rows in the same run.

Not a test: prints a report (and writes JSON with --output); never asserts on time.

    .venv/bin/python bench/pooled.py                         # 200 teams x 10 years x 300, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cradle_bench .venv/bin/python bench/pooled.py \
        --keep /tmp/national-pg                              # the same on PostgreSQL
    .venv/bin/python bench/pooled.py --teams 20 --years 3     # a quick run

What is timed:
- cradle: `extract` (reading the maintained summaries, ADR 0023) plus `build_report`
  (statistics and disclosure control) for one calendar year, protected and unprotected, plus
  the funnel plot, the way the network report page computes them;
- from the records: the same with the extract computed from the raw records by the reference
  implementation the tests hold the summaries to (tests/pooled_reference.py: what the report
  did before the summaries);
- reference: DuckDB, with the same rows already copied into in-memory tables (the copy is not
  timed), computing the headline numbers: referrals by source, risk factors ranked, decisions,
  median wait, attendance, and per instrument the pairs, means before and after and reliable
  improvement counts.
The ratio cradle / reference is reported with the peak resident memory of the process.

Then what keeping the summaries costs the writes (each in a transaction rolled back after, so
the dataset is unchanged): single-record actions (a case's referral, episode, contacts,
measures and end, then a correction and a withdrawal) on one of the synthetic teams, with the
summaries kept and with them left unkept; bench/outcomes_import.py does the same for the bulk
import. Finally `verify` compares the summaries with the records (--no-verify skips it).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(var_dir: str) -> None:
    os.environ.setdefault("CRADLE_DEBUG", "1")
    os.environ["CRADLE_DEMO"] = "1"
    os.environ.setdefault("CRADLE_VAR_DIR", var_dir)
    os.environ.setdefault("CRADLE_CACHE", "dummy")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cradle.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def best_of(repeats: int, work):
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def cradle_report(year: int, extract=None):
    """The network report's figures for the year; `extract` (default: the summaries') is
    used for every release the page builds."""
    from cradle.pooled import releases
    from cradle.pooled.queries import pooled_teams, year_scope
    from cradle.pooled.releases import protected_report
    from cradle.pooled.report import build_report, team_funnel

    if extract is None:
        from cradle.pooled.extract import extract
    team_ids = list(pooled_teams().values_list("pk", flat=True))
    scope, _years = year_scope(team_ids, year)
    data = extract(scope)
    kept, releases.extract = releases.extract, extract
    try:
        protected = protected_report(scope.start, scope.end)
    finally:
        releases.extract = kept
    unprotected = build_report(data, policy=None, teams_pooled=data.teams_with_data)
    # (protected above, as the pages build it: the four nations and the UK together)
    team_funnel(data, "phq9")
    return unprotected, protected, scope


def copy_to_duckdb(scope, work_dir: str):
    """The rows the reference reads, copied once (untimed) into DuckDB tables: streamed from
    the database through a CSV file, which DuckDB reads in bulk."""
    import csv

    import duckdb

    from cradle.outcomes.models import (
        Contact,
        Episode,
        MeasureAdministration,
        Referral,
        ReferralRiskFactor,
    )

    con = duckdb.connect()
    teams = scope.team_ids
    tables = {
        "referral": (Referral.objects.filter(case__team__in=teams), [
            ("id", "BIGINT"), ("case_id", "BIGINT"), ("referred_on", "DATE"),
            ("referrer_type", "VARCHAR"), ("decision", "VARCHAR")]),
        "risk": (ReferralRiskFactor.objects.filter(referral__case__team__in=teams), [
            ("referral_id", "BIGINT"), ("factor", "VARCHAR")]),
        "episode": (Episode.objects.filter(case__team__in=teams), [
            ("id", "BIGINT"), ("case_id", "BIGINT"), ("referral_id", "BIGINT"),
            ("ended_on", "DATE")]),
        "contact": (Contact.objects.filter(episode__case__team__in=teams), [
            ("episode_id", "BIGINT"), ("on", "DATE"), ("outcome", "VARCHAR")]),
        "measure": (MeasureAdministration.objects.filter(case__team__in=teams), [
            ("case_id", "BIGINT"), ("instrument", "VARCHAR"), ("timepoint", "VARCHAR"),
            ("administered_on", "DATE"), ("total", "DOUBLE")]),
    }
    for name, (queryset, columns) in tables.items():
        path = Path(work_dir) / f"{name}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            rows = queryset.order_by().values_list(*[c for c, _t in columns])
            writer.writerows(rows.iterator(chunk_size=50000))
        types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=false, "
                    f"columns={{{types}}}, nullstr='')")
        path.unlink()
    return con


REFERENCE_SQL = {
    "referrers": """SELECT referrer_type, count(*) FROM referral
                    WHERE referred_on BETWEEN $start AND $end GROUP BY 1""",
    "decisions": """SELECT decision, count(*) FROM referral
                    WHERE referred_on BETWEEN $start AND $end GROUP BY 1""",
    "risks": """SELECT factor, count(*) AS n FROM risk JOIN referral r ON r.id = referral_id
                WHERE r.referred_on BETWEEN $start AND $end GROUP BY 1 ORDER BY n DESC""",
    "median_wait": """SELECT median(first_contact - referred_on) FROM (
                        SELECT r.id, r.referred_on, min(c."on") AS first_contact
                        FROM referral r JOIN episode e ON e.referral_id = r.id
                        JOIN contact c ON c.episode_id = e.id AND c.outcome = 'attended'
                        WHERE r.decision = 'accepted' AND r.referred_on BETWEEN $start AND $end
                        GROUP BY r.id, r.referred_on)""",
    "attendance": """SELECT outcome, count(*) FROM contact
                     WHERE "on" BETWEEN $start AND $end GROUP BY 1""",
    "change": """WITH ended AS (SELECT DISTINCT case_id FROM episode
                                WHERE ended_on BETWEEN $start AND $end),
                 base AS (SELECT m.case_id, instrument, arg_min(total, administered_on) AS b,
                                 min(administered_on) AS b_on
                          FROM measure m JOIN ended USING (case_id)
                          WHERE timepoint = 'baseline' GROUP BY 1, 2),
                 dis AS (SELECT m.case_id, m.instrument, arg_max(total, administered_on) AS d
                         FROM measure m JOIN base USING (case_id, instrument)
                         WHERE timepoint = 'discharge' AND administered_on >= b_on
                         GROUP BY 1, 2)
                 SELECT instrument, count(d) AS pairs, avg(b) FILTER (WHERE d IS NOT NULL),
                        avg(d), count(*) FILTER (WHERE d IS NOT NULL AND b - d >= 6)
                 FROM base LEFT JOIN dis USING (case_id, instrument) GROUP BY 1""",
}


def duckdb_reference(con, scope) -> dict:
    params = {"start": scope.start, "end": scope.end}
    return {name: con.execute(sql, params).fetchall() for name, sql in REFERENCE_SQL.items()}


def write_costs(rounds: int) -> dict:
    """Seconds for `rounds` cases written through the single-record actions on a synthetic
    team, with the summaries kept and unkept (interleaved, best of three each), rolled back."""
    from django.db import transaction

    from cradle.accounts.models import TeamMembership, User
    from cradle.directory.models import Service
    from cradle.outcomes import actions, corrections
    from cradle.pooled import summaries

    team = Service.objects.filter(synthetic=True).order_by("pk").first()
    day = datetime.date.today() - datetime.timedelta(days=200)

    def one_case(user, number):
        case = actions.create_case(user=user, team=team, team_reference=f"BENCH-{number}")
        referral = actions.record_referral(
            user=user, case=case, referred_on=day, referrer_type="gp",
            caregivers=[{"relationship": "mother", "age_at_referral": 24}],
            risk_factors=["isolation"], decision="accepted", decided_on=day)
        episode = actions.open_episode(user=user, case=case, referral=referral,
                                       started_on=day + datetime.timedelta(days=10))
        for offset in (14, 28, 42):
            actions.record_contact(user=user, episode=episode,
                                   on=day + datetime.timedelta(days=offset), mode="home_visit",
                                   outcome="attended", minutes=60, caregivers_attended=True)
        for timepoint, total, offset in (("baseline", 18, 10), ("discharge", 7, 90)):
            actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                                   timepoint=timepoint, total=total, confirmed=True,
                                   administered_on=day + datetime.timedelta(days=offset))
        actions.close_episode(user=user, episode=episode,
                              ended_on=day + datetime.timedelta(days=90),
                              discharge_reason="planned")
        corrections.change_referral(user=user, referral=referral, reason="Typed wrongly",
                                    referred_on=day, referrer_type="midwife",
                                    decision="accepted", decided_on=day)
        corrections.withdraw(user=user, record=case, reason="Entered on the wrong team")

    class Unkept:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    def timed(kept: bool) -> float:
        original = summaries.Keeper
        with transaction.atomic():
            user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.org",
                                            password="bench password not used 42")
            TeamMembership.objects.create(user=user, service=team, role="practitioner")
            if not kept:
                summaries.Keeper = Unkept
            try:
                started = time.perf_counter()
                for number in range(rounds):
                    one_case(user, number)
                seconds = time.perf_counter() - started
            finally:
                summaries.Keeper = original
            transaction.set_rollback(True)
        return seconds

    times = {"kept": [], "unkept": []}
    for _ in range(3):
        times["unkept"].append(timed(False))
        times["kept"].append(timed(True))
    actions_per_case = 12
    kept, unkept = min(times["kept"]), min(times["unkept"])
    return {"cases": rounds, "actions": rounds * actions_per_case,
            "seconds_with_summaries": round(kept, 3),
            "seconds_without_summaries": round(unkept, 3),
            "ms_added_per_action": round(1000 * (kept - unkept) / (rounds * actions_per_case), 2),
            "speed_with_to_without": round(unkept / kept, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--referrals-per-year", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-cases", type=int, default=20,
                        help="cases written through the actions to time the summaries' cost")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip `verify` (summaries against records) at the end")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the development keys (and the SQLite database, without "
                             "DATABASE_URL) in DIR and, if the database already holds the "
                             "synthetic data, reuse it instead of loading again")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the synthetic data already in the database (DATABASE_URL) "
                             "if it has that many teams, instead of loading again; the writes "
                             "need the keys of the run that loaded it: prefer --keep")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        var_dir = str(args.keep) if args.keep else scratch
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        setup_django(var_dir)
        from django.core.management import call_command
        from django.db import connection

        from cradle.directory.models import Service
        from cradle.outcomes import synth

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        reuse = (args.keep is not None or args.reuse) and \
            Service.objects.filter(synthetic=True).count() == args.teams
        if reuse:
            counts = {"teams": args.teams, "reused": str(args.keep or connection.vendor)}
        else:
            counts = synth.load(teams=args.teams, years=args.years,
                                referrals_per_year=args.referrals_per_year, seed=1,
                                clear_first=True)
        load_seconds = time.perf_counter() - started
        year = datetime.date.today().year - 1

        cradle_seconds, (unprotected, protected, scope) = best_of(
            args.repeats, lambda: cradle_report(year))
        cradle_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sys.path.insert(0, str(ROOT))
        from tests import pooled_reference

        records_seconds, (from_records, protected_from_records, _scope) = best_of(
            1, lambda: cradle_report(year, extract=pooled_reference.extract))
        # The summaries give the very same report as the records (the property test's claim,
        # here at national scale).
        assert (unprotected, protected) == (from_records, protected_from_records)
        con = copy_to_duckdb(scope, scratch)
        reference_seconds, reference = best_of(args.repeats,
                                               lambda: duckdb_reference(con, scope))
        # The same headline numbers, or the comparison means nothing.
        referrals = sum(n for _k, n in reference["referrers"])
        assert str(referrals) == unprotected.section("referrers").total, (
            referrals, unprotected.section("referrers").total)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report = {
            "database": connection.vendor, "synthetic_rows": counts,
            "load_seconds": round(load_seconds, 1), "year": year,
            "referrals_in_year": referrals,
            "cradle_seconds": round(cradle_seconds, 3),
            "from_records_seconds": round(records_seconds, 3),
            "duckdb_reference_seconds": round(reference_seconds, 4),
            "ratio": round(cradle_seconds / reference_seconds, 2),
            "ratio_from_records": round(records_seconds / reference_seconds, 1),
            "peak_rss_mb_after_cradle_report": round(cradle_peak_mb),
            "peak_rss_mb": round(peak_mb),
            "writes": write_costs(args.write_cases),
        }
        if not args.no_verify:
            from cradle.pooled import summaries

            started = time.perf_counter()
            checked, problems = summaries.verify()
            report["verify"] = {"teams": checked, "differences": len(problems),
                                "seconds": round(time.perf_counter() - started, 1)}
        print(json.dumps(report, indent=2))
        if args.output:
            args.output.write_text(json.dumps(report, indent=2))
        if connection.vendor == "sqlite":
            connection.close()


if __name__ == "__main__":
    main()
