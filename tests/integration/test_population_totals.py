from pathlib import Path

import pytest
from django.db.models import Sum

from cradle.geography.build.sources import read_la_population
from cradle.geography.models import Area, ChildPopulation, Population
from cradle.geography.schemes import HEALTH_SCHEMES, SCHEMES_BY_KEY

pytestmark = pytest.mark.django_db

SOURCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
# Published ONS figures, quoted in the source files' provenance: UK babies aged 0.
UK_AGE_0 = {2019: 722_881, 2020: 701_897}
COUNTRY_CODES = {"England": "E92000001", "Wales": "W92000004", "Scotland": "S92000003",
                 "Northern Ireland": "N92000002"}


def total(year, **filters):
    return Population.objects.filter(year=year, **filters).aggregate(n=Sum("count"))["n"]


@pytest.mark.parametrize("year", [2019, 2020])
def test_uk_babies_aged_0_match_the_published_estimate(year):
    assert total(year, area__scheme="la", age=0) == UK_AGE_0[year]


@pytest.mark.parametrize("scheme", HEALTH_SCHEMES)
@pytest.mark.parametrize("year", [2019, 2020])
def test_health_areas_add_up_to_their_nations_local_authorities(scheme, year):
    for nation in SCHEMES_BY_KEY[scheme].nations:
        for age in (0, 1, 2):
            la_total = total(year, area__scheme="la", area__nation=nation, age=age)
            assert total(year, area__scheme=scheme, area__nation=nation, age=age) == la_total


@pytest.mark.skipif(not SOURCE_DIR.is_dir(), reason="needs the source files in ../shared/data")
@pytest.mark.parametrize(("year", "file_name", "encoding"), [
    (2019, "population_la_uk_syoa_mid2019.csv", "utf-8-sig"),
    (2020, "population_la_uk_syoa_mid2020.csv", "cp1252"),
])
def test_nation_totals_match_the_source_file(year, file_name, encoding):
    source = read_la_population(SOURCE_DIR / file_name, encoding)
    for nation, code in COUNTRY_CODES.items():
        published = sum(source[code]["ages"][age] for age in (0, 1, 2))
        published_children = source[code]["ages"]["0-17"]
        for scheme in ["la", *(s for s in HEALTH_SCHEMES if nation in SCHEMES_BY_KEY[s].nations)]:
            assert total(year, area__scheme=scheme, area__nation=nation) == published, scheme
            children = ChildPopulation.objects.filter(
                year=year, area__scheme=scheme, area__nation=nation).aggregate(n=Sum("count"))
            assert children["n"] == published_children, scheme


def test_unions_of_local_authorities_are_exact():
    dorset = Area.objects.get(scheme="ccg2019", ods_code="11J")
    figure = dorset.populations.get(year=2019, age=0)
    assert figure.method == "la-union"
    members = Population.objects.filter(
        area__scheme="la", area__code__in=["E06000058", "E06000059"], year=2019, age=0)
    assert figure.count == sum(p.count for p in members)


def test_split_local_authority_areas_say_they_are_approximated():
    southport = Area.objects.get(scheme="ccg2021", code="E38000161")
    assert {p.method for p in southport.populations.all()} == {"lsoa-apportioned"}
    sefton = Area.objects.get(scheme="la", code="E08000014")
    shares = {o.area.code: o.share_0_2 for o in sefton.health_area_overlaps.filter(
        area__scheme="ccg2021")}
    assert sum(shares.values()) == pytest.approx(1, abs=1e-5)
    assert set(shares) == {"E38000161", "E38000170"}
