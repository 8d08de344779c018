"""Protection across releases that add up (cradle.stats.families): a partition (the nations and
the UK) protected as one table, a release inside fixed ones (an area inside the UK), and
summaries withheld across them. Each test first shows the attack on releases protected one at
a time, then that the family protection stops it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cradle.stats.audit import bounds_from_shown, recoverable_entries
from cradle.stats.disclosure import SUPPRESSED, DisclosurePolicy, protect_table
from cradle.stats.families import (
    Shown,
    exposed_within,
    protect_partition,
    protect_within,
    summary_exposed_within,
    withheld_summaries,
)

EXACT = DisclosurePolicy(threshold=7, rounding=1, min_people_for_summary=7)
NHS = DisclosurePolicy()
NATIONS = {"England": {"gp": 40, "midwife": 25}, "Wales": {"gp": 3, "midwife": 9},
           "Scotland": {"gp": 12, "midwife": 10}, "Northern Ireland": {"gp": 0, "midwife": 11}}


def alone(counts: dict, policy: DisclosurePolicy) -> Shown:
    labels = list(counts)
    shown = protect_table([[counts[label]] for label in labels], threshold=policy.threshold,
                          rounding=policy.rounding)
    return Shown({label: row[0] for label, row in zip(labels, shown["cells"], strict=True)},
                 shown["grand_total"])


def test_releases_protected_one_at_a_time_let_uk_minus_the_others_give_wales_away():
    uk = {label: sum(part[label] for part in NATIONS.values()) for label in ("gp", "midwife")}
    shown = {name: alone(counts, EXACT) for name, counts in NATIONS.items()}
    whole = alone(uk, EXACT)
    assert shown["Wales"].cells["gp"] == SUPPRESSED
    others = sum(int(shown[n].cells["gp"]) for n in ("England", "Scotland", "Northern Ireland"))
    assert int(whole.cells["gp"]) - others == 3  # the attack, on the old way


def test_a_partition_protected_together_pins_no_hidden_count():
    by_part, whole = protect_partition(NATIONS, policy=EXACT)
    assert by_part["Wales"].cells["gp"] == SUPPRESSED
    names = list(NATIONS)
    table = {"cells": [[by_part[n].cells[label] for label in ("gp", "midwife")] for n in names],
             "row_totals": [by_part[n].total for n in names],
             "col_totals": [whole.cells["gp"], whole.cells["midwife"]],
             "grand_total": whole.total}
    true = [[NATIONS[n][label] for label in ("gp", "midwife")] for n in names]
    secondary = {("cell", i, j) for i, row in enumerate(table["cells"]) for j, v in
                 enumerate(row) if v == SUPPRESSED and true[i][j] > 7}
    bounds = bounds_from_shown(table, threshold=7, rounding=1, secondary=secondary)
    hidden = [("cell", i, j) for i, row in enumerate(table["cells"]) for j, v in enumerate(row)
              if v == SUPPRESSED]
    assert hidden and recoverable_entries(bounds, hidden) == []


def test_a_release_inside_a_fixed_one_is_hidden_until_the_rest_is_safe():
    parent = {"gp": 20, "midwife": 30}
    child = {"gp": 17, "midwife": 30}
    child_alone, parent_shown = alone(child, EXACT), alone(parent, EXACT)
    # On its own the child's table is fine, but parent minus child gives the rest's 3 GP
    # referrals.
    assert ("cell", 1, 0) in exposed_within(child, child_alone, parent, parent_shown,
                                            policy=EXACT)
    protected = protect_within(child, child_alone, parent, parent_shown, policy=EXACT)
    assert protected.cells["gp"] == SUPPRESSED
    assert exposed_within(child, protected, parent, parent_shown, policy=EXACT) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), min_size=1, max_size=4),
       st.sampled_from([EXACT, NHS]))
def test_inside_a_fixed_release_nothing_is_pinned_and_the_parent_never_changes(cells, policy):
    child = {f"c{i}": inside for i, (inside, _rest) in enumerate(cells)}
    parent = {f"c{i}": inside + rest for i, (inside, rest) in enumerate(cells)}
    parent_shown = alone(parent, policy)
    protected = protect_within(child, alone(child, policy), parent, parent_shown, policy=policy)
    assert exposed_within(child, protected, parent, parent_shown, policy=policy) == []
    assert set(protected.cells) == set(child)
    for label, value in protected.cells.items():
        assert value == SUPPRESSED or value == alone(child, policy).cells[label]


def test_summaries_are_withheld_until_the_withheld_people_are_none_or_more_than_seven():
    # Scotland has no one, so no summary to show either.
    assert withheld_summaries({"England": 20, "Wales": 3, "Scotland": 0}, policy=NHS) == {
        "Wales", "England", "Scotland"}
    assert withheld_summaries({"England": 200, "Wales": 3, "Scotland": 10}, policy=NHS) == {
        "Wales", "Scotland"}
    assert withheld_summaries({"England": 20, "Wales": 9}, policy=NHS) == set()
    # Wales's count is hidden, so its summary is; the 9 people are enough to be left as the
    # rest.
    assert withheld_summaries({"England": 20, "Wales": 9}, policy=NHS,
                              hidden_counts={"Wales"}) == {"Wales"}
    assert withheld_summaries({"England": 20, "Wales": 5, "Scotland": 30}, policy=NHS,
                              hidden_counts={"Scotland"}) == {"Wales", "Scotland"}
    assert summary_exposed_within(16, 20, policy=NHS)
    assert not summary_exposed_within(10, 20, policy=NHS)
    assert not summary_exposed_within(20, 20, policy=NHS)


def test_a_count_hidden_in_one_table_is_hidden_wherever_it_is_shown():
    from cradle.pooled.families import same_counts
    from cradle.pooled.presenter import COUNT

    tables = {"referrals": Shown({COUNT: "40"}, "40"),
              "referrers": Shown({"gp": "*", "midwife": "35"}, SUPPRESSED),
              "decisions": Shown({"accepted": "40"}, "40"),
              "outcome:phq9:pairs": Shown({COUNT: "20"}, "20"),
              "outcome:phq9:reliable": Shown({"improved": "10"}, "20")}
    same = same_counts(tables)
    assert same["referrals"] == Shown({COUNT: SUPPRESSED}, SUPPRESSED)
    assert same["decisions"].total == SUPPRESSED and same["decisions"].cells["accepted"] == "40"
    assert same["outcome:phq9:pairs"] == tables["outcome:phq9:pairs"]
