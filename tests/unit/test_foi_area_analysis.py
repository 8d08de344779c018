"""Figures on today's areas (cradle.foi.area_analysis): exact tiling of age bands, a body's
figure with unknowns never 0, the mapping of bodies to areas without splitting or double
counting a trust, and the distribution per trust."""

from __future__ import annotations

import datetime

import pytest

from cradle.foi.area_analysis import (
    UNDER_1,
    UNDER_3,
    AreaInput,
    BodyInput,
    FigureStatus,
    Role,
    analyse_areas,
    body_figure,
    csv_table,
    distribution,
    period_note,
    saw_under3,
    tiling,
)
from cradle.foi.question_data import AgeBand, QuestionKind, TypedQuestion


def bands(*pairs):
    return tuple(AgeBand(a, b) for a, b in pairs)


def question(*pairs) -> TypedQuestion:
    return TypedQuestion("seen", QuestionKind.AGE_BAND_COUNT, "Seen?", bands(*pairs))


STANDARD = question((0, 12), (12, 24), (24, 36))


def answered(value):
    return {"status": "answered", "value": value}


def cells(**values):
    """seen_0_12m=3, seen_12_24m="not_known", ... as answer cells."""
    out = {}
    for name, value in values.items():
        out[f"seen_{name}"] = ({"status": value} if isinstance(value, str)
                               else answered(value))
    return out


@pytest.mark.parametrize(("pairs", "to_months", "expected"), [
    (((0, 12), (12, 24), (24, 36)), 12, ((0, 12),)),
    (((0, 12), (12, 24), (24, 36)), 36, ((0, 12), (12, 24), (24, 36))),
    (((0, 6), (6, 12), (12, 36)), 12, ((0, 6), (6, 12))),
    (((0, 6), (6, 12), (12, 36)), 36, ((0, 6), (6, 12), (12, 36))),
    (((0, 24), (24, 36)), 12, None),  # a band across 12 months
    (((0, 6), (12, 36)), 12, None),  # a gap
    (((0, 6), (12, 36)), 36, None),
    (((6, 12), (12, 36)), 12, None),  # does not start at 0
    (((0, 12), (12, 24)), 36, None),  # stops short
    (((0, 12), (12, 48)), 36, None),  # a band across 36 months
    (((0, 36), (36, 60)), 36, ((0, 36),)),
])
def test_tiling_is_exact_or_nothing(pairs, to_months, expected):
    assert tiling(bands(*pairs), to_months) == (None if expected is None else bands(*expected))


@pytest.mark.parametrize(("answers", "to_months", "status", "value"), [
    (None, 12, FigureStatus.NO_ANSWER, None),
    ({}, 12, FigureStatus.NOT_ANSWERED, None),
    (cells(**{"0_12m": 0}), 12, FigureStatus.ANSWERED, 0),
    (cells(**{"0_12m": 2, "12_24m": 3, "24_36m": 4}), 36, FigureStatus.ANSWERED, 9),
    (cells(**{"0_12m": 2, "12_24m": "not_known", "24_36m": 4}), 36, FigureStatus.NOT_KNOWN,
     None),
    (cells(**{"0_12m": 2, "12_24m": "not_known", "24_36m": "refused"}), 36,
     FigureStatus.REFUSED, None),
    (cells(**{"0_12m": 2, "12_24m": 3}), 36, FigureStatus.INCOMPLETE, None),
    (cells(**{"0_12m": "not_known"}), 12, FigureStatus.NOT_KNOWN, None),
])
def test_a_body_figure_is_a_number_only_when_every_band_is(answers, to_months, status, value):
    figure = body_figure(STANDARD, to_months, answers)
    assert (figure.status, figure.value) == (status, value)


def test_a_figure_the_bands_cannot_give_is_never_approximated():
    q = question((0, 24), (24, 36))
    figure = body_figure(q, UNDER_1.to_months, {"seen_0_24m": answered(5)})
    assert figure.status == FigureStatus.CANNOT_COMPUTE
    assert figure.words == "cannot be computed from this question's age bands"
    assert body_figure(q, UNDER_3.to_months, {"seen_0_24m": answered(5),
                                              "seen_24_36m": answered(1)}).value == 6


@pytest.mark.parametrize(("q", "answers", "expected"), [
    (STANDARD, None, None),
    (STANDARD, cells(**{"0_12m": 0, "12_24m": 0, "24_36m": 0}), False),
    (STANDARD, cells(**{"0_12m": 0, "12_24m": "not_known", "24_36m": 0}), None),
    (STANDARD, cells(**{"0_12m": "refused", "12_24m": 1}), True),
    # Bands that do not tile 0-36 can still show an under-3 was seen...
    (question((0, 6), (12, 36)), {"seen_0_6m": answered(2)}, True),
    # ...but not a band reaching past 36 months, and not that none were.
    (question((0, 12), (12, 48)), {"seen_0_12m": answered(0), "seen_12_48m": answered(3)},
     None),
])
def test_whether_any_under_3_was_seen(q, answers, expected):
    assert saw_under3(q, answers) is expected


ICB_A = AreaInput(1, "QAA", "Alpha ICB", True)
ICB_B = AreaInput(2, "QBB", "Beta ICB", True)
SUB_A1 = AreaInput(11, "01A", "Alpha north", False, (1,))
SUB_A2 = AreaInput(12, "02A", "Alpha south", False, (1,))
SUB_SPLIT = AreaInput(13, "03X", "Split place", False, (1, 2))
AREAS = [ICB_A, ICB_B, SUB_A1, SUB_A2, SUB_SPLIT]
FULL = cells(**{"0_12m": 4, "12_24m": 3, "24_36m": 2})


def body(key, role, areas, answers=FULL, name=None):
    return BodyInput(key, f"B{key}", name or f"Body {key}", role, frozenset(areas), answers)


def by_code(figures):
    out = {}
    for icb in figures:
        out[icb.area.code] = icb
        for part in icb.sub_areas:
            out[f"{icb.area.code}/{part.area.code}"] = part
    return out


def test_a_trust_serving_several_areas_is_shown_whole_in_each_and_counted_once_per_icb():
    bodies = [
        body(100, Role.TRUST, {11, 12}),  # serves both Alpha sub-ICB locations
        body(101, Role.TRUST, {1}, cells(**{"0_12m": 10, "12_24m": 0, "24_36m": 0})),
        body(200, Role.COMMISSIONER, {1}, cells(**{"0_12m": 50, "12_24m": 1, "24_36m": 1})),
        body(201, Role.COMMISSIONER, {11}, None),  # asked, no answer yet
    ]
    figures = by_code(analyse_areas(STANDARD, AREAS, bodies))
    alpha = figures["QAA"]
    # The ICB counts trust 100 once, not once per sub-ICB location it serves.
    assert [line.body.key for line in alpha.trusts] == [100, 101]
    assert (alpha.trusts_under1.total, alpha.trusts_under1.gave_number) == (14, 2)
    assert alpha.trusts_under3.total == 19
    # Commissioners are counted apart from trusts, never added to them.
    assert alpha.commissioners_under1.words == "50 (from 1 of 1)"
    north = figures["QAA/01A"]
    # Trust 100 whole (not split), trust 101 through the ICB it serves.
    assert {line.body.key: line.via for line in north.trusts} == {100: "", 101: "Alpha ICB"}
    assert north.trusts_under1.total == 14
    assert north.trusts[0].footprint == 2
    assert north.commissioners_under1.words == "no number from the 1; 1 no answer recorded"
    assert (north.bodies, north.answered) == (3, 2)
    assert figures["QAA/02A"].trusts_under1.total == 14
    assert not figures["QBB"].bodies
    assert figures["QBB"].saw_under3_words == "no body asked speaks for this area"


def test_a_sub_icb_location_in_two_icbs_is_listed_under_both():
    figures = by_code(analyse_areas(STANDARD, AREAS, [body(100, Role.TRUST, {13})]))
    assert figures["QAA/03X"].trusts_under1.total == 4
    assert figures["QBB/03X"].trusts_under1.total == 4
    assert figures["QBB"].trusts_under1.total == 4


def test_unknowns_are_counted_apart_and_never_as_0():
    bodies = [body(100, Role.TRUST, {1}, cells(**{"0_12m": "not_known"})),
              body(101, Role.TRUST, {1}, cells(**{"0_12m": "refused"})),
              body(102, Role.TRUST, {1}, {}),
              body(103, Role.TRUST, {1}, None),
              body(104, Role.TRUST, {1}, cells(**{"0_12m": 0, "12_24m": 0, "24_36m": 0}))]
    alpha = by_code(analyse_areas(STANDARD, AREAS, bodies))["QAA"]
    figure = alpha.trusts_under1
    assert (figure.total, figure.gave_number, figure.bodies) == (0, 1, 5)
    assert figure.words == ("0 (from 1 of 5; 1 not known, 1 refused, 1 not answered, 1 no "
                            "answer recorded)")
    # One said 0, the others did not say: not known, not "no".
    assert alpha.saw_under3 is None and alpha.saw_under3_words == "not known"
    none_seen = by_code(analyse_areas(STANDARD, AREAS, [bodies[-1]]))["QAA"]
    assert none_seen.saw_under3_words == "no"


def test_the_csv_table_gives_each_icb_then_its_sub_icb_locations():
    rows = csv_table(analyse_areas(STANDARD, AREAS, [body(100, Role.TRUST, {11, 12})]))
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("icb", "QAA", ""), ("sub_icb_location", "01A", "QAA"), ("sub_icb_location", "02A", "QAA"),
        ("sub_icb_location", "03X", "QAA;QBB"), ("icb", "QBB", ""),
        ("sub_icb_location", "03X", "QAA;QBB")]
    assert "its count is for its whole footprint of 2 areas" in rows[1][-1]
    gap = csv_table(analyse_areas(question((0, 24), (24, 36)), AREAS,
                                  [body(100, Role.TRUST, {1}, {})]))
    assert "cannot be computed from this question's age bands" in gap[0]


def trust_saw(key, under1):
    return body(key, Role.TRUST, {1}, cells(**{"0_12m": under1, "12_24m": 0, "24_36m": 0}))


def test_the_distribution_per_trust_has_its_buckets_and_denominator():
    trusts = [trust_saw(1, 0), trust_saw(2, 1), trust_saw(3, 9), trust_saw(4, 10),
              trust_saw(5, 49), trust_saw(6, 50), trust_saw(7, 3),
              body(8, Role.TRUST, {1}, cells(**{"0_12m": "not_known"})),
              body(9, Role.TRUST, {1}, None)]
    result = distribution(STANDARD, trusts, UNDER_1)
    assert (result.trusts, result.gave_number) == (9, 7)
    assert result.counts == {"none": 1, "1_9": 3, "10_49": 2, "50_plus": 1}
    # 3 of 7 is 42.857...%, 1 of 7 is 14.28...%, 2 of 7 is 28.57...%: half up, whole numbers.
    assert [row["pct"] for row in result.rows] == [14, 43, 29, 14]
    assert result.ungiven_words == "1 not known, 1 no answer recorded"
    assert result.seeing_any == 6 and result.pct_fewer_than_10_of_seeing_any == 50


def test_a_distribution_over_no_trusts_has_no_percentages():
    result = distribution(STANDARD, [], UNDER_3)
    assert result.gave_number == 0 and all(row["pct"] is None for row in result.rows)
    assert result.pct_fewer_than_10_of_seeing_any is None
    assert not distribution(question((0, 6), (12, 36)), [], UNDER_1).computable


def test_percentages_round_half_up():
    trusts = [trust_saw(k, 0 if k < 1 else 5) for k in range(8)]  # 1 of 8 is 12.5%
    assert distribution(STANDARD, trusts, UNDER_1).pct("none") == 13


@pytest.mark.parametrize(("start", "end", "expected"), [
    (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31), "2025/26 (2025-04-01 to "
                                                            "2026-03-31): one year."),
    (datetime.date(2025, 4, 1), datetime.date(2025, 9, 30), "2025/26 (2025-04-01 to "
     "2025-09-30): 183 days, not one year; the counts are for the period as asked."),
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), "2025/26 (2024-02-29 to "
                                                            "2025-02-28): one year."),
])
def test_the_period_says_whether_it_is_one_year(start, end, expected):
    assert period_note("2025/26", start, end) == expected
