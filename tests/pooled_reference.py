"""The reference implementation of the pooled extract: the report's inputs computed straight
from the records, as `cradle.pooled.extract` did before it read the maintained summaries
(issue 16). The property test (tests/integration/test_pooled_summaries_exact.py) checks every
figure the summaries give against this; it is kept here, unchanged in what it counts, so that
the summaries cannot drift from it unnoticed.

What the pooled report needs from the outcomes tables, as plain data for `cradle.stats`.

Counting happens in the database (GROUP BY) wherever a figure is a count; only what the
statistics need row by row (waits, baseline and discharge score pairs) comes back as rows, and
then only the fields used. Nothing here identifies anyone: no team references, no pseudonyms.

Which records a figure counts (each figure's page states it):
- referral figures: referrals made in the period;
- the caregiver's age and ethnic category: the first caregiver recorded on each referral (the
  "primary caregiver"), so the denominator is referrals, as the report's portal figures were;
- waits: accepted referrals in the period, from referral to the first attended contact of an
  episode that follows the referral;
- attendance: contacts in the period; episodes and interventions: episodes ended in the period;
- outcome measures: cases with an episode ended in the period; the baseline is the earliest
  baseline administration of an instrument in that episode's case, the discharge score the
  latest discharge administration on or after it;
- workforce: activity in the period.

Withdrawn records (outcomes/corrections.py) are in none of these: every queryset starts from
`.current()`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Min, Q, Sum

from cradle.outcomes.models import (
    Caregiver,
    Contact,
    Episode,
    EpisodeIntervention,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
    WorkforceActivity,
)
from cradle.pooled.data import Extract, MeasurePair, Scope
from cradle.pooled.facts import change_of_pairs


def _grouped(queryset, key: str) -> dict:
    counts: dict = {}
    _tally(queryset, {key: counts})
    return counts


def _tally(queryset, into: dict[str, dict]) -> None:
    """Counts by each of several fields from one GROUP BY over all of them."""
    keys = list(into)
    rows = queryset.order_by().values(*keys).annotate(n=Count("pk")).values_list(*keys, "n")
    for *values, n in rows:
        for key, value in zip(keys, values, strict=True):
            into[key][value] = into[key].get(value, 0) + n


def extract(scope: Scope) -> Extract:
    data = Extract(scope=scope)
    teams, start, end = scope.team_ids, scope.start, scope.end
    # Withdrawn records count nowhere (`.current()`: withdrawing a case or an episode
    # withdraws what hangs off it, so each record's own withdrawal says it).
    referrals = Referral.objects.current().filter(case__team__in=teams,
                                                  referred_on__gte=start, referred_on__lte=end)
    # One pass over the period's referrals for all five breakdowns.
    fields = {"case__team": data.referrals_by_team, "referrer_type": data.referrer_types,
              "decision": data.decisions, "single_caregiver_household": data.single_caregiver,
              "first_time_parent": data.first_time_parent}
    _tally(referrals, fields)

    # The first caregiver recorded on each referral: one GROUP BY, not a subquery per row.
    first_ids = (referrals.order_by().values("pk").annotate(first=Min("caregivers__id"))
                 .values("first"))
    primary = Caregiver.objects.current().filter(pk__in=first_ids)
    _tally(primary, {"age_at_referral": data.primary_caregiver_ages,
                     "ethnic_category": data.primary_caregiver_ethnicity})
    data.risk_factors = _grouped(
        ReferralRiskFactor.objects.current().filter(referral__in=referrals), "factor")

    accepted = referrals.filter(decision="accepted").annotate(first_contact=Min(
        "episodes__contacts__on", filter=Q(episodes__contacts__outcome="attended",
                                           episodes__contacts__withdrawn_at__isnull=True)))
    for referred_on, first_contact in accepted.values_list("referred_on", "first_contact"):
        if first_contact is None:
            data.accepted_without_contact += 1
        else:
            days = (first_contact - referred_on).days
            data.waits[days] = data.waits.get(days, 0) + 1

    contacts = Contact.objects.current().filter(episode__case__team__in=teams, on__gte=start,
                                                on__lte=end)
    data.contact_outcomes = _grouped(contacts, "outcome")
    ended = Episode.objects.current().filter(case__team__in=teams, ended_on__gte=start,
                                             ended_on__lte=end)
    data.discharge_reasons = _grouped(ended, "discharge_reason")
    data.interventions = _grouped(
        EpisodeIntervention.objects.current().filter(episode__in=ended), "intervention")
    data.change = change_of_pairs(_measure_pairs(ended))

    activity = WorkforceActivity.objects.current().filter(team__in=teams, on__gte=start, on__lte=end,
                                                kind="training")
    totals = activity.aggregate(events=Count("pk"), attendees=Sum("attendees"))
    data.training_events = totals["events"] or 0
    data.professionals_trained = totals["attendees"] or 0
    by_profession: dict[str, int] = defaultdict(int)
    for professions, attendees in activity.values_list("audience_professions", "attendees"):
        for profession in professions or ():
            by_profession[profession] += attendees or 0
    data.trained_by_profession = dict(by_profession)
    return data


def _measure_pairs(ended_episodes) -> list[MeasurePair]:
    """Baseline and discharge scores per (case, instrument) for the cases whose episode ended."""
    rows = (MeasureAdministration.objects.current()
            .filter(case__in=ended_episodes.values("case"),
                    timepoint__in=("baseline", "discharge"))
            .order_by("case_id", "instrument", "administered_on", "pk")
            .values_list("case_id", "case__team_id", "instrument", "timepoint",
                         "administered_on", "total", "caseness"))
    pairs: dict[tuple[int, str], MeasurePair] = {}
    baseline_dates: dict[tuple[int, str], datetime.date] = {}
    for case_id, team_id, instrument, timepoint, on, total, caseness in rows.iterator(
            chunk_size=20000):
        key = (case_id, instrument)
        if timepoint == "baseline":
            if key not in pairs:
                pairs[key] = MeasurePair(team_id, instrument, total, None, caseness, None)
                baseline_dates[key] = on
        elif key in pairs and on >= baseline_dates[key]:
            pair = pairs[key]
            pair.discharge, pair.discharge_caseness = total, caseness
    return list(pairs.values())
