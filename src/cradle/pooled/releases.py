"""The protected pooled report of a period, nation and area, protected together with every
release it adds up with (docs/adr/0007-disclosure-control.md, "Release families").

Whatever is asked for, the four nations and the UK are built as one family, so the UK's figures
and each nation's are the same on every page, download and JSON, for every viewer. A release
for the teams covering an area is then protected inside the UK and inside its nation (when its
teams are all in one), and inside every other area a commissioner may look at whose teams
include its own, whose figures it cannot change.
"""

from __future__ import annotations

import datetime

from cradle.directory.models import Nation
from cradle.geography.models import Area
from cradle.stats.disclosure import NHS_DIGITAL, DisclosurePolicy

from .data import Scope
from .extract import extract
from .families import Release, build_partition, build_within
from .queries import pooled_teams
from .report import PooledReport


def _team_ids(**filters) -> frozenset[int]:
    return frozenset(pooled_teams(**filters).values_list("pk", flat=True))


def nations_family(start: datetime.date, end: datetime.date, *,
                   policy: DisclosurePolicy = NHS_DIGITAL
                   ) -> tuple[dict[str, Release], Release, dict[str, frozenset[int]]]:
    """Each nation's release and the UK's, protected together; and each nation's teams."""
    teams = {nation: _team_ids(nation=nation) for nation in Nation.values}
    parts = {nation: extract(Scope(tuple(sorted(ids)), start, end))
             for nation, ids in teams.items()}
    by_nation, uk = build_partition(parts, policy=policy)
    return by_nation, uk, teams


def protected_report(start: datetime.date, end: datetime.date, *, nation: str | None = None,
                     area: Area | None = None,
                     policy: DisclosurePolicy = NHS_DIGITAL) -> PooledReport:
    by_nation, uk, teams = nations_family(start, end, policy=policy)
    if area is None:
        return (by_nation[nation] if nation else uk).report
    # Every area a commissioner may look at is a release too: one whose teams include this
    # area's is a parent of it (an ICB around its sub-ICB location).
    published = {_team_ids(nation=nation, area=other) for other in
                 Area.objects.filter(commissioners__isnull=False).distinct()}
    fixed = [uk] + ([by_nation[nation]] if nation else [])
    cache: dict[frozenset[int], Release] = {}

    def release(ids: frozenset[int]) -> Release:
        """The release of a set of teams, the same whoever asks: protected inside the UK, its
        nation and every published area around it, each built the same way first."""
        if ids not in cache:
            parents = list(fixed) + [by_nation[name] for name, members in teams.items()
                                     if ids and ids <= members and name != nation]
            parents += [release(wider) for wider in sorted(published, key=len, reverse=True)
                        if ids < wider]
            child = extract(Scope(tuple(sorted(ids)), start, end))
            cache[ids] = build_within(child, parents, policy=policy)
        return cache[ids]

    return release(_team_ids(nation=nation, area=area)).report
