"""`cradle pooled rebuild [--team T]` and `cradle pooled verify [--team T]` (ADR 0023)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cradle.directory.models import Service
from cradle.pooled import summaries

SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = (
        "The pooled report's summaries, kept by the outcomes actions inside their "
        "transactions. `rebuild` recomputes them from the records; `verify` compares the two "
        "and fails naming every difference."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("rebuild", "Recompute the summaries from the records (one "
                                       "transaction per team)."),
                           ("verify", "Compare the summaries with the records; change "
                                      "nothing.")):
            command = sub.add_parser(name, help=text)
            command.add_argument(
                "--team", action="append", metavar="TEAM",
                help="Only this team: its database id or register reference (e.g. T15); "
                     "may be given more than once. Every team when left out.")

    def handle(self, *args, subcommand, team=None, **options):
        team_ids = self.teams(team) if team else None
        if subcommand == "rebuild":
            written = summaries.rebuild(team_ids)
            self.stdout.write(f"pooled summaries rebuilt: {written['teams']} teams, "
                              f"{written['facts']} facts, {written['pairs']} measure pairs")
            return
        checked, problems = summaries.verify(team_ids)
        if problems:
            shown = "\n".join(f"  {line}" for line in problems[:SHOWN_PROBLEMS])
            more = (f"\n  … and {len(problems) - SHOWN_PROBLEMS} more"
                    if len(problems) > SHOWN_PROBLEMS else "")
            raise CommandError(
                f"pooled summaries differ from the records: {len(problems)} difference"
                f"{'' if len(problems) == 1 else 's'} in {checked} teams\n{shown}{more}\n"
                "Run `cradle pooled rebuild` (with the same --team) to recompute them.")
        self.stdout.write(f"pooled summaries match the records: {checked} teams checked")

    def teams(self, values: list[str]) -> list[int]:
        ids = []
        for value in values:
            query = Q(register_ref=value)
            if value.isdigit():
                query |= Q(pk=int(value))
            found = list(Service.objects.filter(query).values_list("pk", flat=True))
            if len(found) != 1:
                raise CommandError(f"--team {value}: no such team (give its database id or "
                                   "register reference)")
            ids += found
        return ids
