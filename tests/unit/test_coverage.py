"""Coverage arithmetic on a small hand-made geography.

    England, scheme ccg2019 (in force in 2019):
      CCG A = LA1 (whole) + 25% of LA2's babies
      CCG B = 75% of LA2's babies
      County C = LA1 + LA3;  CCG D = LA3 (whole)
    Wales, scheme lhb: LHB W = LA9 (whole)
    Babies aged 0-2: LA1 1000, LA2 400, LA3 600, LA9 500
"""

import datetime

import pytest

from cradle.directory.coverage import (
    Geography,
    ServiceCover,
    coverage_on,
    finest_areas,
    schemes_in_force,
)

ON = datetime.date(2019, 6, 30)
GEO = Geography(
    la_population={"LA1": 1000, "LA2": 400, "LA3": 600, "LA9": 500},
    la_nation={"LA1": "England", "LA2": "England", "LA3": "England", "LA9": "Wales"},
    area_las={
        ("ccg2019", "A"): {"LA1": 1.0, "LA2": 0.25},
        ("ccg2019", "B"): {"LA2": 0.75},
        ("ccg2019", "D"): {"LA3": 1.0},
        ("lhb", "W"): {"LA9": 1.0},
        ("la", "LA1"): {"LA1": 1.0}, ("la", "LA2"): {"LA2": 1.0},
        ("la", "LA3"): {"LA3": 1.0}, ("la", "LA9"): {"LA9": 1.0},
        ("county", "C"): {"LA1": 1.0, "LA3": 1.0},
    },
    area_nation={
        ("ccg2019", "A"): "England", ("ccg2019", "B"): "England", ("ccg2019", "D"): "England",
        ("lhb", "W"): "Wales", ("la", "LA1"): "England", ("la", "LA2"): "England",
        ("la", "LA3"): "England", ("la", "LA9"): "Wales", ("county", "C"): "England",
    },
)


def status_of(report, code):
    return next(a.status for a in report.areas if a.key[1] == code)


def test_no_services_covers_nobody():
    report = coverage_on(ON, GEO, [])
    assert report.teams_operating == 0
    assert report.nations["England"].as_dict() == {
        "areas": 3, "areas_with_team": 0, "population_0_2": 2000,
        "population_0_2_covered": 0, "pct_covered": 0.0}
    assert report.uk.population_0_2 == 2500


def test_a_health_area_team_covers_its_share_of_each_local_authority():
    report = coverage_on(ON, GEO, [ServiceCover("team", (("ccg2019", "A"),))])
    # LA1 whole (1000) + a quarter of LA2 (100)
    assert report.nations["England"].population_0_2_covered == 1100
    assert report.nations["England"].pct_covered == 55.0
    assert [status_of(report, c) for c in "ABD"] == ["team", "none", "none"]


def test_a_town_team_covers_its_local_authority_not_the_whole_ccg():
    # Recorded against both CCG B and LA2: the finest geography (LA2) counts.
    team = ServiceCover("team", (("ccg2019", "B"), ("la", "LA2")))
    report = coverage_on(ON, GEO, [team])
    assert report.nations["England"].population_0_2_covered == 400
    # LA2's babies are spread over A and B, so both have a team in part.
    assert [status_of(report, c) for c in "ABD"] == ["team", "team", "none"]
    assert report.nations["England"].areas_with_team == 2


def test_a_county_team_covers_every_district():
    report = coverage_on(ON, GEO, [ServiceCover("team", (("county", "C"),))])
    assert report.nations["England"].population_0_2_covered == 1600
    assert [status_of(report, c) for c in "ABD"] == ["team", "none", "team"]


def test_overlapping_teams_do_not_count_babies_twice():
    teams = [ServiceCover("team", (("ccg2019", "A"),)), ServiceCover("team", (("la", "LA1"),))]
    report = coverage_on(ON, GEO, teams)
    assert report.nations["England"].population_0_2_covered == 1100
    assert report.teams_operating == 2


def test_camhs_specialists_are_shown_but_not_counted_as_cover():
    report = coverage_on(ON, GEO, [ServiceCover("camhs_specialists", (("ccg2019", "D"),)),
                                   ServiceCover("team", (("lhb", "W"),))])
    assert status_of(report, "D") == "specialists"
    assert report.nations["England"].population_0_2_covered == 0
    assert report.nations["Wales"].as_dict()["pct_covered"] == 100.0
    assert report.uk.as_dict() == {"areas": 4, "areas_with_team": 1, "population_0_2": 2500,
                                   "population_0_2_covered": 500, "pct_covered": 20.0}
    assert report.teams_operating == 1


def test_json_shape_is_the_agreed_contract():
    data = coverage_on(ON, GEO, []).as_dict()
    assert list(data) == ["on", "teams_operating", "nations", "uk"]
    assert data["on"] == "2019-06-30"
    assert set(data["nations"]) == {"England", "Wales", "Scotland", "Northern Ireland"}


@pytest.mark.parametrize(("on", "england"), [
    ("2018-06-30", "ccg2019"), ("2019-06-30", "ccg2019"), ("2020-06-30", "ccg2019"),
    ("2021-03-31", "ccg2019"), ("2021-04-01", "ccg2021"), ("2022-06-30", "ccg2021"),
    ("2022-07-01", "subicb2022"), ("2024-03-31", "subicb2022"), ("2024-04-01", "subicb2024"),
    ("2025-06-30", "subicb2024"), ("2026-03-31", "subicb2024"), ("2026-04-01", "icb2026"),
    ("2026-11-26", "icb2026"),
])
def test_scheme_in_force_for_england(on, england):
    schemes = schemes_in_force(datetime.date.fromisoformat(on))
    assert schemes == {"England": england, "Wales": "lhb", "Scotland": "hb",
                       "Northern Ireland": "nitrust"}


def test_finest_areas_prefers_local_authorities():
    assert finest_areas([("ccg2019", "A"), ("la", "LA1")]) == (("la", "LA1"),)
    assert finest_areas([("ccg2019", "A")]) == (("ccg2019", "A"),)
