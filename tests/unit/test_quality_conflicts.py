"""Conflicts of interest of a peer reviewer, as a table: who, which team, when, what is found."""

import datetime

import pytest

from cradle.quality.conflicts import PastMembership, PeerReview, Reviewer, Team, check

ON = datetime.date(2026, 12, 4)
LEEDS = Team(1, "Leeds Community Healthcare NHS Trust", frozenset({"la:E08000035"}))
BRADFORD = Team(2, "Bradford District Care NHS Foundation Trust", frozenset({"la:E08000032"}))
LEEDS_PERINATAL = Team(3, "  leeds community healthcare  NHS trust ",
                       frozenset({"la:E08000036"}))
NEIGHBOUR = Team(4, "A Charity", frozenset({"la:E08000035", "la:E08000034"}))
FAR = Team(5, "Somewhere Else", frozenset({"la:E06000001"}))
NO_ORGANISATION = Team(6, "", frozenset())


def d(days_before: int) -> datetime.date:
    return ON - datetime.timedelta(days=days_before)


TABLE = [
    ("a stranger", Reviewer((FAR,)), LEEDS, (), ()),
    ("a member of the team", Reviewer((LEEDS,)), LEEDS, (), ("own_team",)),
    ("left two years ago", Reviewer((FAR,), past=(PastMembership(1, d(730)),)), LEEDS, (),
     ("former_member",)),
    ("left three years ago to the day", Reviewer((FAR,), past=(
        PastMembership(1, datetime.date(2023, 12, 4)),)), LEEDS, (), ()),
    ("left three years less a day ago", Reviewer((FAR,), past=(
        PastMembership(1, datetime.date(2023, 12, 5)),)), LEEDS, (), ("former_member",)),
    ("left another team", Reviewer((FAR,), past=(PastMembership(2, d(10)),)), LEEDS, (), ()),
    ("same trust, spelt differently", Reviewer((LEEDS_PERINATAL,)), LEEDS, (),
     ("same_organisation",)),
    ("no organisation recorded is no match", Reviewer((NO_ORGANISATION,)),
     Team(7, "", frozenset()), (), ()),
    ("a neighbour sharing an area", Reviewer((NEIGHBOUR,)), LEEDS, (), ("shared_area",)),
    ("reciprocal within 24 months", Reviewer((BRADFORD,)), LEEDS,
     (PeerReview(1, 2, d(300)),), ("reciprocal",)),
    ("reciprocal over 24 months ago", Reviewer((BRADFORD,)), LEEDS,
     (PeerReview(1, 2, datetime.date(2024, 12, 4)),), ()),
    ("a review the same way round is no swap", Reviewer((BRADFORD,)), LEEDS,
     (PeerReview(2, 1, d(30)),), ()),
    ("a declared interest", Reviewer((FAR,), declared_team_ids=frozenset({1})), LEEDS, (),
     ("declared",)),
    ("several at once, all named", Reviewer((LEEDS_PERINATAL, NEIGHBOUR),
                                            past=(PastMembership(1, d(100)),),
                                            declared_team_ids=frozenset({1})), LEEDS, (),
     ("former_member", "same_organisation", "shared_area", "declared")),
    ("a member is not also a former member", Reviewer((LEEDS,), past=(
        PastMembership(1, d(100)),)), LEEDS, (), ("own_team",)),
]


@pytest.mark.parametrize(("what", "reviewer", "team", "reviews", "rules"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_conflict_rules(what, reviewer, team, reviews, rules):
    result = check(reviewer, team, on=ON, reviews=reviews)
    assert result.rules == rules
    assert result.may_review is (not rules)
    assert all(conflict.reason for conflict in result.conflicts)


def test_reasons_name_what_conflicts():
    result = check(Reviewer((NEIGHBOUR,)), LEEDS, on=ON)
    assert result.conflicts[0].reason.endswith("la:E08000035.")
    leap = check(Reviewer((FAR,), past=(PastMembership(1, datetime.date(2024, 2, 29)),)),
                 LEEDS, on=datetime.date(2027, 2, 28))
    assert leap.rules == ("former_member",)


def test_the_reciprocal_window_ends_on_a_real_day():
    on = datetime.date(2026, 8, 31)
    inside = PeerReview(1, 2, datetime.date(2024, 9, 1))
    edge = PeerReview(1, 2, datetime.date(2024, 8, 31))
    assert check(Reviewer((BRADFORD,)), LEEDS, on=on, reviews=[inside]).rules == ("reciprocal",)
    assert check(Reviewer((BRADFORD,)), LEEDS, on=on, reviews=[edge]).may_review
