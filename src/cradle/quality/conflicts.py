"""Conflicts of interest between a peer reviewer and the team whose review they would check
(plain data, no Django). Issue 20 item 3 (peer review) is for a later session; these rules are
its first part, as a pure module with table tests, so the pages and actions can call one
function when they come.

A reviewer may not review a team when:
- `own_team`: they are a member of it now;
- `former_member`: they left it less than FORMER_MEMBER_YEARS ago;
- `same_organisation`: one of their teams is run by the same organisation (trust, council,
  charity), compared case- and space-insensitively;
- `shared_area`: one of their teams takes referrals from an area the reviewed team also
  covers (neighbours compete for the same commissioners and share families);
- `reciprocal`: the reviewed team's people peer-reviewed one of the reviewer's teams less
  than RECIPROCAL_MONTHS ago (no swapping reviews);
- `declared`: they declared an interest in the team.
Every conflict found is returned with its reason, so a coordinator sees them all at once; no
conflict means the reviewer may be assigned.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

FORMER_MEMBER_YEARS = 3
RECIPROCAL_MONTHS = 24


@dataclass(frozen=True)
class Team:
    id: int
    organisation: str = ""
    areas: frozenset[str] = frozenset()  # area keys, e.g. "la:E08000035"


@dataclass(frozen=True)
class PastMembership:
    team_id: int
    left_on: datetime.date


@dataclass(frozen=True)
class PeerReview:
    """A peer review done: someone from `reviewer_team_id` checked `reviewed_team_id`."""

    reviewer_team_id: int
    reviewed_team_id: int
    on: datetime.date


@dataclass(frozen=True)
class Reviewer:
    teams: tuple[Team, ...]
    past: tuple[PastMembership, ...] = ()
    declared_team_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Conflict:
    rule: str
    reason: str


@dataclass(frozen=True)
class Check:
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)

    @property
    def may_review(self) -> bool:
        return not self.conflicts

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(conflict.rule for conflict in self.conflicts)


def _organisation(name: str) -> str:
    return " ".join(name.casefold().split())


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check(reviewer: Reviewer, team: Team, *, on: datetime.date,
          reviews: Iterable[PeerReview] = ()) -> Check:
    """Every conflict of interest of `reviewer` with `team` on date `on`."""
    found: list[Conflict] = []
    own_ids = {t.id for t in reviewer.teams}
    if team.id in own_ids:
        found.append(Conflict("own_team", "The reviewer is a member of the team."))
    since = _years_before(on, FORMER_MEMBER_YEARS)
    left = [p.left_on for p in reviewer.past if p.team_id == team.id and p.left_on > since]
    if left and team.id not in own_ids:
        found.append(Conflict("former_member", f"The reviewer left the team on "
                              f"{max(left):%-d %B %Y}, less than {FORMER_MEMBER_YEARS} years "
                              "ago."))
    organisation = _organisation(team.organisation)
    if organisation and any(_organisation(t.organisation) == organisation
                            for t in reviewer.teams if t.id != team.id):
        found.append(Conflict("same_organisation", f"One of the reviewer's teams is also run "
                              f"by {team.organisation.strip()}."))
    shared = sorted({area for t in reviewer.teams if t.id != team.id for area in t.areas}
                    & set(team.areas))
    if shared:
        found.append(Conflict("shared_area", "One of the reviewer's teams covers the same "
                              f"area{'s' if len(shared) > 1 else ''}: {', '.join(shared)}."))
    reciprocal_since = _months_before(on, RECIPROCAL_MONTHS)
    if any(r.reviewer_team_id == team.id and r.reviewed_team_id in own_ids
           and reciprocal_since < r.on <= on for r in reviews):
        found.append(Conflict("reciprocal", "The team peer-reviewed one of the reviewer's "
                              f"teams in the last {RECIPROCAL_MONTHS} months."))
    if team.id in reviewer.declared_team_ids:
        found.append(Conflict("declared", "The reviewer declared an interest in the team."))
    return Check(tuple(found))
