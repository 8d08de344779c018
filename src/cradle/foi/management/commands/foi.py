import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cradle.foi.deadlines import HolidayDataError, Regime, due_date

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
        "(20 working days following receipt) under FOIA 2000 or FOISA 2002."
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

    def handle(self, *args, action, **options):
        if action == "deadline":
            self.deadline(options["received"], options["regime"])

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
