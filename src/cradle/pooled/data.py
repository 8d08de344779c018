"""The plain data the pooled report is computed from (no Django): what `extract` reads from
the outcomes tables, and what tests build by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields

from cradle.stats.change_sums import ChangeSums


@dataclass(frozen=True)
class Scope:
    """The teams pooled and the period (inclusive dates)."""

    team_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("the period ends before it starts")


@dataclass
class MeasurePair:
    team_id: int
    instrument: str
    baseline: float
    discharge: float | None
    baseline_caseness: bool | None
    discharge_caseness: bool | None


@dataclass
class Extract:
    scope: Scope
    referrals_by_team: dict[int, int] = field(default_factory=dict)
    referrer_types: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)
    single_caregiver: dict[bool | None, int] = field(default_factory=dict)
    first_time_parent: dict[bool | None, int] = field(default_factory=dict)
    primary_caregiver_ages: dict[int | None, int] = field(default_factory=dict)
    primary_caregiver_ethnicity: dict[str, int] = field(default_factory=dict)
    risk_factors: dict[str, int] = field(default_factory=dict)
    #: Days from referral to first attended contact -> how many accepted referrals waited so.
    waits: dict[int, int] = field(default_factory=dict)
    accepted_without_contact: int = 0
    contact_outcomes: dict[str, int] = field(default_factory=dict)
    discharge_reasons: dict[str, int] = field(default_factory=dict)
    interventions: dict[str, int] = field(default_factory=dict)
    #: (team id, instrument) -> the sufficient statistics of its cases' measure pairs.
    change: dict[tuple[int, str], ChangeSums] = field(default_factory=dict)
    training_events: int = 0
    professionals_trained: int = 0
    trained_by_profession: dict[str, int] = field(default_factory=dict)

    @property
    def referrals(self) -> int:
        return sum(self.referrals_by_team.values())

    def change_of(self, code: str) -> ChangeSums:
        """The instrument's statistics over every team."""
        return ChangeSums.total(sums for (_team, instrument), sums in self.change.items()
                                if instrument == code)

    @property
    def teams_with_data(self) -> int:
        return sum(1 for n in self.referrals_by_team.values() if n)


def merged(parts: list[Extract]) -> Extract:
    """The extract of the union of disjoint sets of teams over one period: counts added, rows
    joined (the whole of a partition, e.g. the UK from its four nations)."""
    if not parts:
        raise ValueError("nothing to merge")
    scope = Scope(tuple(t for part in parts for t in part.scope.team_ids), parts[0].scope.start,
                  parts[0].scope.end)
    if any((p.scope.start, p.scope.end) != (scope.start, scope.end) for p in parts):
        raise ValueError("the parts cover different periods")
    whole = Extract(scope=scope)
    for f in fields(Extract):
        if f.name == "scope":
            continue
        value = getattr(whole, f.name)
        for part in parts:
            addend = getattr(part, f.name)
            if isinstance(value, dict):
                for key, count in addend.items():
                    value[key] = value[key] + count if key in value else count
            elif isinstance(value, list):
                value.extend(addend)
            else:
                value += addend
        setattr(whole, f.name, value)
    return whole
