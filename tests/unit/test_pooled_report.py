"""The pooled report from hand-made extracts: figures as computed by hand, protection applied to
everything when a policy is given, and nothing protected for a team's own view."""

import datetime
from decimal import Decimal

from cradle.pooled import exports
from cradle.pooled.data import Extract, MeasurePair, Scope
from cradle.pooled.facts import change_of_pairs
from cradle.pooled.report import build_report, team_funnel
from cradle.stats.disclosure import NHS_DIGITAL

SCOPE = Scope((1, 2), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def extract(**fields) -> Extract:
    """An extract with the fields given; `measure_pairs` (one per case) become its sums."""
    data = Extract(scope=SCOPE)
    for name, value in fields.items():
        if name == "measure_pairs":
            data.change = change_of_pairs(value)
        else:
            setattr(data, name, value)
    return data


def phq9_pairs(team_id, pairs):
    return [MeasurePair(team_id, "phq9", before, after, before >= 10,
                        None if after is None else after >= 10) for before, after in pairs]


def test_counts_and_percentages_as_recorded():
    data = extract(referrals_by_team={1: 30, 2: 10},
                   referrer_types={"health_visitor": 20, "midwife": 15, "gp": 5},
                   risk_factors={"domestic_abuse": 12, "isolation": 12, "birth_trauma": 3})
    report = build_report(data, policy=None, teams_pooled=2)
    referrers = {row.label: (row.count, row.percent) for row in report.section("referrers").rows}
    assert referrers["Health visitor"] == ("20", "50.0")
    assert referrers["Midwife"] == ("15", "37.5")
    assert report.section("referrers").total == "40"
    risks = report.section("risk_factors")
    # Ties are ranked alphabetically by key, percentages are of referrals (40), not of factors.
    assert [(row.count, row.percent) for row in risks.rows] == [
        ("12", "30.0"), ("12", "30.0"), ("3", "7.5")]
    assert risks.total == "40"


def test_primary_caregiver_age_bands_include_20_and_under():
    data = extract(referrals_by_team={1: 6},
                   primary_caregiver_ages={17: 1, 20: 2, 21: 1, 44: 1, None: 1})
    section = build_report(data, policy=None, teams_pooled=1).section("caregiver_age")
    counts = {row.label: row.count for row in section.rows}
    assert counts["20 and under"] == "3" and counts["21-25"] == "1"
    assert counts["41 and over"] == "1" and counts["Unknown"] == "1"


def test_waits_and_did_not_attend_rate():
    data = extract(referrals_by_team={1: 9},
                   waits={1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 30: 1},
                   contact_outcomes={"attended": 30, "did_not_attend": 10,
                                     "cancelled_by_family": 5})
    figures = {f.key: f.value for f in build_report(data, policy=None, teams_pooled=1).figures}
    assert figures["wait_median"] == "5"
    assert figures["wait_quartiles"] == "3 to 7"
    assert figures["dna_rate"] == "25.0"


def test_change_on_a_measure_respects_its_direction():
    # PHQ-9: lower is better, reliable change 6 points (instrument registry).
    pairs = phq9_pairs(1, [(20, 5), (15, 14), (10, 17), (12, None)])
    report = build_report(extract(measure_pairs=pairs), policy=None, teams_pooled=1)
    (outcome,) = report.outcomes
    assert (outcome.code, outcome.pairs, outcome.cases_with_baseline) == ("phq9", "3", "4")
    assert outcome.mean_before == "15.0" and outcome.mean_after == "12.0"
    assert outcome.mean_change == "-3.0"
    assert (outcome.reliably_improved, outcome.no_reliable_change,
            outcome.reliably_deteriorated) == ("33.3", "33.3", "33.3")
    assert outcome.completion == "75.0"


def test_protected_report_shows_no_count_from_1_to_7_and_no_small_means():
    data = extract(referrals_by_team={1: 23}, referrer_types={"health_visitor": 16, "gp": 7},
                   measure_pairs=phq9_pairs(1, [(20, 5), (15, 14), (10, 17)]),
                   waits={3: 1, 4: 1, 5: 1})
    report = build_report(data, policy=NHS_DIGITAL, teams_pooled=1)
    value = exports.HEADER.index("value")
    for row in exports.rows(report):
        # Hidden values are empty, not "*"; and no value from 1 to 7 is shown at all here.
        assert row[value] is None or isinstance(row[value], Decimal), row
        assert row[value] is None or not 1 <= row[value] <= 7, row
    referrers = {row.label: row.count for row in report.section("referrers").rows}
    assert referrers["GP"] == "*"
    # 15 (13 to 17) of 25 (23 to 27) leaves the GP count between 6 and 7: not given away.
    assert referrers["Health visitor"] == "15" and report.section("referrers").total == "25"
    (outcome,) = report.outcomes
    assert outcome.mean_before == "*" and outcome.effect_size == "*"
    figures = {f.key: f.value for f in report.figures}
    assert figures["wait_median"] == "*"


def test_funnel_counts_reliable_improvement_per_team():
    pairs = phq9_pairs(1, [(20, 5)] * 8 + [(15, 14)] * 2) + phq9_pairs(2, [(20, 5), (15, 14)])
    plot = team_funnel(extract(measure_pairs=pairs), "phq9").plot
    by_team = {t.key: (t.events, t.denominator) for t in plot.teams}
    assert by_team == {"1": (8, 10), "2": (1, 2)}
    assert plot.pooled_rate == 9 / 12


def test_downloads_neutralise_formulas_and_json_states_the_policy():
    data = extract(referrals_by_team={1: 40}, referrer_types={"other": 40})
    report = build_report(data, policy=NHS_DIGITAL, teams_pooled=1)
    payload = exports.as_json(report)
    assert payload["disclosure_control"] == {"threshold": 7, "rounding": 5,
                                             "min_people_for_summary": 7}
    assert payload["teams_pooled"] == 1 and payload["start"] == "2025-01-01"
    from cradle.core.spreadsheets import csv_bytes
    text = csv_bytes(["a"], [["=HYPERLINK(1)"], ["-3"], [5]]).decode("utf-8-sig")
    assert text.splitlines() == ["a", "'=HYPERLINK(1)", "'-3", "5"]


def test_risk_factors_rank_ties_equally_and_by_what_is_shown():
    data = extract(referrals_by_team={1: 100},
                   risk_factors={"domestic_abuse": 31, "isolation": 29, "birth_trauma": 40,
                                 "substance_misuse": 3})
    plain = build_report(data, policy=None, teams_pooled=1).section("risk_factors")
    assert [(r.rank, r.count) for r in plain.rows] == [(1, "40"), (2, "31"), (3, "29"),
                                                       (4, "3")]
    shown = build_report(data, policy=NHS_DIGITAL, teams_pooled=1).section("risk_factors")
    # 31 and 29 both show as 30: same rank, alphabetical, so the order gives nothing away.
    assert [(r.rank, r.count) for r in shown.rows] == [(1, "40"), (2, "30"), (2, "30"),
                                                       (4, "*")]
    assert shown.rows[1].label < shown.rows[2].label


def effect_size_backsolve(outcome) -> float:
    d = float(outcome.effect_size)
    low, high = (float(x) for x in outcome.effect_size_ci.split(" to "))
    return 3.8416 * (1 + d * d / 2) / ((high - low) / 2) ** 2


def varied_pairs(team_id, n, offset=0):
    return phq9_pairs(team_id, [(10 + (k * 7 + offset) % 17, (k * 5 + offset) % 13)
                                for k in range(n)])


def test_the_effect_size_interval_gives_the_published_count_not_the_true_one():
    data = extract(measure_pairs=varied_pairs(1, 12))
    (plain,) = build_report(data, policy=None, teams_pooled=1).outcomes
    assert round(effect_size_backsolve(plain)) == 12  # the attack, where nothing is protected
    (shown,) = build_report(data, policy=NHS_DIGITAL, teams_pooled=1).outcomes
    assert shown.pairs == "10"  # 8 to 12
    assert abs(effect_size_backsolve(shown) - 10) < 0.5


def test_means_of_few_people_are_whole_numbers():
    (outcome,) = build_report(extract(measure_pairs=varied_pairs(1, 9)), policy=NHS_DIGITAL,
                              teams_pooled=1).outcomes
    assert outcome.pairs == "10"
    assert "." not in outcome.mean_before and "." not in outcome.mean_change
    (outcome,) = build_report(extract(measure_pairs=varied_pairs(1, 14)), policy=NHS_DIGITAL,
                              teams_pooled=1).outcomes
    assert "." in outcome.mean_before


def test_the_nations_and_the_uk_are_protected_together():
    from cradle.pooled.families import build_partition

    def nation(team_id, n, referrals):
        data = extract(measure_pairs=varied_pairs(team_id, n, team_id),
                       referrals_by_team={team_id: referrals},
                       referrer_types={"gp": referrals})
        data.scope = Scope((team_id,), SCOPE.start, SCOPE.end)
        return data

    parts = {"England": nation(1, 14, 40), "Wales": nation(2, 3, 3),
             "Scotland": nation(3, 0, 0), "Northern Ireland": nation(4, 0, 0)}
    by_nation, uk = build_partition(parts, policy=NHS_DIGITAL)
    (wales,) = by_nation["Wales"].report.outcomes
    (england,) = by_nation["England"].report.outcomes
    (whole,) = uk.report.outcomes
    assert wales.pairs == "*" and wales.mean_before == "*"
    # The UK's mean and England's would give Wales's: England's is withheld.
    assert whole.mean_before != "*" and england.mean_before == "*"
    assert abs(effect_size_backsolve(whole) - int(whole.pairs)) < 1


def test_funnel_other_teams_protected_and_not_in_id_order():
    pairs = []
    for team_id, n in ((1, 12), (2, 31), (3, 3), (4, 9), (5, 11), (6, 21)):
        pairs += phq9_pairs(team_id, [(20, 5)] * (n // 2) + [(15, 14)] * (n - n // 2))
    data = extract(measure_pairs=pairs)
    order = {"4": "b", "5": "a"}  # a tie on shown counts (10 pairs, 5 improved is "*")
    result = team_funnel(data, "phq9", own_team=1, policy=NHS_DIGITAL,
                         tiebreak=lambda key: order.get(key, key))
    listed = [(t.key, t.denominator, t.events) for t in result.plot.teams]
    assert listed[0] == ("1", 12, 6)  # its own, exactly
    for key, n, events in listed[1:]:
        assert n % 5 == 0 and events % 5 == 0, (key, n, events)
    # Teams 4 and 5 both have their improvements hidden (4 and 5): left out, counted.
    assert result.hidden_teams == 3 and [key for key, *_ in listed] == ["1", "2", "6"]
    assert [t.key for t in team_funnel(data, "phq9", own_team=3, policy=NHS_DIGITAL,
                                       tiebreak=lambda key: key).plot.teams][:1] == ["3"]


def test_funnel_ties_follow_the_keyed_order_not_ids():
    pairs = []
    for team_id in (1, 2, 3):
        pairs += phq9_pairs(team_id, [(20, 5)] * 10)
    data = extract(measure_pairs=pairs)
    forward = team_funnel(data, "phq9", own_team=1, policy=NHS_DIGITAL,
                          tiebreak=lambda key: {"2": "b", "3": "a"}[key] if key != "1" else "")
    assert [t.key for t in forward.plot.teams] == ["1", "3", "2"]
