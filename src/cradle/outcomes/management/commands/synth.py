"""cradle synth --teams N --years Y [--seed S] [--referrals-per-year R] [--end YYYY-MM-DD]
[--clear | --clear-only]

Makes clearly labelled synthetic teams ("Synthetic team 007 (not a real service)") with
referrals, caregivers, risk factors, episodes, contacts, scored measures, feedback and
workforce activity, for the demo, the tests and the benchmarks. Synthetic teams never appear
in the public register, search, coverage or home page figures. The same seed and end date give
the same rows. One audit entry records the run.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cradle.outcomes.synth import loader
from cradle.outcomes.synth.generate import DEFAULT_REFERRALS_PER_YEAR


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--end must be a date as YYYY-MM-DD, not {text!r}") from None


class Command(BaseCommand):
    help = "Make synthetic (clearly labelled, never public) teams and outcomes records."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, help="how many synthetic teams (1-999)")
        parser.add_argument("--years", type=int, help="years of records, ending on --end")
        parser.add_argument("--seed", type=int, default=0, help="same seed, same rows")
        parser.add_argument(
            "--referrals-per-year", type=int, default=DEFAULT_REFERRALS_PER_YEAR,
            help="mean referrals per team per year; team sizes are skewed around it (a few "
                 f"large teams, many small; default {DEFAULT_REFERRALS_PER_YEAR})")
        parser.add_argument("--end", help="last day of the records, YYYY-MM-DD (default "
                                          "today); not in the future")
        parser.add_argument("--clear", action="store_true",
                            help="delete earlier synthetic data first")
        parser.add_argument("--clear-only", action="store_true",
                            help="only delete the synthetic data, make nothing")

    def handle(self, *args, teams, years, seed, referrals_per_year, end, clear,
               clear_only, **options):
        self.verbosity = options["verbosity"]
        if clear_only:
            counts = loader.clear()
            self.stdout.write(f"Deleted {counts['teams']} synthetic teams and their records")
            return
        if teams is None or years is None:
            raise CommandError("Give --teams and --years (or --clear-only)")
        end_date = _date(end) if end else datetime.date.today()
        if end_date > datetime.date.today():
            raise CommandError("--end must not be in the future")
        try:
            counts, seconds = loader.timed_load(
                teams=teams, years=years, seed=seed, referrals_per_year=referrals_per_year,
                end=end_date, clear_first=clear, progress=self._progress)
        except (loader.SynthError, ValueError) as problem:
            raise CommandError(str(problem)) from None
        rows = sum(counts.values())
        self.stdout.write(
            f"Made {counts['teams']} synthetic teams, {years} years to {end_date} (seed "
            f"{seed}): " + ", ".join(f"{n:,} {name.replace('_', ' ')}"
                                     for name, n in counts.items() if name != "teams"))
        self.stdout.write(f"{rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity >= 2:
            self.stderr.write(f"team {done} of {total}")

