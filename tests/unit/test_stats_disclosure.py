"""Disclosure control: the NHS Digital rule at every edge, and protect_table's secondary
suppression checked against the attacker model of cradle.stats.audit (itself checked against
brute-force enumeration)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cradle.stats.audit import (
    UNBOUNDED,
    Bounds,
    bounds_from_shown,
    entries_of,
    feasible_range,
    recoverable_entries,
    round_half_up,
    rounding_preimage,
)
from cradle.stats.disclosure import NHS_DIGITAL, DisclosurePolicy, protect_table

# --- single counts, percentages and summaries -------------------------------------------------


@pytest.mark.parametrize(("count", "shown"), [
    (0, "0"), (1, "*"), (2, "*"), (7, "*"), (8, "10"), (12, "10"), (13, "15"), (17, "15"),
    (18, "20"), (102, "100"), (103, "105"),
])
def test_single_counts_at_every_edge(count, shown):
    assert NHS_DIGITAL.protect_count(count) == shown


def test_configured_policy():
    policy = DisclosurePolicy(threshold=10, rounding=10, min_people_for_summary=20)
    assert [policy.protect_count(n) for n in (0, 10, 11, 14, 15, 25)] == [
        "0", "*", "10", "10", "20", "30"]  # halves round up: 15 -> 20
    assert DisclosurePolicy(threshold=0, rounding=1).protect_count(1) == "1"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"threshold": 1}, "threshold must be 0"),
    ({"threshold": -1}, "threshold must be 0"),
    ({"rounding": 0}, "rounding must be from 1 to 16"),
    ({"threshold": 2, "rounding": 7}, "rounding must be from 1 to 6"),
    ({"threshold": 7.0}, "threshold must be a whole number"),
    ({"min_people_for_summary": -1}, "min_people_for_summary"),
])
def test_bad_policies_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DisclosurePolicy(**kwargs)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="count: -1 is negative"):
        NHS_DIGITAL.protect_count(-1)
    with pytest.raises(ValueError, match="not a whole number"):
        NHS_DIGITAL.protect_count(True)


def test_percentages_come_from_rounded_counts():
    assert NHS_DIGITAL.percentage(12, 13) == "66.7"  # 10 of 15, not 12 of 13
    assert NHS_DIGITAL.percentage(13, 13) == "100.0"
    assert NHS_DIGITAL.percentage(0, 20) == "0.0"
    assert NHS_DIGITAL.percentage(8, 33, places=0) == "29"  # 10 of 35 = 28.57
    assert NHS_DIGITAL.percentage(7, 20) == "*"  # numerator suppressed
    assert NHS_DIGITAL.percentage(1, 7) == "*"  # both suppressed
    assert NHS_DIGITAL.percentage(0, 7) == "*"  # denominator suppressed
    assert NHS_DIGITAL.percentage(0, 0) is None
    with pytest.raises(ValueError, match="larger than denominator"):
        NHS_DIGITAL.percentage(9, 8)


def test_summaries_need_more_than_seven_people():
    assert NHS_DIGITAL.summary(4.25, 7) == "*"
    assert NHS_DIGITAL.summary(4.25, 8) == "4.3"
    assert NHS_DIGITAL.summary(-0.35, 8, places=1) == "-0.4"
    assert NHS_DIGITAL.summary(None, 8) is None
    assert NHS_DIGITAL.summary(None, 0) == "*"


# --- rounding arithmetic ----------------------------------------------------------------------


def test_rounding_and_its_preimage():
    assert [round_half_up(v, 5) for v in (8, 12, 13, 17, 18)] == [10, 10, 15, 15, 20]
    assert round_half_up(15, 10) == 20 and round_half_up(14, 10) == 10
    assert rounding_preimage(10, 5) == (8, 12)
    assert rounding_preimage(10, 10) == (5, 14)
    assert rounding_preimage(23, 1) == (23, 23)


@given(st.integers(0, 10_000), st.sampled_from([1, 3, 5, 7, 10]))
def test_rounding_preimage_is_exact(value, rounding):
    low, high = rounding_preimage(round_half_up(value, rounding), rounding)
    assert low <= value <= high
    assert round_half_up(low, rounding) == round_half_up(high, rounding)
    assert round_half_up(low - 1, rounding) != round_half_up(value, rounding)
    assert round_half_up(high + 1, rounding) != round_half_up(value, rounding)
    if rounding % 2:  # an odd base has no ties between whole numbers (no "7.5")
        assert 2 * value % rounding != 0 or value % rounding == 0


# --- the auditor against brute force ----------------------------------------------------------


def _brute_force_ranges(bounds: Bounds):
    """Every integer table within ``bounds``, enumerated; the range of each entry."""
    n_rows, n_cols = len(bounds.rows), len(bounds.cols)
    spans = [range(lo, hi + 1) for row in bounds.cells for lo, hi in row]
    seen = {entry: set() for entry in entries_of(n_rows, n_cols)}
    for values in itertools.product(*spans):
        cells = [values[i * n_cols:(i + 1) * n_cols] for i in range(n_rows)]
        rows = [sum(r) for r in cells]
        cols = [sum(c) for c in zip(*cells, strict=True)]
        table = {("cell", i, j): cells[i][j] for i in range(n_rows) for j in range(n_cols)}
        table |= {("row", i): rows[i] for i in range(n_rows)}
        table |= {("col", j): cols[j] for j in range(n_cols)}
        table[("grand",)] = sum(rows)
        if all(lo <= table[e] <= hi for e, (lo, hi) in
               ((e, bounds.interval(e)) for e in table)):
            for entry, value in table.items():
                seen[entry].add(value)
    return {e: (min(v), max(v)) if v else None for e, v in seen.items()}


@st.composite
def small_bounds(draw):
    n_rows, n_cols = draw(st.integers(1, 2)), draw(st.integers(1, 3))

    def interval(top):
        lo = draw(st.integers(0, top))
        return lo, draw(st.integers(lo, top))

    return Bounds(
        cells=tuple(tuple(interval(4) for _ in range(n_cols)) for _ in range(n_rows)),
        rows=tuple(interval(9) for _ in range(n_rows)),
        cols=tuple(interval(9) for _ in range(n_cols)),
        grand=interval(18),
    )


@settings(max_examples=150, deadline=None)
@given(small_bounds())
def test_auditor_matches_brute_force(bounds):
    expected = _brute_force_ranges(bounds)
    for entry in entries_of(len(bounds.rows), len(bounds.cols)):
        assert feasible_range(bounds, entry) == expected[entry]
    singles = [e for e, r in expected.items() if r is None or r[0] == r[1]]
    assert recoverable_entries(bounds, list(expected)) == singles


def test_a_lone_star_beside_an_exact_total_is_recoverable():
    """The classic attack, which secondary suppression exists to stop."""
    naive = {"cells": [["*", "20"]], "row_totals": ["23"], "col_totals": ["*", "20"],
             "grand_total": "23"}
    bounds = bounds_from_shown(naive, threshold=7, rounding=1)
    assert feasible_range(bounds, ("cell", 0, 0)) == (3, 3)
    # Rounding to 5 alone leaves 1..7 possible: 25 - 20 is anything from 23 - 22 to 27 - 18.
    rounded = {"cells": [["*", "20"]], "row_totals": ["25"], "col_totals": ["*", "20"],
               "grand_total": "25"}
    bounds = bounds_from_shown(rounded, threshold=7, rounding=5)
    assert feasible_range(bounds, ("cell", 0, 0)) == (1, 7)


# --- protect_table: hand-made tables ----------------------------------------------------------


@pytest.mark.parametrize(("count", "shown"), [
    (0, "0"), (1, "*"), (7, "*"), (8, "10"), (12, "10"), (13, "15")])
def test_one_cell_tables_at_every_edge(count, shown):
    assert protect_table([[count]]) == {"cells": [[shown]], "row_totals": [shown],
                                        "col_totals": [shown], "grand_total": shown}


def test_rounding_alone_can_protect_a_lone_star():
    assert protect_table([[3, 20]]) == {"cells": [["*", "20"]], "row_totals": ["25"],
                                        "col_totals": ["*", "20"], "grand_total": "25"}


def test_without_rounding_secondary_suppression_hides_a_rectangle():
    counts = [[3, 20], [12, 30]]
    out = protect_table(counts, rounding=1)
    # 3 = 23 - 20 = 15 - 12 would give it away; hiding the rectangle's other corners leaves
    # one free unit: cells 3+k, 20-k, 12-k, 30+k fit every total shown for k from -2 to 4.
    assert out == {"cells": [["*", "*"], ["*", "*"]], "row_totals": ["23", "42"],
                   "col_totals": ["15", "50"], "grand_total": "65"}
    bounds = bounds_from_shown(out, threshold=7, rounding=1,
                               secondary=_secondary(out, counts, 7))
    assert feasible_range(bounds, ("cell", 0, 0)) == (1, 7)
    assert feasible_range(bounds, ("cell", 1, 0)) == (8, 14)


def test_a_lone_cell_without_rounding_hides_its_partner_and_their_columns():
    assert protect_table([[3, 20]], rounding=1) == {
        "cells": [["*", "*"]], "row_totals": ["23"], "col_totals": ["*", "*"],
        "grand_total": "23"}


def test_a_table_of_too_few_people_is_withheld_whole():
    # Seven cells of 1 and a grand total of 7: "*" meaning 1..7 pins every cell to 1.
    out = protect_table([[1, 1, 1], [1, 1, 1], [1, 0, 0]])
    assert out["grand_total"] == "*"
    assert {v for row in out["cells"] for v in row} == {"*"}


def test_mixed_table_worked_by_hand():
    assert protect_table([[12, 13], [7, 8]]) == {
        "cells": [["10", "15"], ["*", "10"]], "row_totals": ["25", "15"],
        "col_totals": ["20", "20"], "grand_total": "40"}


def test_empty_tables():
    assert protect_table([]) == {"cells": [], "row_totals": [], "col_totals": [],
                                 "grand_total": "0"}
    assert protect_table([[0, 0]])["grand_total"] == "0"


@pytest.mark.parametrize(("counts", "message"), [
    ([[1, 2], [3]], "row 2: has 1 columns, row 1 has 2"),
    ([[1, -2]], "row 1, column 2: -2 is negative"),
    ([[1], [2.5]], "row 2, column 1: 2.5 is not a whole number"),
    ([[True]], "row 1, column 1"),
    ("12", "list of rows"),
])
def test_bad_tables_are_refused_naming_row_and_column(counts, message):
    with pytest.raises(ValueError, match=message):
        protect_table(counts)


# --- protect_table: properties ----------------------------------------------------------------


def _true_entries(counts):
    n_cols = len(counts[0])
    values = {("cell", i, j): v for i, row in enumerate(counts) for j, v in enumerate(row)}
    values |= {("row", i): sum(row) for i, row in enumerate(counts)}
    values |= {("col", j): sum(row[j] for row in counts) for j in range(n_cols)}
    values[("grand",)] = sum(map(sum, counts))
    return values


def _shown_entries(out):
    shown = {("cell", i, j): v for i, row in enumerate(out["cells"]) for j, v in enumerate(row)}
    shown |= {("row", i): v for i, v in enumerate(out["row_totals"])}
    shown |= {("col", j): v for j, v in enumerate(out["col_totals"])}
    shown[("grand",)] = out["grand_total"]
    return shown


def _secondary(out, counts, threshold):
    """The attacker is told which "*" hide a count above the threshold (see audit)."""
    true = _true_entries(counts)
    return {e for e, v in _shown_entries(out).items() if v == "*" and true[e] > threshold}


counts_0_to_40 = st.one_of(st.integers(0, 9), st.integers(0, 9), st.integers(0, 40))


@st.composite
def tables(draw, max_side=5):
    n_rows, n_cols = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    return [[draw(counts_0_to_40) for _ in range(n_cols)] for _ in range(n_rows)]


def _hide_every_non_zero(counts, threshold, rounding):
    """The attacker's view if every non-zero entry were hidden (zeros still shown as "0")."""
    true = _true_entries(counts)
    n_rows, n_cols = len(counts), len(counts[0])
    mark = {k: ("*" if v else "0") for k, v in true.items()}
    view = {"cells": [[mark[("cell", i, j)] for j in range(n_cols)] for i in range(n_rows)],
            "row_totals": [mark[("row", i)] for i in range(n_rows)],
            "col_totals": [mark[("col", j)] for j in range(n_cols)],
            "grand_total": mark[("grand",)]}
    bounds = bounds_from_shown(view, threshold=threshold, rounding=rounding,
                               secondary={k for k, v in true.items() if v > threshold})
    return recoverable_entries(bounds, [k for k, v in true.items() if v])


def _check_protected(counts, threshold, rounding):
    out = protect_table(counts, threshold=threshold, rounding=rounding)
    true, shown = _true_entries(counts), _shown_entries(out)
    policy = DisclosurePolicy(threshold=threshold, rounding=rounding)
    for entry, value in shown.items():
        if value != "*":
            assert int(value) % rounding == 0
            assert value == policy.protect_count(true[entry])  # shown figures are the true ones
    for entry, value in true.items():
        if 1 <= value <= threshold:
            assert shown[entry] == "*"
    if set(shown.values()) == {"*"}:
        # Everything hidden: fine as the audited outcome of a table without zeros, and as the
        # whole-table fallback only when hiding every non-zero figure would not do.
        if any(v == 0 for v in true.values()):
            assert _hide_every_non_zero(counts, threshold, rounding)
        return out
    bounds = bounds_from_shown(out, threshold=threshold, rounding=rounding,
                               secondary=_secondary(out, counts, threshold))
    for entry, (low, high) in ((e, bounds.interval(e)) for e in true):
        assert low <= true[entry] <= min(high, UNBOUNDED)  # what is shown is consistent
    starred = [e for e, v in shown.items() if v == "*"]
    assert recoverable_entries(bounds, starred) == []  # no "*" can be worked out exactly
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_star_can_be_recovered_with_the_nhs_digital_rule(counts):
    out = _check_protected(counts, threshold=7, rounding=5)
    shown = [v for row in out["cells"] for v in row] + out["row_totals"] + out["col_totals"]
    for value in shown + [out["grand_total"]]:
        assert value == "*" or value == "0" or (int(value) % 5 == 0 and int(value) >= 10)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_side=4), st.sampled_from([(7, 1), (3, 1), (5, 3), (10, 10), (2, 5)]))
def test_no_star_can_be_recovered_under_other_policies(counts, policy):
    threshold, rounding = policy
    _check_protected(counts, threshold=threshold, rounding=rounding)
