"""What the pooled report needs, as plain data for `cradle.stats`, read from the summaries.

The whole calendar months of the period are read from the maintained summaries (models.py:
fact rows and the sums of measure pairs per team, year and instrument for the whole calendar
years among them, per team and month for the rest, and the few cases whose episodes ended in
several months as rows, whatever the number of records); the days at its edges that do not
make a whole month (a year "to date") are computed from the records by the same definitions (contributions.py). Either way each figure counts what the
reference extract counts (tests/pooled_reference.py, and the property test that holds the two
equal): see contributions.py for which records each figure counts. Nothing here identifies
anyone: no team references, no pseudonyms.
"""

from __future__ import annotations

from django.db.models import Sum

from cradle.outcomes.models import Episode

from . import contributions
from . import facts as f
from .data import Extract, Scope
from .models import (
    CHANGE_COLUMNS,
    PAIR_COLUMNS,
    CaseMeasurePair,
    MonthlyChange,
    MonthlyFact,
    YearlyChange,
    YearlyFact,
    change_of_columns,
)


def _summed_facts(rows) -> list[tuple]:
    """Stored facts summed as the extract takes them: by name and key over the teams, and the
    referrals by team."""
    rows = rows.order_by()
    facts = [(None, name, key, n) for name, key, n in
             rows.exclude(name=f.REFERRALS).values("name", "key")
             .annotate(total=Sum("n")).values_list("name", "key", "total")]
    facts += [(team, f.REFERRALS, "", n) for team, n in
              rows.filter(name=f.REFERRALS).values("team_id")
              .annotate(total=Sum("n")).values_list("team_id", "total")]
    return facts


def _change(rows) -> list[tuple]:
    return [(team, instrument, change_of_columns(values)) for team, instrument, *values in
            rows.order_by().values_list("team_id", "instrument", *CHANGE_COLUMNS)]


def extract(scope: Scope) -> Extract:
    teams = list(scope.team_ids)
    split = f.split_period(scope.start, scope.end)
    facts: list[tuple] = []
    summed_change: list[tuple] = []
    pairs: list[f.PairRow] = []
    if split.whole_months is not None and teams:
        first, last = split.whole_months
        years, month_runs = f.split_months(first, last)
        if years is not None:
            in_years = {"team_id__in": teams, "year__gte": years[0], "year__lte": years[1]}
            facts += _summed_facts(YearlyFact.objects.filter(**in_years))
            summed_change += _change(YearlyChange.objects.filter(**in_years))
        for run_first, run_last in month_runs:
            in_months = {"team_id__in": teams, "month__gte": run_first, "month__lte": run_last}
            facts += _summed_facts(MonthlyFact.objects.filter(**in_months))
            summed_change += _change(MonthlyChange.objects.filter(**in_months))
        pairs += [f.PairRow(*row) for row in CaseMeasurePair.objects.filter(
            team_id__in=teams, month__gte=first, month__lte=last).order_by().values_list(
                *PAIR_COLUMNS)]
    for start, end in split.partial if teams else ():
        records = contributions.Records(team_ids=teams, start=start, end=end)
        facts += [(team, name, key, n)
                  for (team, _month, name, key), n in contributions.facts_of(records).items()]
        pairs += contributions.pair_rows(Episode.objects.current().filter(
            case__team_id__in=teams, ended_on__gte=start, ended_on__lte=end))
    return f.assemble(scope, facts, summed_change, pairs)
