import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from cradle.planning.costs import cost_team
from cradle.planning.reference_data import PlanningDataError, shipped
from cradle.planning.sizing import size_team, sizing_summary


def _births(text: str) -> int:
    try:
        births = int(text)
    except ValueError:
        raise CommandError(f"--births must be a whole number, not {text!r}") from None
    if births < 0:
        raise CommandError("--births cannot be negative")
    return births


def _percentage(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"--on-cost must be a percentage such as 28, not {text!r}") from None
    if not value.is_finite() or value < 0:
        raise CommandError("--on-cost must be a percentage, zero or more")
    return value


class Command(BaseCommand):
    help = "Planning figures: `plan size --births N` sizes and costs a team for an area."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        size = commands.add_parser(
            "size", help="The reference team scaled to N births a year, with its cost.")
        size.add_argument("--births", required=True, help="Births a year in the area.")
        size.add_argument("--json", action="store_true",
                          help="Print {births, roles, total_wte, annual_cost} as JSON.")
        size.add_argument("--on-cost", help="Employer on-costs as a percentage of basic pay "
                                            "(default: data/costs.toml).")

    def handle(self, *args, action, births, json: bool, on_cost, **options):
        try:
            data = shipped()
        except PlanningDataError as error:
            raise CommandError(str(error)) from None
        on_cost_pct = data.costs.on_cost_pct if on_cost is None else _percentage(on_cost)
        team = size_team(_births(births), data.reference)
        cost = cost_team(team, data.pay.table, on_cost_pct)
        if json:
            self.stdout.write(_dumps(sizing_summary(team, cost.annual_cost)))
            return
        self.stdout.write(f"A team for {team.births:,} births a year, scaled from "
                          f"{data.reference.name} ({data.reference.births:,} births)")
        for role in cost.roles:
            low, high = role.cost.rounded()
            bands = (f"band {role.sized.spec.band_low}"
                     if role.sized.spec.band_low == role.sized.spec.band_high
                     else f"bands {role.sized.spec.band_low}-{role.sized.spec.band_high}")
            self.stdout.write(f"  {role.sized.role:<42} {role.sized.wte:>6} WTE  "
                              f"£{low:>9,} to £{high:>9,}  ({bands})")
        low, high = cost.total.rounded()
        self.stdout.write(f"  {'Total':<42} {team.total_wte:>6} WTE  £{low:>9,} to £{high:>9,}")
        self.stdout.write(f"Annual cost (midpoint): £{cost.annual_cost:,}, with on-costs of "
                          f"{on_cost_pct}% on {data.costs.year} Agenda for Change pay.")


def _dumps(data) -> str:
    return json.dumps(data)
