"""Gaps between the team an area needs and the staffing it has, similar areas, and the pace of
new teams needed by 2030 (pure: no Django).

Rules:

- Existing staffing of an area: each operating team covering any of it contributes its
  recorded WTE times the share of the babies it covers that live in the area. Coverage is read
  at the finest geography the team records (its local authorities if it names any, otherwise
  its health areas), and babies are placed through local authorities, as the coverage map
  does: a coverage area holds `share` of each authority's babies aged 0 to 2, and where two
  areas of different schemes share an authority its babies are assumed to be spread evenly
  over it (areas of the same scheme never overlap).
- A team that has recorded no staffing is not a team of 0 WTE: its staffing is unknown. The
  gap is then a range (`StaffingGap`): from 0 (the teams whose staffing is not recorded may
  already be fully staffed) to the sized team's WTE less the staffing that is recorded (they
  may have no staff). Where every covering team's staffing is recorded, the gap is the one
  figure needed less existing, never below zero. It is priced at the sized team's average
  cost per WTE (costs.price_gap).
- Similar areas are the areas of the same scheme with the nearest births (absolute
  difference), ties broken by name; the area itself is left out.
- The pace starts from the latest published count or the register's count today, whichever
  is higher. The pace needed is the teams still to be set up (one per area in force, less that
  count) divided by the years left from today (not from the date of the count) until the
  target date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cradle.directory.coverage import finest_areas

AreaKey = tuple[str, str]
DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class TeamStaffing:
    key: int
    name: str
    wte: Decimal | None  # None: the team has recorded no staffing (unknown, not zero)
    areas: tuple[AreaKey, ...]


def _babies(area_las: Mapping[str, float], la_population: Mapping[str, int]) -> float:
    return sum(share * la_population.get(la, 0) for la, share in area_las.items())


def share_in_area(team_areas: Iterable[AreaKey], area: AreaKey,
                  area_las: Mapping[AreaKey, Mapping[str, float]],
                  la_population: Mapping[str, int]) -> float:
    """The share (0 to 1) of the babies a team covers that live in `area`."""
    covered = finest_areas(team_areas)
    target = area_las.get(area, {})
    total = inside = 0.0
    for key in covered:
        las = area_las.get(key, {})
        total += _babies(las, la_population)
        if key[0] == area[0]:
            # Areas of one scheme do not overlap: the team's area is this one or another.
            inside += _babies(las, la_population) if key == area else 0.0
        else:
            inside += sum(share * target.get(la, 0.0) * la_population.get(la, 0)
                          for la, share in las.items())
    if total <= 0:
        return 0.0
    return min(1.0, inside / total)


@dataclass(frozen=True)
class AttributedTeam:
    team: TeamStaffing
    share: float
    wte: Decimal | None  # None: the team's staffing is not recorded

    @property
    def recorded(self) -> bool:
        return self.wte is not None


def attribute_staffing(teams: Iterable[TeamStaffing], area: AreaKey,
                       area_las: Mapping[AreaKey, Mapping[str, float]],
                       la_population: Mapping[str, int]) -> list[AttributedTeam]:
    """Each team's WTE counted towards `area` (teams with no share in it are left out)."""
    attributed = []
    for team in teams:
        share = share_in_area(team.areas, area, area_las, la_population)
        if share > 0:
            wte = (None if team.wte is None else
                   (team.wte * Decimal(str(round(share, 6)))).quantize(Decimal("0.01")))
            attributed.append(AttributedTeam(team, share, wte))
    return attributed


def gap_wte(needed: Decimal, existing: Decimal) -> Decimal:
    return max(Decimal(0), needed - existing)


@dataclass(frozen=True)
class StaffingGap:
    """The gap between the team an area needs and the staffing covering it: one figure when
    every covering team's staffing is recorded, otherwise a range (`low` to `high`)."""

    needed: Decimal
    recorded_wte: Decimal  # the staffing recorded by the teams that recorded any
    teams_not_recorded: int  # covering teams that have recorded no staffing

    @property
    def staffing_known(self) -> bool:
        return self.teams_not_recorded == 0

    @property
    def high(self) -> Decimal:
        """The gap if the teams whose staffing is not recorded have no staff."""
        return gap_wte(self.needed, self.recorded_wte)

    @property
    def low(self) -> Decimal:
        """The gap if those teams are already fully staffed: none."""
        return self.high if self.staffing_known else Decimal(0)

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def staffing_gap(needed: Decimal, attributed: Iterable[AttributedTeam]) -> StaffingGap:
    attributed = list(attributed)
    recorded = sum((t.wte for t in attributed if t.wte is not None), Decimal(0))
    return StaffingGap(needed, recorded, sum(1 for t in attributed if t.wte is None))


def nearest_by_births(area: AreaKey, births: Mapping[AreaKey, int], names: Mapping[AreaKey, str],
                      count: int = 5) -> list[AreaKey]:
    if area not in births:
        return []
    own = births[area]
    others = [key for key in births if key != area]
    others.sort(key=lambda key: (abs(births[key] - own), names.get(key, key[1])))
    return others[:count]


@dataclass(frozen=True)
class Pace:
    teams_now: int
    counted_on: datetime.date
    teams_needed: int
    target_date: datetime.date
    today: datetime.date | None = None  # the years left count from here (default: counted_on)

    @property
    def teams_to_add(self) -> int:
        return max(0, self.teams_needed - self.teams_now)

    @property
    def years_left(self) -> Decimal:
        days = (self.target_date - (self.today or self.counted_on)).days
        return (Decimal(max(days, 0)) / DAYS_PER_YEAR).quantize(Decimal("0.1"))

    @property
    def teams_per_year(self) -> Decimal | None:
        if self.years_left <= 0:
            return None
        return (Decimal(self.teams_to_add) / self.years_left).quantize(Decimal("0.1"))


def latest_count(register_today: tuple[datetime.date, int],
                 published: Sequence[tuple[datetime.date, int]]) -> tuple[datetime.date, int]:
    """The count to measure the pace from: the latest published count or the register's count
    today, whichever is higher (the register holds only the teams recorded in Cradle, so it can
    lag the published national counts); on a tie the later date."""
    candidates = [register_today]
    if published:
        candidates.append(max(published, key=lambda pair: pair[0]))
    return max(candidates, key=lambda pair: (pair[1], pair[0]))


def needed_line(pace: Pace) -> list[tuple[datetime.date, Decimal]]:
    """Two points, from the latest count today to every area having a team on the target
    date."""
    return [(pace.today or pace.counted_on, Decimal(pace.teams_now)),
            (pace.target_date, Decimal(max(pace.teams_needed, pace.teams_now)))]
