"""Which teams a pooled report pools, and the period it covers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from cradle.directory.models import Service
from cradle.outcomes.models import Referral

from .data import Scope


def pooled_teams(*, nation: str | None = None):
    """Teams whose records are pooled: the real teams, or in demo mode only the synthetic ones
    (so made-up records never mix with real ones)."""
    teams = Service.objects.filter(synthetic=settings.CRADLE_DEMO)
    return teams.in_nation(nation) if nation else teams


def years_with_referrals(team_ids) -> list[int]:
    dates = Referral.objects.filter(case__team__in=team_ids).dates("referred_on", "year")
    return sorted({d.year for d in dates}, reverse=True)


def year_scope(team_ids, year: int | None) -> tuple[Scope, list[int]]:
    """The calendar year asked for, else the latest year with referrals (else last year)."""
    years = years_with_referrals(team_ids)
    if year is None:
        year = years[0] if years else timezone.localdate().year - 1
    return Scope(tuple(team_ids), datetime.date(year, 1, 1), datetime.date(year, 12, 31)), years
