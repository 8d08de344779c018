"""The headline for a date: teams confirmed operating, teams recorded as operating but not
confirmed, the babies each group covers, and the latest published national count beside them.

The register's own count is never presented alone: the sources confirm fewer teams than the
Parent-Infant Foundation counts, and the register records some that no recent source confirms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .confirmation import confirmed_operating_on, with_claims
from .coverage import coverage_on
from .coverage_queries import cached, load_geography, population_year_for, service_cover
from .evidence_dates import CONFIRMATION_WINDOW_MONTHS, months_before
from .models import Service, TeamCountMilestone


@dataclass(frozen=True)
class PublishedCount:
    on: datetime.date
    teams: int
    publication: str
    publisher: str
    url: str


@dataclass(frozen=True)
class HeadlineCounts:
    on: datetime.date
    window_months: int
    confirmed: int                  # teams with sourced evidence of operating in the window
    unconfirmed: int                # teams the register records as operating, not confirmed
    population_year: int
    population_0_2: int             # UK babies aged 0 to 2 (mid-year estimate)
    covered_confirmed: int          # of them, living where a confirmed team operates
    covered_recorded: int           # ... where any team recorded as operating does
    published: PublishedCount | None  # the latest national count published by that date

    @property
    def recorded(self) -> int:
        return self.confirmed + self.unconfirmed

    @property
    def window_starts(self) -> datetime.date:
        return months_before(self.on, self.window_months)

    @property
    def pct_confirmed(self) -> float | None:
        return self._pct(self.covered_confirmed)

    @property
    def pct_recorded(self) -> float | None:
        return self._pct(self.covered_recorded)

    def _pct(self, covered: int) -> float | None:
        # Unknown (no population loaded) is None, never 0.
        if not self.population_0_2:
            return None
        return round(100 * covered / self.population_0_2, 1)

    @property
    def published_gap(self) -> int | None:
        """How many more teams the published count has than the register records."""
        return None if self.published is None else self.published.teams - self.recorded


def _published_by(on: datetime.date) -> PublishedCount | None:
    latest = TeamCountMilestone.objects.filter(on__lte=on).order_by("-on", "-id").first()
    if latest is None:
        return None
    return PublishedCount(latest.on, latest.teams, latest.publication, latest.publisher,
                          latest.url)


def _compute(on: datetime.date, months: int) -> HeadlineCounts:
    teams = list(with_claims(Service.objects.real().teams().operating_on(on))
                 .prefetch_related("coverage__area"))
    confirmed = [s for s in teams if confirmed_operating_on(s, on, months)]
    year = population_year_for(on)
    geography = load_geography(year)
    with_confirmed = coverage_on(on, geography, [service_cover(s) for s in confirmed])
    with_recorded = coverage_on(on, geography, [service_cover(s) for s in teams])
    return HeadlineCounts(
        on=on, window_months=months, confirmed=len(confirmed),
        unconfirmed=len(teams) - len(confirmed), population_year=year,
        population_0_2=with_recorded.uk.population_0_2,
        covered_confirmed=with_confirmed.uk.population_0_2_covered,
        covered_recorded=with_recorded.uk.population_0_2_covered,
        published=_published_by(on))


def headline_counts(on: datetime.date,
                    months: int = CONFIRMATION_WINDOW_MONTHS) -> HeadlineCounts:
    """The headline for `on` (cached per date and register version, like the coverage)."""
    return cached(f"headline-{months}", on, lambda: _compute(on, months))
