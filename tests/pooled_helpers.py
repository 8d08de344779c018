"""Recording synthetic families for the pooled pages' tests, through the real actions."""

from __future__ import annotations

import datetime

from cradle.outcomes import actions
from tests.accounts_helpers import make_user

DAY = datetime.date(2025, 3, 3)


def record(team, *, cases: int, referrer: str, improved: int,
           baselines: list[int] | None = None, discharges: list[int] | None = None):
    """``cases`` referrals with an ended episode and a PHQ-9 baseline and discharge score each:
    by default 18 then 6 for the first ``improved`` and 18 then 17 for the rest."""
    user = make_user(f"recorder-{team.pk}@example.org", team=team)
    for number in range(cases):
        case = actions.create_case(user=user, team=team, team_reference=f"P-{number}")
        referral = actions.record_referral(
            user=user, case=case, referred_on=DAY, referrer_type=referrer,
            caregivers=[{"relationship": "mother", "age_at_referral": 19 + number}],
            risk_factors=["isolation"], decision="accepted", decided_on=DAY)
        episode = actions.open_episode(user=user, case=case, referral=referral,
                                       started_on=DAY + datetime.timedelta(days=7))
        actions.record_contact(user=user, episode=episode, on=DAY + datetime.timedelta(days=14),
                               mode="home_visit", outcome="attended", minutes=60,
                               caregivers_attended=True)
        baseline = baselines[number] if baselines else 18
        discharge = (discharges[number] if discharges else 6 if number < improved else 17)
        actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                               timepoint="baseline", administered_on=episode.started_on,
                               total=baseline)
        actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                               timepoint="discharge", administered_on=DAY.replace(month=9),
                               total=discharge)
        actions.close_episode(user=user, episode=episode, ended_on=DAY.replace(month=9),
                              discharge_reason="planned")
