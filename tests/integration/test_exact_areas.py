"""Issue 14: exact 2019 CCGs, today's areas, and no babies of an authority an area does not touch."""

import csv
import json
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.core.management import call_command
from shapely.geometry import shape

from cradle.geography.lad2023 import april_2020_parts
from cradle.geography.models import Area, AreaSuccession, LocalAuthorityOverlap, Population

pytestmark = pytest.mark.django_db

SOURCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_sources = pytest.mark.skipif(not SOURCE_DIR.is_dir(),
                                   reason="needs the source files in ../shared/data")
BUCKINGHAMSHIRE = {"E07000004", "E07000005", "E07000006", "E07000007"}


def areas_json(*args):
    out = StringIO()
    call_command("areas", *args, "--json", stdout=out)
    return {area["ods_code"] or area["code"]: area for area in json.loads(out.getvalue())}


def babies(scheme, codes, year=2019):
    return sum(Population.objects.filter(area__scheme=scheme, area__code__in=codes, year=year)
               .values_list("count", flat=True))


@pytest.mark.parametrize(("ods", "las"), [
    ("07M", ["E09000003"]),  # Barnet
    ("08P", ["E09000027"]),  # Richmond upon Thames
    ("07T", ["E09000001", "E09000012"]),  # City of London and Hackney
    ("07R", ["E09000007"]),  # Camden (4.8% of whose babies were once put in Barnet)
    ("07V", ["E09000008"]),  # Croydon (4.5% of whose babies were once put in Richmond)
])
@pytest.mark.parametrize("year", [2019, 2020])
def test_london_ccgs_hold_exactly_their_boroughs_babies(ods, las, year):
    ccg = areas_json("--scheme", "ccg2019", "--year", str(year))[ods]
    assert ccg["method"] == "la-union"
    assert ccg["population_0_2"] == babies("la", las, year)
    overlaps = LocalAuthorityOverlap.objects.filter(area__scheme="ccg2019", area__code=ccg["code"])
    assert sorted(o.local_authority.code for o in overlaps) == sorted(las)


def test_every_2019_ccg_is_the_sum_of_its_parts():
    """Whole authorities exactly; a CCG splitting an authority gets its share of it, which
    rounding by largest remainder keeps within one baby per authority and age."""
    la_babies = defaultdict(int)
    for code, count in Population.objects.filter(area__scheme="la", year=2019).values_list(
            "area__code", "count"):
        la_babies[code] += count
    for ccg in Area.objects.in_scheme("ccg2019").prefetch_related("la_overlaps__local_authority"):
        parts = list(ccg.la_overlaps.all())
        figure = babies("ccg2019", [ccg.code])
        methods = set(ccg.populations.values_list("method", flat=True))
        expected = sum(float(p.share_0_2) * la_babies[p.local_authority.code] for p in parts)
        if all(p.share_0_2 == 1 for p in parts):
            assert methods == {"la-union"}, ccg.code
            assert figure == sum(la_babies[p.local_authority.code] for p in parts), ccg.code
        else:
            assert methods == {"lsoa-apportioned"}, ccg.code
            # Shares are of babies aged 0-2 together; single ages are split on their own shares.
            assert abs(figure - expected) <= 0.02 * expected + 3 * len(parts), ccg.code


def read_rows(name):
    with (SOURCE_DIR / name).open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.DictReader(handle)


def lsoa_authorities():
    return {row["LSOA11CD"]: ("E06000060" if row["LAD19CD"] in BUCKINGHAMSHIRE
                              else row["LAD19CD"])
            for row in read_rows("lsoa11_ccg19_lad19_lookup_en.csv")}


def shipped_overlaps(scheme):
    pairs = defaultdict(set)
    for area, la in LocalAuthorityOverlap.objects.filter(area__scheme=scheme).values_list(
            "area__code", "local_authority__code"):
        pairs[la].add(area)
    return pairs


def touches_by_lsoa(file_name, code_column, area_column, las):
    touches = defaultdict(set)
    for row in read_rows(file_name):
        if row[code_column] in las:
            touches[las[row[code_column]]].add(row[area_column])
    return touches


def assert_within(overlaps, touches, scheme):
    outside = sorted((area, la) for la, areas in overlaps.items() for area in areas
                     if area not in touches.get(la, set()))
    assert not outside, f"{scheme}: areas hold babies of authorities they do not touch: {outside}"


@needs_sources
def test_2019_ccgs_are_the_ons_lookups_membership():
    las = lsoa_authorities()
    by_ccg = defaultdict(set)
    areas_of_la = defaultdict(set)
    for row in read_rows("lsoa11_ccg19_lad19_lookup_en.csv"):
        by_ccg[row["CCG19CD"]].add(las[row["LSOA11CD"]])
        areas_of_la[las[row["LSOA11CD"]]].add(row["CCG19CD"])
    overlaps = defaultdict(set)
    for area, la in LocalAuthorityOverlap.objects.filter(area__scheme="ccg2019").values_list(
            "area__code", "local_authority__code"):
        overlaps[area].add(la)
    assert dict(overlaps) == dict(by_ccg)
    for ccg in Area.objects.in_scheme("ccg2019"):
        whole = all(areas_of_la[la] == {ccg.code} for la in by_ccg[ccg.code])
        method = ccg.populations.values_list("method", flat=True).first()
        assert (method == "la-union") == whole, ccg.code


@needs_sources
def test_no_area_holds_babies_of_an_authority_it_does_not_touch():
    las = lsoa_authorities()
    for scheme, file_name, code_column, area_column in [
            ("ccg2019", "lsoa11_ccg19_lad19_lookup_en.csv", "LSOA11CD", "CCG19CD"),
            ("ccg2021", "lsoa11_ccg21_lad21_lookup_en.csv", "LSOA11CD", "CCG21CD"),
            ("subicb2022", "lsoa11_sicbl22_lhb20_lookup_ew.csv", "lsoa_code", "region_code")]:
        assert_within(shipped_overlaps(scheme),
                      touches_by_lsoa(file_name, code_column, area_column, las), scheme)
    subicb2024 = touches_by_lsoa("lsoa21_sicbl24_icb24_lookup_en.csv", "lsoa21_code",
                                 "sicbl24_code", las)
    for row in read_rows("lad24_to_sicbl24_icb24_by_lsoa21_count.csv"):
        if april_2020_parts(row["ltla24_code"]) == (row["ltla24_code"],):
            subicb2024[row["ltla24_code"]].add(row["sicbl24_code"])
    assert_within(shipped_overlaps("subicb2024"), subicb2024, "subicb2024")
    # ICBs: unions of their sub-ICB locations, and the 2026 ones of the 2024 ICBs they took.
    for icb_scheme, subicb_scheme in [("icb2023", "subicb2022"), ("icb2024", "subicb2024")]:
        parent = dict(Area.objects.in_scheme(subicb_scheme).values_list("code", "parent__code"))
        touches = {la: {parent[a] for a in areas}
                   for la, areas in shipped_overlaps(subicb_scheme).items()}
        assert_within(shipped_overlaps(icb_scheme), touches, icb_scheme)
    successor = defaultdict(set)
    for old, new in AreaSuccession.objects.filter(predecessor__scheme="icb2024").values_list(
            "predecessor__code", "successor__code"):
        successor[old].add(new)
    touches = {la: {new for old in icbs for new in successor[old]}
               for la, icbs in shipped_overlaps("icb2024").items()}
    assert_within(shipped_overlaps("icb2026"), touches, "icb2026")
    crosswalk = defaultdict(set)
    for row in read_rows("la_to_devolved_health_body.csv"):
        crosswalk[row["lad_code"]].add(row["body_code"])
    for scheme in ("lhb", "hb"):
        assert_within(shipped_overlaps(scheme), crosswalk, scheme)


def test_ni_trusts_hold_babies_only_of_councils_they_overlap():
    """The NI crosswalk is coarser than the trusts (which follow the pre-2015 councils), so
    here touching is overlapping on the map."""
    shapes = {(a.scheme, a.code): shape(a.boundary) for a in Area.objects.filter(
        scheme__in=["nitrust", "la"], nation="Northern Ireland")}
    for overlap in LocalAuthorityOverlap.objects.filter(area__scheme="nitrust").select_related(
            "area", "local_authority"):
        trust = shapes[("nitrust", overlap.area.code)]
        council = shapes[("la", overlap.local_authority.code)]
        assert shapely.intersection(trust, council).area > 0, overlap.area.code


def test_todays_schemes_have_their_areas():
    counts = {scheme: Area.objects.in_scheme(scheme).count()
              for scheme in ("subicb2024", "icb2024", "icb2026")}
    assert counts == {"subicb2024": 106, "icb2024": 42, "icb2026": 36}
    south_yorkshire = Area.objects.get(scheme="subicb2024", ods_code="02P")
    assert (south_yorkshire.parent.scheme, south_yorkshire.parent.ods_code) == ("icb2024", "QF7")
    assert all(icb.children.exists() for icb in Area.objects.in_scheme("icb2024"))


def test_the_new_2026_icbs_are_marked_derived_with_their_parts():
    icbs = {a.code: a for a in Area.objects.in_scheme("icb2026")}
    derived = {code for code, area in icbs.items() if area.derived}
    assert derived == {"Z9B2Z", "S1Y5D", "D7T5G", "T6Y0W", "S9B9J", "S0E4D"}
    for code in derived:
        area = icbs[code]
        assert area.ods_code == code and area.nation == "England"
        assert area.note.startswith("Derived:")
        assert set(area.populations.values_list("method", flat=True)) == {"derived-union"}
        assert set(area.child_populations.values_list("method", flat=True)) == {"derived-union"}
    assert "Hart" in icbs["S9B9J"].note and "Not evidenced" in icbs["S9B9J"].note
    unchanged = icbs["QMF"]  # North East London: the 2024 ICB
    assert not unchanged.derived
    assert babies("icb2026", ["QMF"], 2020) == babies(
        "icb2024", [Area.objects.get(scheme="icb2024", ods_code="QMF").code], 2020)
    # West and North London is North Central plus North West London.
    london = Area.objects.filter(scheme="icb2024", ods_code__in=["QMJ", "QRV"])
    assert babies("icb2026", ["Z9B2Z"]) == babies("icb2024", [a.code for a in london])


def test_areas_pages_show_dates_in_force_and_derived_areas(client):
    html = client.get("/areas/").content.decode()
    assert '<td class="nhsuk-table__cell" data-in-force="icb2026">From 2026-04-01</td>' in html
    assert 'data-in-force="ccg2019">2019-04-01 to 2020-03-31<' in html
    detail = client.get("/areas/icb2026/").content.decode()
    assert "Derived" in detail and 'data-in-force="icb2026"' in detail
    area = client.get("/areas/icb2026/S1Y5D/").content.decode()
    assert 'data-derived="true"' in area and "From 2026-04-01" in area
    assert 'data-derived="true"' not in client.get("/areas/icb2026/QMF/").content.decode()
