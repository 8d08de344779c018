import json

from django.core.management.base import BaseCommand

from cradle.geography.models import LATEST_POPULATION_YEAR, Area, Population
from cradle.geography.schemes import POPULATION_YEARS, SCHEMES_BY_KEY


class Command(BaseCommand):
    help = "List the areas of one scheme with their population aged 0-2."

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, choices=list(SCHEMES_BY_KEY))
        parser.add_argument("--year", type=int, choices=POPULATION_YEARS,
                            default=LATEST_POPULATION_YEAR,
                            help="Mid-year of the population estimate (default latest).")
        parser.add_argument("--json", action="store_true", help="One JSON object per area.")

    def handle(self, *args, scheme, year, json: bool, **options):
        areas = list(Area.objects.in_scheme(scheme).with_infant_population(year).order_by("code"))
        methods = dict(
            Population.objects.filter(area__scheme=scheme, year=year, age=0)
            .values_list("area_id", "method"))
        rows = [
            {
                "code": area.code,
                "ods_code": area.ods_code or None,
                "name": area.name,
                "nation": area.nation,
                "population_0_2": area.population_0_2,
                "method": methods.get(area.id),
            }
            for area in areas
        ]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(
                f"{row['code']:<10} {row['ods_code'] or '':<6} {row['population_0_2'] or 0:>8} "
                f"{row['method'] or '':<18} {row['name']}")
        self.stdout.write(f"{len(rows)} areas; population aged 0-2 at mid-{year}")


def _dumps(rows):
    return json.dumps(rows, indent=2, ensure_ascii=False)
