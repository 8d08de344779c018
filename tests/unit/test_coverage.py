"""Coverage arithmetic and the covered / partly covered / not covered rule on a small hand-made
geography.

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
    COVERED,
    NOT_COVERED,
    PARTLY_COVERED,
    Geography,
    ServiceCover,
    area_status,
    coverage_on,
    finest_areas,
    map_key,
    planning_schemes,
    schemes_in_force,
    status_in_words,
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


def row_of(report, code):
    return next(a for a in report.areas if a.key[1] == code)


def test_no_services_covers_nobody():
    report = coverage_on(ON, GEO, [])
    assert report.teams_operating == 0
    assert report.nations["England"].as_dict() == {
        "areas": 3, "areas_with_team": 0, "areas_partly_covered": 0,
        "areas_share_not_known": 0, "population_0_2": 2000,
        "population_0_2_covered": 0, "pct_covered": 0.0}
    assert report.uk.population_0_2 == 2500


def test_a_health_area_team_covers_its_share_of_each_local_authority():
    report = coverage_on(ON, GEO, [ServiceCover("team", (("ccg2019", "A"),))])
    # LA1 whole (1000) + a quarter of LA2 (100)
    assert report.nations["England"].population_0_2_covered == 1100
    assert report.nations["England"].pct_covered == 55.0
    # A is named whole: covered.
    assert [status_of(report, c) for c in "ABD"] == [COVERED, NOT_COVERED, NOT_COVERED]


def test_a_town_team_covers_its_local_authority_not_the_whole_ccg():
    # Recorded against both CCG B and LA2: the finest geography (LA2) counts.
    team = ServiceCover("team", (("ccg2019", "B"), ("la", "LA2")))
    report = coverage_on(ON, GEO, [team])
    assert report.nations["England"].population_0_2_covered == 400
    # B is named whole: covered. LA2's babies are spread evenly over A (a quarter) and B, so
    # A holds 100 of LA2's 400 covered babies: 100 of its 1,100, some but under half.
    assert [status_of(report, c) for c in "ABD"] == [PARTLY_COVERED, COVERED, NOT_COVERED]
    assert row_of(report, "A").pct_covered == 9.1
    assert report.nations["England"].areas_with_team == 1
    assert report.nations["England"].areas_partly_covered == 1


def test_a_county_team_covers_every_district():
    report = coverage_on(ON, GEO, [ServiceCover("team", (("county", "C"),))])
    assert report.nations["England"].population_0_2_covered == 1600
    # A: LA1 whole (1000 of 1100 babies) is more than half; D: LA3 whole.
    assert [status_of(report, c) for c in "ABD"] == [COVERED, NOT_COVERED, COVERED]
    assert row_of(report, "A").pct_covered == 90.9


def test_overlapping_teams_do_not_count_babies_twice():
    teams = [ServiceCover("team", (("ccg2019", "A"),)), ServiceCover("team", (("la", "LA1"),))]
    report = coverage_on(ON, GEO, teams)
    assert report.nations["England"].population_0_2_covered == 1100
    assert report.teams_operating == 2


def test_camhs_specialists_are_shown_but_not_counted_as_cover():
    report = coverage_on(ON, GEO, [ServiceCover("camhs_specialists", (("ccg2019", "D"),)),
                                   ServiceCover("team", (("lhb", "W"),))])
    assert status_of(report, "D") == NOT_COVERED
    assert row_of(report, "D").specialists and row_of(report, "D").shade == "specialists"
    assert row_of(report, "D").in_words == "Not covered: CAMHS parent-infant specialists, no team"
    assert report.nations["England"].population_0_2_covered == 0
    assert report.nations["Wales"].as_dict()["pct_covered"] == 100.0
    assert report.uk.as_dict() == {"areas": 4, "areas_with_team": 1, "areas_partly_covered": 0,
                                   "areas_share_not_known": 0, "population_0_2": 2500,
                                   "population_0_2_covered": 500, "pct_covered": 20.0}
    assert report.teams_operating == 1


def test_json_shape_is_the_agreed_contract():
    data = coverage_on(ON, GEO, []).as_dict()
    assert list(data) == ["on", "teams_operating", "nations", "uk", "areas"]
    assert data["on"] == "2019-06-30"
    assert set(data["nations"]) == {"England", "Wales", "Scotland", "Northern Ireland"}


# The rule (ADR 0017), on plain rows: named whole, babies covered, an unplaced part -------

@pytest.mark.parametrize(("named", "population", "covered", "unplaced", "status"), [
    (True, 1000, 0, False, COVERED),          # named whole: covered, whatever the arithmetic
    (True, 0, 0, False, COVERED),             # even with no population loaded
    (False, 1000, 500, False, COVERED),       # exactly half: covered
    (False, 1000, 499.4, False, PARTLY_COVERED),  # just under half
    (False, 1000, 1000, False, COVERED),
    (False, 1000, 1, False, PARTLY_COVERED),  # some babies
    (False, 1000, 0.4, False, NOT_COVERED),   # under one baby once rounded: none
    (False, 1000, 0, False, NOT_COVERED),
    (False, 1000, 0, True, PARTLY_COVERED),   # a part of it, which part not known
    (False, 1000, 600, True, COVERED),        # at least half known, plus an unknown part
    (False, 0, 0, False, NOT_COVERED),
])
def test_area_status_rule(named, population, covered, unplaced, status):
    assert area_status(named=named, population_0_2=population, covered=covered,
                       unplaced_part=unplaced) == status


HALF_GEO = Geography(
    # CCG H holds LA5 and LA6 whole (200 babies each); CCG T holds 99% of LA7's babies and
    # CCG S the other 1% (an apportioning sliver) with LA8 whole.
    la_population={"LA5": 200, "LA6": 200, "LA7": 1000, "LA8": 990},
    la_nation=dict.fromkeys(("LA5", "LA6", "LA7", "LA8"), "England"),
    area_las={
        ("ccg2019", "H"): {"LA5": 1.0, "LA6": 1.0},
        ("ccg2019", "S"): {"LA7": 0.01, "LA8": 1.0},
        ("ccg2019", "T"): {"LA7": 0.99},
        ("la", "LA5"): {"LA5": 1.0}, ("la", "LA6"): {"LA6": 1.0},
        ("la", "LA7"): {"LA7": 1.0}, ("la", "LA8"): {"LA8": 1.0},
    },
    area_nation=dict.fromkeys((
        ("ccg2019", "H"), ("ccg2019", "S"), ("ccg2019", "T"), ("la", "LA5"), ("la", "LA6"),
        ("la", "LA7"), ("la", "LA8")), "England"),
    area_name={("ccg2019", "S"): "Sliver CCG"},
)


def test_a_team_covering_exactly_half_the_babies_makes_the_area_covered():
    report = coverage_on(ON, HALF_GEO, [ServiceCover("team", (("la", "LA5"),))])
    row = row_of(report, "H")
    assert (row.status, row.pct_covered, row.named) == (COVERED, 50.0, False)


def test_an_apportioning_sliver_makes_a_neighbour_partly_covered_with_its_share():
    # A team names CCG T and its council LA7; 1% of LA7's babies are placed in CCG S.
    team = ServiceCover("team", (("ccg2019", "T"), ("la", "LA7")),
                        partial=frozenset({("ccg2019", "T")}))
    report = coverage_on(ON, HALF_GEO, [team])
    sliver = row_of(report, "S")
    assert sliver.status == PARTLY_COVERED
    assert sliver.pct_covered == 1.0  # 10 of 1,000 babies
    assert sliver.in_words == "Partly covered (1% of babies)"
    # T is named but flagged partial: its share comes from LA7, the finer geography recorded.
    named = row_of(report, "T")
    assert (named.status, named.named, named.pct_covered) == (COVERED, False, 100.0)
    assert report.nations["England"].as_dict()["areas_partly_covered"] == 1


def test_an_area_named_whole_is_covered_even_where_apportioning_places_few_of_its_babies():
    team = ServiceCover("team", (("ccg2019", "S"),))
    row = row_of(coverage_on(ON, HALF_GEO, [team]), "S")
    assert (row.status, row.named, row.pct_covered) == (COVERED, True, 100.0)


def test_a_partial_area_with_nothing_finer_recorded_has_a_share_not_known():
    team = ServiceCover("team", (("ccg2019", "H"),), partial=frozenset({("ccg2019", "H")}))
    report = coverage_on(ON, HALF_GEO, [team])
    row = row_of(report, "H")
    assert row.status == PARTLY_COVERED
    assert row.share is None and row.pct_covered is None  # unknown, never 0
    assert row.in_words == "Partly covered (share of babies not known)"
    assert row.as_dict()["pct_covered"] is None
    england = report.nations["England"]
    assert (england.areas_partly_covered, england.areas_share_not_known) == (1, 1)
    assert england.population_0_2_covered == 0  # its babies cannot be placed: not counted
    assert status_of(report, "S") == NOT_COVERED


def test_each_area_is_listed_with_its_status_and_share():
    report = coverage_on(ON, HALF_GEO, [ServiceCover("team", (("la", "LA5"),))])
    rows = report.as_dict()["areas"]
    assert [row["code"] for row in rows] == ["H", "S", "T"]
    assert rows[0] == {"scheme": "ccg2019", "code": "H", "name": "H", "nation": "England",
                       "status": "covered", "pct_covered": 50.0, "population_0_2": 400,
                       "named_by_team": False, "camhs_specialists": False}
    assert {row["status"] for row in rows} <= {"covered", "partly_covered", "not_covered"}
    assert rows[1]["status"] == "not_covered" and rows[1]["pct_covered"] == 0.0


@pytest.mark.parametrize(("status", "pct", "specialists", "words"), [
    (COVERED, 100.0, False, "Covered"),
    (PARTLY_COVERED, 23.0, False, "Partly covered (23% of babies)"),
    (PARTLY_COVERED, 23.4, False, "Partly covered (23.4% of babies)"),
    (PARTLY_COVERED, 0.04, False, "Partly covered (less than 0.1% of babies)"),
    (PARTLY_COVERED, None, False, "Partly covered (share of babies not known)"),
    (NOT_COVERED, 0.0, False, "Not covered"),
    (NOT_COVERED, 0.0, True, "Not covered: CAMHS parent-infant specialists, no team"),
])
def test_status_in_words(status, pct, specialists, words):
    assert status_in_words(status, pct, specialists=specialists) == words


def test_the_map_key_names_every_shade_in_the_tables_words():
    assert [entry.shade for entry in map_key()] == [
        "covered", "partly_covered", "specialists", "not_covered"]
    assert [entry.words for entry in map_key()] == [
        "Covered", "Partly covered", "Not covered: CAMHS parent-infant specialists, no team",
        "Not covered"]


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


@pytest.mark.parametrize(("on", "england"), [
    ("2019-06-30", "ccg2019"), ("2025-06-30", "subicb2024"), ("2026-04-01", "subicb2024"),
    ("2026-11-26", "subicb2024"),
])
def test_teams_are_planned_for_places_not_for_integrated_care_boards(on, england):
    schemes = planning_schemes(datetime.date.fromisoformat(on))
    assert schemes == {"England": england, "Wales": "lhb", "Scotland": "hb",
                       "Northern Ireland": "nitrust"}


def test_coverage_can_be_counted_on_other_schemes_than_those_in_force():
    geo = Geography(
        la_population={"L1": 100}, la_nation={"L1": "England"},
        area_las={("subicb2024", "S1"): {"L1": 1.0}, ("icb2026", "I1"): {"L1": 1.0},
                  ("la", "L1"): {"L1": 1.0}},
        area_nation={("subicb2024", "S1"): "England", ("icb2026", "I1"): "England",
                     ("la", "L1"): "England"})
    services = [ServiceCover("team", (("la", "L1"),))]
    on = datetime.date(2026, 11, 26)
    assert [row.key for row in coverage_on(on, geo, services).areas] == [("icb2026", "I1")]
    planned = coverage_on(on, geo, services, planning_schemes(on))
    assert [(row.key, row.status) for row in planned.areas] == [(("subicb2024", "S1"), "covered")]


def test_finest_areas_prefers_local_authorities():
    assert finest_areas([("ccg2019", "A"), ("la", "LA1")]) == (("la", "LA1"),)
    assert finest_areas([("ccg2019", "A")]) == (("ccg2019", "A"),)
