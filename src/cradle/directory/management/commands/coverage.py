import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from cradle.directory.coverage_queries import coverage_report


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = ("How many teams operated on a date, which areas were covered, partly covered or "
            "not covered, and what share of babies lived where a team did.")

    def add_arguments(self, parser):
        parser.add_argument("--on", required=True, help="Date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, on, json: bool, **options):
        report = coverage_report(iso_date(on))
        if json:
            self.stdout.write(_dumps(report.as_dict()))
            return
        self.stdout.write(f"On {report.on}: {report.teams_operating} teams operating")
        for nation, row in [*report.nations.items(), ("UK", report.uk)]:
            self.stdout.write(
                f"{nation:<17} {row.areas_covered:>3} covered, {row.areas_partly_covered:>3} "
                f"partly covered, {row.areas_not_covered:>3} not covered (of {row.areas:>3} "
                f"areas); {row.population_0_2_covered:>8,} of {row.population_0_2:>9,} babies "
                f"aged 0-2 live where a team operates ({row.pct_covered}%)")
        unknown = report.uk.areas_share_not_known
        if unknown:
            self.stdout.write(f"{unknown} partly covered area{'s' * (unknown != 1)} with the "
                              "share of babies not known: not counted in the babies covered.")

def _dumps(data):
    return json.dumps(data, indent=2)
