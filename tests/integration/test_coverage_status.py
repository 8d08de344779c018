"""Covered, partly covered, not covered (ADR 0017) through the command, the pages and the
planning views, on the shipped 2019 register.

These tests assert the rule and the shape, not today's counts: the 2019 CCGs are being rebuilt
from exact LSOA lookups, which moves the apportioned shares (and so the counts) but not the rule.
"""

import csv
import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cradle.directory.coverage import STATUSES, planning_schemes, schemes_in_force
from cradle.directory.coverage_queries import coverage_report
from cradle.directory.models import Service, ServiceCoverage, StatusChange
from cradle.directory.register_import import DATA_DIR, REGISTER_FILE
from cradle.geography.models import Area

pytestmark = pytest.mark.django_db
RARE_JEWELS = "2019-06-30"
NATION_KEYS = {"areas", "areas_with_team", "areas_partly_covered", "areas_share_not_known",
               "population_0_2", "population_0_2_covered", "pct_covered"}
AREA_KEYS = {"scheme", "code", "name", "nation", "status", "pct_covered", "population_0_2",
             "named_by_team", "camhs_specialists"}


def coverage_json(on: str) -> dict:
    out = StringIO()
    call_command("coverage", "--on", on, "--json", stdout=out)
    return json.loads(out.getvalue())


def ccgs_the_2019_register_names() -> set[str]:
    """The ODS codes of the CCGs the register's operating teams name (its own areas)."""
    with open(DATA_DIR / REGISTER_FILE, newline="", encoding="utf-8") as handle:
        return {code.strip() for row in csv.DictReader(handle)
                if row["kind"] == "team" and row["status"] == "operating"
                and row["nation"] == "England"
                for code in row["health_areas"].split(";") if code.strip()}


def test_json_keeps_every_key_and_adds_partly_covered_and_the_areas():
    data = coverage_json(RARE_JEWELS)
    assert list(data) == ["on", "teams_operating", "nations", "uk", "areas"]
    for row in [*data["nations"].values(), data["uk"]]:
        assert set(row) == NATION_KEYS
    areas = data["areas"]
    assert len(areas) == data["uk"]["areas"]
    for area in areas:
        assert set(area) == AREA_KEYS
        assert area["status"] in STATUSES
        assert area["pct_covered"] is None or 0 <= area["pct_covered"] <= 100
    # The nation counts are counts of the areas list.
    for nation, row in [*data["nations"].items(), ("UK", data["uk"])]:
        mine = [a for a in areas if nation in ("UK", a["nation"])]
        assert row["areas_with_team"] == sum(a["status"] == "covered" for a in mine)
        assert row["areas_partly_covered"] == sum(a["status"] == "partly_covered" for a in mine)
    assert data["uk"]["areas_partly_covered"] == sum(
        n["areas_partly_covered"] for n in data["nations"].values())


def test_on_the_rare_jewels_date_no_ccg_is_covered_through_apportioning():
    """Every CCG reported covered is one the 2019 register names, or one whose babies are at
    least half covered; every other CCG with a team's babies in it is only partly covered."""
    ods_by_code = dict(Area.objects.filter(scheme="ccg2019").values_list("code", "ods_code"))
    named = ccgs_the_2019_register_names()
    ccgs = [a for a in coverage_json(RARE_JEWELS)["areas"] if a["scheme"] == "ccg2019"]
    assert len(ccgs) == 191
    covered = [a for a in ccgs if a["status"] == "covered"]
    assert covered
    for area in covered:
        assert ods_by_code[area["code"]] in named or area["pct_covered"] >= 50, area
    for area in ccgs:
        if area["named_by_team"]:
            assert ods_by_code[area["code"]] in named and area["status"] == "covered", area
        elif area["status"] == "partly_covered":
            assert area["pct_covered"] is None or 0 < area["pct_covered"] < 50, area
        elif area["status"] == "not_covered":
            assert area["pct_covered"] == 0, area
    # The register's own areas: every CCG it names is covered or partly covered.
    statuses = {ods_by_code[a["code"]]: a["status"] for a in ccgs}
    assert all(statuses[ods] in ("covered", "partly_covered") for ods in named)


def test_text_output_uses_the_same_words_and_counts():
    out = StringIO()
    call_command("coverage", "--on", RARE_JEWELS, stdout=out)
    data = coverage_json(RARE_JEWELS)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()[1:]}
    uk = data["uk"]
    not_covered = uk["areas"] - uk["areas_with_team"] - uk["areas_partly_covered"]
    assert re.search(rf"UK\s+{uk['areas_with_team']} covered,\s+{uk['areas_partly_covered']} "
                     rf"partly covered,\s+{not_covered} not covered \(of {uk['areas']} areas\)",
                     lines["UK"])


def test_coverage_page_shows_the_three_words_and_the_same_counts(client):
    html = client.get(reverse("directory:coverage-map"), {"on": RARE_JEWELS}).content.decode()
    data = coverage_json(RARE_JEWELS)
    for nation, row in [*data["nations"].items(), ("UK", data["uk"])]:
        assert f'data-areas-covered="{nation}">{row["areas_with_team"]}<' in html
        assert f'data-areas-partly-covered="{nation}">{row["areas_partly_covered"]}<' in html
    rows = re.findall(r'data-status="(\w+)" data-shade="(\w+)">.*?</th>\s*<td[^>]*>[^<]*</td>'
                      r'\s*<td[^>]*>([^<]*)</td>', html, re.S)
    assert len(rows) == data["uk"]["areas"]
    words = {"covered": "Covered", "partly_covered": "Partly covered (",
             "not_covered": "Not covered"}
    for status, shade, in_words in rows:
        assert in_words.startswith(words[status])
        assert shade == status or (shade, status) == ("specialists", "not_covered")
    assert any(status == "partly_covered" for status, _, _ in rows)


def record_unplaced_part(scheme: str) -> Area:
    """A team recorded as covering part of an English area of `scheme`, naming nothing finer:
    which part (and so the share of babies) is not known."""
    today = timezone.localdate()
    schemes = {**schemes_in_force(today), "England": scheme}
    uncovered = {row.key for row in coverage_report(today, schemes).areas
                 if row.status == "not_covered"}
    area = next(area for area in Area.objects.filter(scheme=scheme, nation="England")
                .order_by("code") if (area.scheme, area.code) in uncovered)
    team = Service.objects.create(name="Partial Coverage Test Team", kind="team",
                                  nation="England")
    StatusChange.objects.create(service=team, status="operating",
                                effective_from=datetime.date(2019, 1, 1))
    ServiceCoverage.objects.create(service=team, area=area, partial=True)
    return area


@pytest.fixture
def unplaced_part():
    """In an area of the scheme coverage is counted on today."""
    return record_unplaced_part(schemes_in_force(timezone.localdate())["England"])


@pytest.fixture
def unplaced_planning_part():
    """In an area of the scheme teams are planned for today (the 2024 sub-ICB locations)."""
    return record_unplaced_part(planning_schemes(timezone.localdate())["England"])


def test_a_share_not_known_is_shown_as_not_known_never_0(client, unplaced_part):
    area = unplaced_part
    row = coverage_report(timezone.localdate()).area((area.scheme, area.code))
    assert (row.status, row.pct_covered) == ("partly_covered", None)
    html = client.get(reverse("geography:area-detail",
                              args=[area.scheme, area.code])).content.decode()
    assert 'data-area-status="partly_covered"' in html
    assert "this area is <strong>partly covered</strong>" in html
    assert "which part is not recorded" in html
    assert 'data-area-pct-covered=""' in html
    coverage = client.get(reverse("directory:coverage-map")).content.decode()
    assert "Partly covered (share of babies not known)" in coverage
    assert "data-share-not-known=" in coverage


def test_planning_shows_a_share_not_known_as_not_known(client, unplaced_planning_part):
    area = unplaced_planning_part
    row = coverage_report(timezone.localdate(), planning_schemes(timezone.localdate())).area(
        (area.scheme, area.code))
    assert (row.status, row.pct_covered) == ("partly_covered", None)
    profile = client.get(reverse("planning:area-profile",
                                 args=[area.scheme, area.code])).content.decode()
    assert "Partly covered (share of babies not known)" in profile
    assert 'data-coverage-status="partly_covered"' in profile
    assert "Not known: a team covers part of the area" in profile
    download = client.get(reverse("planning:area-csv", args=[area.scheme, area.code]))
    text = download.content.decode()
    assert "coverage,status,Partly covered (share of babies not known)," in text
    assert "coverage,babies aged 0 to 2 living where a team operates,not known,," in text


def test_planning_pages_use_the_same_words_and_counts(client):
    today = timezone.localdate()
    report = coverage_report(today, planning_schemes(today))
    html = client.get(reverse("planning:national")).content.decode()
    assert f'data-areas-covered="UK">{report.uk.areas_with_team}<' in html
    assert f'data-areas-partly-covered="UK">{report.uk.areas_partly_covered}<' in html
    for words in ("Covered: a gap may remain", "Partly covered: part of the area has no team",
                  "Not covered: the whole team is a gap"):
        assert words in html
    features = client.get(reverse("planning:gaps-geojson")).json()["features"]
    by_key = {(f["properties"]["scheme"], f["properties"]["code"]): f["properties"]
              for f in features}
    for row in report.areas:
        properties = by_key.get(row.key)
        if properties is None:
            continue  # an area drawn without a boundary
        assert properties["status"] == row.status and properties["shade"] == row.shade
        assert properties["status_in_words"].startswith(f"{row.in_words}; ")
    assert {p["status"] for p in by_key.values()} <= set(STATUSES)
    leeds = Area.objects.get(scheme="subicb2024", ods_code="15F")
    profile = client.get(reverse("planning:area-profile",
                                 args=[leeds.scheme, leeds.code])).content.decode()
    assert 'data-coverage-status="covered"' in profile
    text = client.get(reverse("planning:area-csv", args=[leeds.scheme, leeds.code])).content
    assert b"coverage,status,Covered," in text
