"""Synthetic families: a case, its referral, caregivers and risk factors (no Django)."""

from __future__ import annotations

import datetime
import random

from . import profiles as p
from .draw import Weighted, add_days, clamp, month_text, shift_month
from .rows import CaregiverRow, CaseRow, ReferralRow, RiskFactorRow, TeamData

REFERRERS = Weighted(p.REFERRER_TYPES)
DECISIONS = Weighted(p.DECISIONS)
FIRST_CAREGIVER = Weighted(p.FIRST_CAREGIVER)
SECOND_CAREGIVER = Weighted(p.SECOND_CAREGIVER)
ETHNICITY = Weighted(p.ETHNIC_CATEGORIES)


def _age(relationship: str, rng: random.Random, young: bool) -> int | None:
    if rng.random() < p.SHARE_AGE_NOT_RECORDED:
        return None
    if relationship == "grandparent":
        return rng.randint(*p.GRANDPARENT_AGES)
    if young:
        return rng.randint(*p.YOUNG_AGES)
    mean = p.ADULT_AGE_MEAN + (2.5 if relationship == "father" else 0.0)
    return int(clamp(round(rng.gauss(mean, p.ADULT_AGE_SD)), *p.ADULT_AGES))


def _baby_month(referred_on: datetime.date, end: datetime.date,
                rng: random.Random) -> tuple[str, bool]:
    """The month of birth, or the due month while the baby is not yet born at `end`."""
    if rng.random() < p.SHARE_REFERRED_ANTENATALLY:
        year, month = shift_month(referred_on, rng.randint(1, 6))
        return month_text(year, month), (year, month) > (end.year, end.month)
    months_old = min(int(rng.expovariate(1 / 5)), 23)
    return month_text(*shift_month(referred_on, -months_old)), False


def _optional(rng: random.Random, share_true: float) -> bool | None:
    if rng.random() < p.SHARE_HOUSEHOLD_NOT_RECORDED:
        return None
    return rng.random() < share_true


def add_family(data: TeamData, team_number: int, referred_on: datetime.date,
               end: datetime.date, rng: random.Random) -> int:
    """Append a case, its referral, caregivers and risk factors; return the referral's index."""
    case = len(data.cases)
    month, is_due = _baby_month(referred_on, end, rng)
    data.cases.append(CaseRow(f"SYN{team_number:03d}-{case + 1:05d}", month, is_due))

    decision, decided_on = "", None
    decided = add_days(referred_on, rng.randint(*p.DECISION_WAIT))
    if decided <= end:
        decision, decided_on = DECISIONS.pick(rng), decided
    single = _optional(rng, p.SHARE_SINGLE_CAREGIVER)
    referral = len(data.referrals)
    data.referrals.append(ReferralRow(
        case, referred_on, REFERRERS.pick(rng), single,
        _optional(rng, p.SHARE_FIRST_TIME_PARENT), decision, decided_on))

    young = rng.random() < p.SHARE_AGED_20_AND_UNDER
    first = FIRST_CAREGIVER.pick(rng)
    first_age = _age(first, rng, young)
    ethnicity = ETHNICITY.pick(rng)
    data.caregivers.append(CaregiverRow(referral, first, first_age, ethnicity))
    if single is not True and rng.random() < p.SHARE_WITH_SECOND_CAREGIVER:
        second = SECOND_CAREGIVER.pick(rng)
        same = rng.random() < p.SHARE_SECOND_CAREGIVER_SAME_ETHNICITY
        data.caregivers.append(CaregiverRow(
            referral, second, _age(second, rng, young and second != "grandparent"),
            ethnicity if same else ETHNICITY.pick(rng)))

    factors = [key for key, chance in p.RISK_FACTORS if rng.random() < chance]
    if first_age is not None and first_age < p.YOUNG_PARENT_UNDER:
        factors.append("young_parent")
    if not factors:
        factors.append(p.FALLBACK_RISK_FACTOR)
    data.risk_factors.extend(RiskFactorRow(referral, factor) for factor in factors)
    return referral
