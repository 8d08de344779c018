"""The pooled summaries are exact (issue 16, ADR 0023): for random record sets made, edited
and withdrawn through the real actions, every figure of the report read from the summaries
equals the figure computed from the raw records by the reference extract
(tests/pooled_reference.py), for whole years, periods with partial months at both ends, single
partial months and several teams; and `verify` finds no difference.

Each example runs in a savepoint rolled back at its end, so examples do not see each other's
records. More examples: CRADLE_PROPERTY_EXAMPLES=200 pytest this file.
"""

from __future__ import annotations

import datetime
import os
import random
from dataclasses import fields

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cradle.directory import vocabulary as directory_vocabulary
from cradle.directory.models import Service
from cradle.outcomes import actions, corrections
from cradle.outcomes import vocabulary as v
from cradle.outcomes.models import Contact, Episode, MeasureAdministration, Referral
from cradle.outcomes.validation import InvalidRecord, NeedsConfirmation
from cradle.pooled import summaries
from cradle.pooled.data import Scope
from cradle.pooled.extract import extract
from cradle.pooled.report import build_report, team_funnel
from cradle.stats.disclosure import NHS_DIGITAL
from tests import pooled_reference
from tests.accounts_helpers import make_user

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CRADLE_PROPERTY_EXAMPLES", "4"))
FIRST_DAY = datetime.date(2024, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
INSTRUMENTS = {"phq9": (0, 27), "gad7": (0, 21), "epds": (0, 30), "kips": (1.0, 5.0)}

SCOPES = (
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),   # a whole year
    (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),   # two years
    (datetime.date(2024, 3, 10), datetime.date(2025, 2, 14)),   # partial months at both ends
    (datetime.date(2025, 6, 5), datetime.date(2025, 6, 20)),    # inside one month
    (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)),    # one whole month
    (datetime.date(2024, 3, 1), datetime.date(2025, 12, 31)),   # months, then a whole year
    (datetime.date(2024, 11, 20), datetime.date(2025, 12, 31)), # days, months, a whole year
)


def keys(pairs) -> list[str]:
    return [pair[0] for pair in pairs]


def day_between(rng: random.Random, first: datetime.date, last: datetime.date):
    last = min(last, LAST_DAY)
    if last < first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


class Recorder:
    """Random records for a team through the actions; invalid ones (the actions refuse them)
    are simply not made."""

    def __init__(self, rng: random.Random, team, user):
        self.rng, self.team, self.user = rng, team, user
        self.count = 0

    def attempt(self, action, **arguments):
        try:
            return action(user=self.user, **arguments)
        except (InvalidRecord, NeedsConfirmation):
            return None

    def case(self):
        rng = self.rng
        self.count += 1
        case = actions.create_case(user=self.user, team=self.team,
                                   team_reference=f"PT-{self.count}-{rng.randint(0, 10**6)}")
        for _ in range(rng.choice((1, 1, 1, 2))):
            self.referral(case)
        return case

    def referral(self, case):
        rng = self.rng
        referred_on = day_between(rng, FIRST_DAY, LAST_DAY)
        decision = rng.choice(["", *keys(v.DECISIONS), "accepted", "accepted"])
        caregivers = [{"relationship": rng.choice(keys(v.RELATIONSHIPS)),
                       "age_at_referral": rng.choice([None, *range(15, 45)]),
                       "ethnic_category": rng.choice(keys(v.ETHNIC_CATEGORIES))}
                      for _ in range(rng.choice((0, 1, 1, 2)))]
        referral = self.attempt(
            actions.record_referral, case=case, referred_on=referred_on,
            referrer_type=rng.choice(keys(v.REFERRER_TYPES)), caregivers=caregivers,
            single_caregiver_household=rng.choice((None, True, False)),
            first_time_parent=rng.choice((None, True, False)),
            risk_factors=rng.sample(sorted(v.RISK_FACTOR_DOMAIN), rng.randint(0, 3)),
            decision=decision,
            decided_on=day_between(rng, referred_on, referred_on + datetime.timedelta(days=20))
            if decision else None)
        if referral is not None and decision == "accepted" and rng.random() < 0.8:
            self.episode(case, referral)

    def episode(self, case, referral):
        rng = self.rng
        started_on = day_between(rng, referral.referred_on,
                                 referral.referred_on + datetime.timedelta(days=60))
        episode = self.attempt(actions.open_episode, case=case, referral=referral,
                               started_on=started_on,
                               interventions=rng.sample(keys(directory_vocabulary.INTERVENTIONS),
                                                        rng.randint(0, 2)))
        if episode is None:
            return
        for _ in range(rng.randint(0, 5)):
            self.contact(episode, started_on)
        for instrument, (low, high) in rng.sample(sorted(INSTRUMENTS.items()), 2):
            for timepoint in rng.sample(("baseline", "baseline", "discharge", "discharge",
                                         "review"), rng.randint(0, 4)):
                total = (rng.randint(low, high) if isinstance(low, int)
                         else rng.randint(int(low * 4), int(high * 4)) / 4)
                self.attempt(actions.record_measure, case=case, episode=episode,
                             instrument=instrument, timepoint=timepoint,
                             administered_on=day_between(
                                 rng, started_on, started_on + datetime.timedelta(days=200)),
                             total=total, confirmed=True)
        if rng.random() < 0.75:
            self.attempt(actions.close_episode, episode=episode,
                         ended_on=day_between(rng, started_on,
                                              started_on + datetime.timedelta(days=240)),
                         discharge_reason=rng.choice(keys(v.DISCHARGE_REASONS)))

    def contact(self, episode, started_on):
        rng = self.rng
        outcome = rng.choice(keys(v.CONTACT_OUTCOMES))
        attended = outcome == "attended"
        self.attempt(actions.record_contact, episode=episode,
                     on=day_between(rng, started_on, started_on + datetime.timedelta(days=150)),
                     mode=rng.choice(keys(v.CONTACT_MODES)), outcome=outcome,
                     minutes=60 if attended else 0, caregivers_attended=attended)

    def training(self):
        rng = self.rng
        self.attempt(actions.record_workforce_activity, team=self.team,
                     kind=rng.choice(keys(v.WORKFORCE_KINDS)),
                     on=day_between(rng, FIRST_DAY, LAST_DAY),
                     audience_professions=rng.sample(keys(directory_vocabulary.PROFESSIONS),
                                                     rng.randint(0, 3)),
                     attendees=rng.choice((None, 0, 3, 12)))


def edit_some(rng: random.Random, user, team) -> None:
    """Corrections and withdrawals of random records of the team."""
    reason = "Entered wrongly at the time"

    def attempt(action, **arguments):
        try:
            action(user=user, reason=reason, **arguments)
        except (InvalidRecord, NeedsConfirmation):
            pass

    referrals = list(Referral.objects.current().filter(case__team=team))
    for referral in rng.sample(referrals, min(3, len(referrals))):
        moved = day_between(rng, FIRST_DAY, referral.referred_on)
        decision = rng.choice(["", "accepted", "declined"])
        attempt(corrections.change_referral, referral=referral, referred_on=moved,
                referrer_type=rng.choice(keys(v.REFERRER_TYPES)),
                caregivers=[{"relationship": "mother", "age_at_referral": rng.randint(16, 40)}],
                risk_factors=rng.sample(sorted(v.RISK_FACTOR_DOMAIN), 2), decision=decision,
                decided_on=referral.referred_on if decision else None)
    episodes = list(Episode.objects.current().filter(case__team=team))
    for episode in rng.sample(episodes, min(3, len(episodes))):
        ended = rng.choice((None, day_between(rng, episode.started_on,
                                              episode.started_on + datetime.timedelta(days=90))))
        attempt(corrections.change_episode, episode=episode, started_on=episode.started_on,
                referral=episode.referral,
                interventions=rng.sample(keys(directory_vocabulary.INTERVENTIONS), 1),
                ended_on=ended,
                discharge_reason=rng.choice(keys(v.DISCHARGE_REASONS)) if ended else "")
    contacts = list(Contact.objects.current().filter(episode__case__team=team)
                    .select_related("episode"))
    for contact in rng.sample(contacts, min(3, len(contacts))):
        attempt(corrections.change_contact, contact=contact, episode=contact.episode,
                on=contact.episode.started_on, mode=contact.mode, outcome="attended",
                minutes=30, caregivers_attended=True)
    measures = list(MeasureAdministration.objects.current().filter(case__team=team))
    for measure in rng.sample(measures, min(3, len(measures))):
        low, high = INSTRUMENTS[measure.instrument]
        attempt(corrections.change_measure, measure=measure, instrument=measure.instrument,
                timepoint=rng.choice(("baseline", "discharge")),
                administered_on=measure.administered_on, total=high if rng.random() < 0.5 else low,
                episode=measure.episode)
    withdrawable = [*rng.sample(contacts, min(2, len(contacts))),
                    *rng.sample(episodes, min(1, len(episodes))),
                    *rng.sample(measures, min(2, len(measures))),
                    *rng.sample(referrals, min(2, len(referrals)))]
    cases = list({record.case for record in referrals})
    withdrawable += rng.sample(cases, min(1, len(cases)))
    for record in withdrawable:
        record.refresh_from_db()
        if record.withdrawn_at is None:
            attempt(corrections.withdraw, record=record)


def without_zeros(data):
    """The reference keeps a profession whose events had no attendees at 0; summaries keep
    no zero facts. Neither changes a figure."""
    for field in fields(data):
        value = getattr(data, field.name)
        if isinstance(value, dict):
            setattr(data, field.name, {k: n for k, n in value.items() if n})
    return data


def assert_same_figures(team_ids) -> None:
    for start, end in SCOPES:
        for teams in (team_ids, team_ids[:1]):
            scope = Scope(tuple(teams), start, end)
            from_summaries = extract(scope)
            from_records = pooled_reference.extract(scope)
            assert without_zeros(from_summaries) == without_zeros(from_records), (start, end)
            for policy in (None, NHS_DIGITAL):
                assert build_report(from_summaries, policy=policy, teams_pooled=len(teams)) \
                    == build_report(from_records, policy=policy, teams_pooled=len(teams))
            for code in ("phq9", "gad7"):
                assert team_funnel(from_summaries, code) == team_funnel(from_records, code)


@pytest.fixture
def teams(pseudonym_key):
    first, second = Service.objects.filter(register_ref__in=("T15", "T16")).order_by("pk")
    return [(first, make_user("prop-a@example.org", team=first)),
            (second, make_user("prop-b@example.org", team=second))]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_figures_from_the_summaries_equal_the_figures_from_the_records(teams, seed):
    rng = random.Random(seed)
    with transaction.atomic():
        for team, user in teams:
            recorder = Recorder(rng, team, user)
            for _ in range(rng.randint(3, 9)):
                recorder.case()
            for _ in range(rng.randint(0, 3)):
                recorder.training()
        team_ids = [team.pk for team, _user in teams]
        assert_same_figures(team_ids)
        for team, user in teams:
            edit_some(rng, user, team)
        assert_same_figures(team_ids)
        checked, problems = summaries.verify(team_ids)
        assert (checked, problems) == (2, [])
        transaction.set_rollback(True)
