"""Plain rows of synthetic data, one class per outcomes model (no Django).

Field names are the models' own; a reference to another row (`case`, `referral`, `episode`) is
that row's index in its list within the same team, which the loader turns into a database id.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(slots=True)
class TeamRow:
    number: int
    name: str
    nation: str
    source_note: str
    operating_from: datetime.date


@dataclass(slots=True)
class CaseRow:
    team_reference: str
    baby_birth_month: str
    birth_month_is_due_month: bool


@dataclass(slots=True)
class ReferralRow:
    case: int
    referred_on: datetime.date
    referrer_type: str
    single_caregiver_household: bool | None
    first_time_parent: bool | None
    decision: str
    decided_on: datetime.date | None


@dataclass(slots=True)
class CaregiverRow:
    referral: int
    relationship: str
    age_at_referral: int | None
    ethnic_category: str


@dataclass(slots=True)
class RiskFactorRow:
    referral: int
    factor: str


@dataclass(slots=True)
class EpisodeRow:
    case: int
    referral: int
    started_on: datetime.date
    ended_on: datetime.date | None
    discharge_reason: str


@dataclass(slots=True)
class InterventionRow:
    episode: int
    intervention: str


@dataclass(slots=True)
class ContactRow:
    episode: int
    on: datetime.date
    mode: str
    outcome: str
    minutes: int
    caregivers_attended: bool
    baby_attended: bool


@dataclass(slots=True)
class MeasureRow:
    case: int
    episode: int
    instrument: str
    timepoint: str
    administered_on: datetime.date
    entered_as: str
    items: list | None
    total: float
    subscales: dict
    band: str
    caseness: bool | None
    flags: list
    complete: bool


@dataclass(slots=True)
class FeedbackRow:
    episode: int
    kind: str
    received_on: datetime.date
    answers: dict


@dataclass(slots=True)
class WorkforceRow:
    kind: str
    on: datetime.date
    topic: str
    audience_professions: list
    attendees: int | None


#: The row lists of a team, in the order they are loaded (a row refers only to earlier ones).
ROW_LISTS = ("cases", "referrals", "caregivers", "risk_factors", "episodes", "interventions",
             "contacts", "measures", "feedback", "workforce")


@dataclass(slots=True)
class TeamData:
    team: TeamRow
    cases: list[CaseRow] = field(default_factory=list)
    referrals: list[ReferralRow] = field(default_factory=list)
    caregivers: list[CaregiverRow] = field(default_factory=list)
    risk_factors: list[RiskFactorRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    interventions: list[InterventionRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    feedback: list[FeedbackRow] = field(default_factory=list)
    workforce: list[WorkforceRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ROW_LISTS}
