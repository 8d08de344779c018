import json
import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cradle.foi.actions_bodies import load_todays_bodies
from cradle.foi.analysis import merge_by_area, summarise
from cradle.foi.deadlines import HolidayDataError, Regime, due_date
from cradle.foi.responses_csv import ResponsesFileError, parse_responses
from cradle.foi.todays_bodies import SOURCE_FILES, BodiesSourceError
from cradle.geography.models import Area

# Where the public source files are, as for `cradle data build`.
DEFAULT_SOURCE = Path("..") / "shared" / "data"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: str) -> date:
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--received must be a real date written YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Freedom of Information requests. `deadline` prints the statutory response date "
        "(20 working days following receipt) under FOIA 2000 or FOISA 2002. `analyse` "
        "checks a CSV of responses about CAMHS for under-3s and prints the headline figures. "
        "`receive-mail` runs the SMTP server that stores replies to requests. "
        "`load-bodies` loads today's ICBs, sub-ICB locations, trusts and boards (idempotent)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        deadline = sub.add_parser(
            "deadline", help="Print the statutory due date of a request, as YYYY-MM-DD.")
        deadline.add_argument(
            "--received", required=True,
            help="The day the authority received the request (or the clarification), YYYY-MM-DD.")
        deadline.add_argument(
            "--regime", required=True,
            help="foia (Freedom of Information Act 2000) or foisa (the Scottish Act of 2002).")
        analyse = sub.add_parser(
            "analyse", help="Check a responses CSV and print the figures about under-3s in CAMHS.")
        analyse.add_argument(
            "file", help="The responses CSV (see cradle.foi.responses_csv for the columns).")
        analyse.add_argument(
            "--json", action="store_true", help="Print the figures as JSON instead of a summary.")

        receive = sub.add_parser(
            "receive-mail", help="Run the SMTP server an MTA delivers replies to (ADR 0029).")
        receive.add_argument("--host", help="Address to listen on (CRADLE_FOI_RECEIVE_HOST).")
        receive.add_argument("--port", type=int,
                             help="Port to listen on (CRADLE_FOI_RECEIVE_PORT, default 8025).")

        load = sub.add_parser(
            "load-bodies", help="Load today's FOI bodies from the public source files.")
        load.add_argument(
            "--source", type=Path,
            default=Path(settings.CRADLE_SOURCE_DATA_DIR) if settings.CRADLE_SOURCE_DATA_DIR
            else DEFAULT_SOURCE,
            help=f"Folder holding {', '.join(SOURCE_FILES)} (default ../shared/data or "
                 "$CRADLE_SOURCE_DATA_DIR).")

    def handle(self, *args, action, **options):
        if action == "receive-mail":
            from cradle.foi.receive_command import receive_mail

            receive_mail(self, host=options["host"], port=options["port"])
        elif action == "load-bodies":
            self.load_bodies(options["source"])
        elif action == "deadline":
            self.deadline(options["received"], options["regime"])
        elif action == "analyse":
            self.analyse(options["file"], as_json=options["json"])

    def load_bodies(self, source: Path) -> None:
        if not source.is_dir():
            raise CommandError(f"source folder {source} does not exist (use --source)")
        try:
            counts = load_todays_bodies(source_dir=source)
        except BodiesSourceError as error:
            raise CommandError("nothing was loaded:\n" + "\n".join(error.errors)) from error
        for warning in counts["warnings"]:
            self.stderr.write(f"warning: {warning}")
        if not counts["created"] and not counts["updated"]:
            self.stdout.write(f"Today's bodies: already up to date ({counts['unchanged']}); "
                              "nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Today's bodies: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."))

    def deadline(self, received: str, regime: str) -> None:
        day = iso_date(received)
        try:
            chosen = Regime(regime.lower())
        except ValueError:
            choices = " or ".join(r.value for r in Regime)
            raise CommandError(f"--regime must be {choices}, not {regime!r}") from None
        try:
            self.stdout.write(due_date(day, chosen).isoformat())
        except HolidayDataError as error:
            raise CommandError(str(error)) from error

    def analyse(self, path: str, as_json: bool) -> None:
        known = set(Area.objects.in_scheme("ccg2019").exclude(ods_code="")
                    .values_list("ods_code", flat=True))
        if not known:
            raise CommandError("No 2019 CCG areas in the database: run `cradle data load` first.")
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                parsed = parse_responses(lines, known)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        except ResponsesFileError as error:
            raise CommandError(f"{path}: {error}") from error
        areas = merge_by_area(parsed.rows)
        for warning in parsed.warnings:
            self.stderr.write(f"warning: {warning}")
        for area in areas.values():
            for note in area.notes:
                self.stderr.write(f"note: {note}")
        figures = summarise(areas.values())
        if as_json:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            self.stdout.write(summary_text(figures, rows=len(parsed.rows), areas=len(areas)))


def summary_text(figures: dict, rows: int, areas: int) -> str:
    def pct(key: str) -> str:
        return "n/a" if figures[key] is None else f"{figures[key]}%"

    source = figures["disaggregated_source"]
    mean = figures["mean_referred_0_18_in_1_to_5_referral_areas"]
    lines = [
        f"Rows read: {rows}, about {areas} areas.",
        f"Areas with acceptance data: {figures['areas_with_acceptance_data']}",
        f"  accepting referrals of any child aged 2 and under: "
        f"{figures['areas_accepting_any']} ({pct('pct_accepting_any')})",
        f"  accepting none: {figures['areas_accepting_none']} ({pct('pct_accepting_none')})",
        f"Accepting areas with referral and access data by age: "
        f"{figures['accepting_areas_with_disaggregated_data']} "
        f"(from the CCG {source['ccg']}, from the trust {source['trust']})",
        f"  with referrals of under-3s: {figures['areas_with_referrals_under3']} "
        f"(1 to 5: {figures['areas_with_1_to_5_referrals_under3']}; "
        f"mean 0-18 referrals in those: {'n/a' if mean is None else mean})",
        f"  with no referrals of under-3s: {figures['areas_with_no_referrals_under3']}",
        f"  with under-3s accessing the service: {figures['areas_with_access_under3']} "
        f"(1 to 5: {figures['areas_with_1_to_5_access_under3']})",
        f"  with no under-3s accessing the service: {figures['areas_with_no_access_under3']} "
        f"({pct('pct_no_access_under3')})",
        f"  with over 100 under-3s accessing the service: "
        f"{', '.join(figures['areas_over_100_access_under3']) or 'none'}",
        f"Areas with full data (0-18 totals too): {figures['areas_with_full_data']}",
    ]
    for area in figures["per_area"]:
        lines.append(f"  {area['area_code']}: {area['pct_referred_under3']}% of referrals, "
                     f"{area['pct_accessed_under3']}% of access were aged 2 and under")
    return "\n".join(lines)
