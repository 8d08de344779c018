"""Synthetic teams and their outcomes records, as plain rows (no Django).

    spec = Spec(teams=20, years=3, seed=1, end=datetime.date(2026, 3, 31))
    for data in generate(spec):        # one TeamData per team, team 1 first
        ...

The same spec gives the same rows, whatever the machine: every team draws from its own
`random.Random`, seeded from the spec's seed and the team's number (string seeds are hashed
with SHA-512, not Python's salted hash), so teams can be made one at a time and in any order.
Team sizes are skewed: each team's share of the mean `referrals_per_year` is a lognormal
multiplier (the multipliers average one), so a few teams are large and most are small, and
the total is close to teams x years x referrals_per_year.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from . import profiles as p
from .draw import Weighted, add_days, years_before
from .episodes import TeamHabits, add_episode
from .families import add_family
from .rows import ROW_LISTS, TeamData, TeamRow, WorkforceRow

NATIONS = Weighted(p.NATIONS)
INTERVENTIONS = Weighted(p.INTERVENTIONS)
INSTRUMENT_SETS = Weighted(p.INSTRUMENT_SETS)
WORKFORCE_KINDS = Weighted(p.WORKFORCE_KINDS)
AUDIENCE = Weighted(p.AUDIENCE_PROFESSIONS)
DEFAULT_REFERRALS_PER_YEAR = 120
TEAM_NAME = "Synthetic team {number:03d} (not a real service)"
SOURCE_NOTE = ("Synthetic data made by `cradle synth` (seed {seed}) for demonstrations, tests "
               "and benchmarks. Not a real service: every family, record and figure is made up.")


@dataclass(frozen=True)
class Spec:
    teams: int
    years: int
    end: datetime.date
    seed: int = 0
    referrals_per_year: int = DEFAULT_REFERRALS_PER_YEAR

    def __post_init__(self):
        for name in ("teams", "years", "referrals_per_year"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
        if self.teams > 999:
            raise ValueError("teams must be at most 999 (team numbers have three digits)")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be a whole number, not {self.seed!r}")
        if isinstance(self.end, datetime.datetime) or not isinstance(self.end, datetime.date):
            raise ValueError("end must be a date")

    @property
    def start(self) -> datetime.date:
        """The first day of the period: the records cover `start` to `end` inclusive."""
        return add_days(years_before(self.end, self.years), 1)

    def year_windows(self) -> list[tuple[datetime.date, datetime.date]]:
        """(first day, last day) of each year of the period, oldest first."""
        return [(add_days(years_before(self.end, self.years - k), 1),
                 years_before(self.end, self.years - k - 1)) for k in range(self.years)]


@dataclass(frozen=True)
class TeamPlan:
    number: int
    nation: str
    referrals_by_year: tuple[int, ...]


def team_plans(spec: Spec) -> list[TeamPlan]:
    """Every team's nation and yearly referral counts (skewed sizes; see the module notes)."""
    rng = random.Random(f"cradle-synth:{spec.seed}:teams")
    raw = [math.exp(rng.gauss(0.0, p.TEAM_SIZE_SIGMA)) for _ in range(spec.teams)]
    mean = sum(raw) / len(raw)
    plans = []
    for number, size in enumerate(raw, start=1):
        counts = []
        for year in range(spec.years):
            position = year / (spec.years - 1) - 0.5 if spec.years > 1 else 0.0
            expected = spec.referrals_per_year * size / mean * (1 + p.YEARLY_GROWTH * position)
            counts.append(max(p.MIN_REFERRALS_PER_YEAR,
                              round(expected * rng.uniform(0.9, 1.1))))
        plans.append(TeamPlan(number, NATIONS.pick(rng), tuple(counts)))
    return plans


def _habits(rng: random.Random) -> TeamHabits:
    return TeamHabits(
        median_wait_days=rng.randint(*p.TEAM_MEDIAN_WAIT),
        dna_rate=rng.uniform(*p.TEAM_DNA_RATE),
        interventions=tuple(INTERVENTIONS.sample(rng, rng.randint(*p.TEAM_INTERVENTIONS))),
        instruments=INSTRUMENT_SETS.pick(rng))


def _add_workforce(data: TeamData, spec: Spec, rng: random.Random) -> None:
    per_year = rng.uniform(*p.WORKFORCE_EVENTS_PER_YEAR)
    for first, last in spec.year_windows():
        count = max(0, round(per_year + rng.gauss(0.0, 1.5)))
        days = sorted(rng.randint(0, (last - first).days) for _ in range(count))
        for day in days:
            kind = WORKFORCE_KINDS.pick(rng)
            topic = rng.choice(p.TRAINING_TOPICS) if kind == "training" else ""
            audience = AUDIENCE.sample(rng, rng.randint(1, 3))
            data.workforce.append(WorkforceRow(kind, add_days(first, day), topic, audience,
                                               rng.randint(*p.ATTENDEES[kind])))


def generate_team(spec: Spec, plan: TeamPlan) -> TeamData:
    rng = random.Random(f"cradle-synth:{spec.seed}:team:{plan.number}")
    data = TeamData(TeamRow(plan.number, TEAM_NAME.format(number=plan.number), plan.nation,
                            SOURCE_NOTE.format(seed=spec.seed), spec.start))
    habits = _habits(rng)
    dates = []
    for (first, last), count in zip(spec.year_windows(), plan.referrals_by_year, strict=True):
        span = (last - first).days
        dates.extend(add_days(first, rng.randint(0, span)) for _ in range(count))
    dates.sort()
    for referred_on in dates:
        referral = add_family(data, plan.number, referred_on, spec.end, rng)
        if data.referrals[referral].decision == "accepted":
            add_episode(data, habits, referral, spec.end, rng)
    _add_workforce(data, spec, rng)
    return data


def generate(spec: Spec) -> Iterator[TeamData]:
    """Each team's rows in turn (one team in memory at a time)."""
    for plan in team_plans(spec):
        yield generate_team(spec, plan)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(("teams", *ROW_LISTS), 0)


__all__ = ["Spec", "TeamPlan", "empty_counts", "generate", "generate_team",
           "team_plans"]
