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
    help = "How many teams operated on a date, and what share of babies lived where one did."

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
                f"{nation:<17} {row.areas_with_team:>3} of {row.areas:>3} areas with a team; "
                f"{row.population_0_2_covered:>8,} of {row.population_0_2:>9,} babies aged 0-2 "
                f"({row.pct_covered}%)")


def _dumps(data):
    return json.dumps(data, indent=2)
