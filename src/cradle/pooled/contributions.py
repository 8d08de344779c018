"""What the records contribute to the pooled summaries: the facts (facts.py) of some records,
grouped by team and calendar month, and their measure pairs, computed in the database.

One definition of what each figure counts, used three ways: by the outcomes actions for the
cases they change (before and after the change: the difference is applied), by `rebuild` and
`verify` for whole teams, and by `extract` for the days of a period that do not make a whole
month. What is counted is the reference extract's (tests/pooled_reference.py):

- referral facts, the primary caregiver (the first recorded), risk factors and waits belong to
  the referral's date; waits are from referral to the first attended contact of an episode
  following an accepted referral;
- contacts belong to their date; episodes, their interventions and the case's measure pairs
  to the date the episode ended; training to the activity's date.
Withdrawn records count nowhere (`.current()`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncMonth

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

from . import facts as f

#: Ids per IN (...) list: well inside SQLite's limit on parameters.
CHUNK = 5000


@dataclass(frozen=True)
class Records:
    """Which records: those of some cases (or workforce activities), or of some teams, with
    their dates (each record's own date, as listed above) optionally in a range."""

    case_ids: Sequence[int] | None = None
    activity_ids: Sequence[int] | None = None
    team_ids: Sequence[int] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def scoped(self, queryset, *, case: str | None, date: str, team: str | None = None):
        """`queryset` narrowed to these records; `case` and `date` are the lookups of the
        record's case and date, `team` of its team when it has no case."""
        if self.case_ids is not None:
            queryset = queryset.filter(**{f"{case}_id__in": list(self.case_ids)}) \
                if case else queryset.none()
        if self.activity_ids is not None:
            queryset = queryset.filter(pk__in=list(self.activity_ids)) if case is None \
                else queryset.none()
        if self.team_ids is not None:
            team_lookup = f"{case}__team_id__in" if case else f"{team}_id__in"
            queryset = queryset.filter(**{team_lookup: list(self.team_ids)})
        if self.start is not None:
            queryset = queryset.filter(**{f"{date}__gte": self.start})
        if self.end is not None:
            queryset = queryset.filter(**{f"{date}__lte": self.end})
        return queryset


def _add(rows, counter: Counter, name: str) -> None:
    """Grouped rows (team, month, value, n) into `counter` as facts named `name`."""
    for team, month, value, n in rows:
        counter[(team, month, name, f.key_of(value))] += n


def _grouped(queryset, team: str, day: str, *fields: str):
    """(team, month, the fields..., n) per team, calendar month of `day` and the fields."""
    return (queryset.order_by()
            .values(*fields, team_key=F(team), month_key=TruncMonth(day))
            .annotate(n=Count("pk"))
            .values_list("team_key", "month_key", *fields, "n"))


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def facts_of(records: Records) -> Counter:
    """The facts of these records: (team id, month, name, key) -> n."""
    counter: Counter = Counter()
    if records.activity_ids is None:
        _case_facts(records, counter)
    if records.case_ids is None:
        _training_facts(records, counter)
    return Counter({(team, _as_date(month), name, key): n
                    for (team, month, name, key), n in counter.items() if n})


def _case_facts(records: Records, counter: Counter) -> None:
    referrals = records.scoped(Referral.objects.current(), case="case", date="referred_on")
    breakdowns = {"referrer_type": f.REFERRER_TYPE, "decision": f.DECISION,
                  "single_caregiver_household": f.SINGLE_CAREGIVER,
                  "first_time_parent": f.FIRST_TIME_PARENT}
    for team, month, *values, n in _grouped(referrals, "case__team_id", "referred_on",
                                            *breakdowns):
        counter[(team, month, f.REFERRALS, "")] += n
        for name, value in zip(breakdowns.values(), values, strict=True):
            counter[(team, month, name, f.key_of(value))] += n

    first_ids = (referrals.order_by().values("pk").annotate(first=Min("caregivers__id"))
                 .values("first"))
    primary = Caregiver.objects.current().filter(pk__in=first_ids)
    for team, month, age, ethnicity, n in _grouped(
            primary, "referral__case__team_id", "referral__referred_on", "age_at_referral",
            "ethnic_category"):
        counter[(team, month, f.CAREGIVER_AGE, f.key_of(age))] += n
        counter[(team, month, f.CAREGIVER_ETHNICITY, f.key_of(ethnicity))] += n

    risks = ReferralRiskFactor.objects.current().filter(referral__in=referrals)
    _add(_grouped(risks, "referral__case__team_id", "referral__referred_on", "factor"),
         counter, f.RISK_FACTOR)

    accepted = referrals.filter(decision="accepted").annotate(first_contact=Min(
        "episodes__contacts__on", filter=Q(episodes__contacts__outcome="attended",
                                           episodes__contacts__withdrawn_at__isnull=True)))
    for team, referred_on, first_contact in accepted.order_by().values_list(
            "case__team_id", "referred_on", "first_contact").iterator(chunk_size=20000):
        month = f.month_of(referred_on)
        if first_contact is None:
            counter[(team, month, f.ACCEPTED_WITHOUT_CONTACT, "")] += 1
        else:
            counter[(team, month, f.WAIT_DAYS, f.key_of((first_contact - referred_on).days))] += 1

    contacts = records.scoped(Contact.objects.current(), case="episode__case", date="on")
    _add(_grouped(contacts, "episode__case__team_id", "on", "outcome"), counter,
         f.CONTACT_OUTCOME)
    ended = records.scoped(Episode.objects.current().filter(ended_on__isnull=False),
                           case="case", date="ended_on")
    _add(_grouped(ended, "case__team_id", "ended_on", "discharge_reason"), counter,
         f.DISCHARGE_REASON)
    interventions = EpisodeIntervention.objects.current().filter(episode__in=ended)
    _add(_grouped(interventions, "episode__case__team_id", "episode__ended_on",
                  "intervention"), counter, f.INTERVENTION)


def _training_facts(records: Records, counter: Counter) -> None:
    activity = records.scoped(WorkforceActivity.objects.current().filter(kind="training"),
                              case=None, date="on", team="team")
    totals = (activity.order_by().values(team_key=F("team_id"), month_key=TruncMonth("on"))
              .annotate(events=Count("pk"), attendees=Sum("attendees"))
              .values_list("team_key", "month_key", "events", "attendees"))
    for team, month, events, attendees in totals:
        counter[(team, month, f.TRAINING_EVENTS, "")] += events
        counter[(team, month, f.PROFESSIONALS_TRAINED, "")] += attendees or 0
    for team, on, professions, attendees in activity.order_by().values_list(
            "team_id", "on", "audience_professions", "attendees"):
        for profession in professions or ():
            counter[(team, f.month_of(on), f.TRAINED_BY_PROFESSION, profession)] += \
                attendees or 0


def pair_rows(ended_episodes) -> list[f.PairRow]:
    """The measure pairs of the cases of `ended_episodes` (a queryset of current, ended
    episodes), one row per case, instrument and month in which one of those episodes ended."""
    months: dict[int, set] = defaultdict(set)
    teams: dict[int, int] = {}
    for case_id, team_id, ended_on in ended_episodes.order_by().values_list(
            "case_id", "case__team_id", "ended_on"):
        months[case_id].add(f.month_of(ended_on))
        teams[case_id] = team_id
    measures: dict[int, list] = defaultdict(list)
    case_ids = sorted(months)
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start:start + CHUNK]
        for case_id, *row in (MeasureAdministration.objects.current()
                              .filter(case_id__in=chunk, timepoint__in=("baseline", "discharge"))
                              .order_by().values_list("case_id", "instrument", "timepoint",
                                                      "administered_on", "pk", "total",
                                                      "caseness")):
            measures[case_id].append(row)
    rows = []
    for case_id in case_ids:
        rows.extend(f.pairs_of_case(case_id, teams[case_id], measures.get(case_id, ()),
                                    months[case_id]))
    return rows


def case_pair_rows(case_ids: Iterable[int]) -> list[f.PairRow]:
    rows = []
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        rows += pair_rows(Episode.objects.current().filter(
            case_id__in=ids[start:start + CHUNK], ended_on__isnull=False))
    return rows


def chunked_facts(*, case_ids: Iterable[int] = (), activity_ids: Iterable[int] = ()) -> Counter:
    """`facts_of` the cases and activities, a chunk of ids at a time."""
    total: Counter = Counter()
    for ids, field in ((sorted(set(case_ids)), "case_ids"),
                       (sorted(set(activity_ids)), "activity_ids")):
        for start in range(0, len(ids), CHUNK):
            total.update(facts_of(Records(**{field: ids[start:start + CHUNK]})))
    return total
