"""Which teams a pooled report pools, and the period it covers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from cradle.directory.models import Service
from cradle.geography.models import Area

from .data import Scope
from .facts import REFERRALS
from .models import YearlyFact


def pooled_teams(*, nation: str | None = None, area: Area | None = None):
    """Teams whose records are pooled: the real teams, or in demo mode only the synthetic ones
    (so made-up records never mix with real ones); optionally only those of a nation, or those
    covering an area (wholly or in part)."""
    teams = Service.objects.filter(synthetic=settings.CRADLE_DEMO)
    if nation:
        teams = teams.in_nation(nation)
    if area is not None:
        teams = teams.filter(coverage__area=area).distinct()
    return teams


def area_from(value: str | None) -> Area | None:
    """"ccg2019:E38000001" -> that area; anything else -> None."""
    scheme, _, code = (value or "").partition(":")
    if not scheme or not code:
        return None
    return Area.objects.filter(scheme=scheme, code=code).first()


def years_with_referrals(team_ids) -> list[int]:
    """Every year from the first referral to the last, latest first: from the years of the
    summaries' referral counts (ADR 0023), which hold a year exactly when a current referral
    was made in it (the referrals themselves would be joined to their cases, all of them)."""
    span = YearlyFact.objects.filter(team_id__in=list(team_ids), name=REFERRALS).aggregate(
        first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


def year_scope(team_ids, year: int | None) -> tuple[Scope, list[int]]:
    """The calendar year asked for; else the latest complete year with referrals, else the
    current year. The current year runs to today."""
    today = timezone.localdate()
    years = years_with_referrals(team_ids)
    if year is None:
        complete = [y for y in years if y < today.year]
        year = complete[0] if complete else years[0] if years else today.year - 1
    end = min(datetime.date(year, 12, 31), today) if year <= today.year else \
        datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1)
    return Scope(tuple(team_ids), start, max(end, start)), years
