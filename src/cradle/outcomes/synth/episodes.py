"""Synthetic episodes of work: interventions, contacts, measures and feedback (no Django)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from cradle.outcomes.vocabulary import ESQ_ITEMS, REFERRER_QUESTIONS

from . import profiles as p
from .draw import Weighted, add_days, clamp, lognormal_days
from .measures import administration
from .rows import ContactRow, EpisodeRow, FeedbackRow, InterventionRow, MeasureRow, TeamData

DISCHARGE_REASONS = Weighted(p.DISCHARGE_REASONS)
CONTACT_MODES = Weighted(p.CONTACT_MODES)
TRAJECTORIES = Weighted(p.TRAJECTORIES)
ESQ_GOOD = Weighted(p.ESQ_ANSWERS_GOOD)
ESQ_POOR = Weighted(p.ESQ_ANSWERS_POOR)
REFERRER_ANSWERS = Weighted(p.REFERRER_ANSWERS)


@dataclass(frozen=True, slots=True)
class TeamHabits:
    """What differs between teams: waits, attendance, interventions and instruments."""

    median_wait_days: int
    dna_rate: float
    interventions: tuple[str, ...]
    instruments: tuple[str, ...]


def add_episode(data: TeamData, habits: TeamHabits, referral: int, end: datetime.date,
                rng: random.Random) -> None:
    """For an accepted referral: the episode (if it has started by `end`) and its records."""
    row = data.referrals[referral]
    started = add_days(row.decided_on, lognormal_days(
        rng, habits.median_wait_days, p.WAIT_SPREAD, 1, 365))
    if started > end:
        return  # still on the waiting list
    finished = add_days(started, lognormal_days(
        rng, p.EPISODE_MEDIAN_DAYS, p.EPISODE_SPREAD, *p.EPISODE_DAYS))
    ended_on, reason = (finished, DISCHARGE_REASONS.pick(rng)) if finished <= end else (None, "")
    episode = len(data.episodes)
    data.episodes.append(EpisodeRow(row.case, referral, started, ended_on, reason))
    for intervention in rng.sample(habits.interventions, 1 if rng.random() < 0.6 else 2):
        data.interventions.append(InterventionRow(episode, intervention))
    last_day = ended_on or end
    _add_contacts(data, habits, episode, started, last_day, reason, rng)
    trajectory = TRAJECTORIES.pick(rng)
    _add_measures(data, habits, episode, started, ended_on, reason, trajectory, end, rng)
    if ended_on is not None:
        _add_feedback(data, episode, ended_on, reason, trajectory, end, rng)


def _contact_outcome(rng: random.Random, dna_rate: float) -> str:
    draw = rng.random()
    if draw < dna_rate:
        return "did_not_attend"
    if draw < dna_rate + p.CANCELLED_BY_FAMILY:
        return "cancelled_by_family"
    if draw < dna_rate + p.CANCELLED_BY_FAMILY + p.CANCELLED_BY_SERVICE:
        return "cancelled_by_service"
    return "attended"


def _add_contacts(data: TeamData, habits: TeamHabits, episode: int, started: datetime.date,
                  last_day: datetime.date, reason: str, rng: random.Random) -> None:
    span = (last_day - started).days
    wanted = round(span / 7 * rng.uniform(*p.CONTACTS_PER_WEEK))
    count = int(clamp(wanted, 1, p.MAX_CONTACTS))
    draw = rng.random
    # Day offsets 1..span after the first contact (int(draw() * span) + 1: a hot path, and
    # randint costs several times as much).
    days = [0, *sorted(int(draw() * span) + 1 for _ in range(count - 1))] if span else (
        [0] * count)
    dna_rate = habits.dna_rate * (2.5 if reason == "disengaged" else 1.0)
    first_ordinal = started.toordinal()
    for index, day in enumerate(days):
        mode = CONTACT_MODES.pick(rng)
        on = datetime.date.fromordinal(first_ordinal + day)
        # The episode starts with the first contact that took place.
        outcome = "attended" if index == 0 else _contact_outcome(rng, dna_rate)
        if outcome == "attended":
            low, high = p.MINUTES[mode]
            minutes = 5 * round((low + draw() * (high - low)) / 5)
            data.contacts.append(ContactRow(episode, on, mode, outcome, minutes, True,
                                            draw() < p.SHARE_BABY_PRESENT))
        else:
            data.contacts.append(ContactRow(episode, on, mode, outcome, 0, False, False))


def _add_measures(data: TeamData, habits: TeamHabits, episode: int, started: datetime.date,
                  ended_on: datetime.date | None, reason: str, trajectory: str,
                  end: datetime.date, rng: random.Random) -> None:
    baseline = clamp(rng.gauss(*p.BASELINE_SEVERITY), 0.05, 0.98)
    mean_change, sd_change = p.SEVERITY_CHANGE[trajectory]
    final = clamp(baseline - rng.gauss(mean_change, sd_change), 0.0, 1.0)
    last_day = ended_on or end
    length = (last_day - started).days
    plan: list[tuple[str, datetime.date, float]] = []
    if rng.random() < p.SHARE_WITH_BASELINE:
        plan.append(("baseline", add_days(started, min(rng.randint(0, 14), length)), baseline))
    if length > p.REVIEW_AFTER_DAYS and rng.random() < p.SHARE_WITH_REVIEW:
        midway = baseline + (final - baseline) * rng.uniform(0.3, 0.7)
        plan.append(("review", add_days(started, length // 2), midway))
    if ended_on is not None and rng.random() < p.DISCHARGE_MEASURE.get(
            reason, p.DISCHARGE_MEASURE_OTHER):
        plan.append(("discharge", ended_on, final))
        follow_up = add_days(ended_on, p.FOLLOW_UP_DAYS)
        if follow_up <= end and rng.random() < p.SHARE_WITH_FOLLOW_UP:
            plan.append(("follow_up", follow_up, final + rng.gauss(0.0, 0.06)))
    case = data.episodes[episode].case
    goals = rng.randint(1, 3)
    for code in habits.instruments:
        offset = rng.gauss(0.0, 0.05)  # instruments agree, but not exactly
        for timepoint, on, severity in plan:
            scored = administration(code, severity + offset + rng.gauss(0.0, 0.03), rng,
                                    goals=goals)
            data.measures.append(MeasureRow(case, episode, code, timepoint, on, *scored))


def _add_feedback(data: TeamData, episode: int, ended_on: datetime.date, reason: str,
                  trajectory: str, end: datetime.date, rng: random.Random) -> None:
    received = min(add_days(ended_on, rng.randint(0, 14)), end)
    if rng.random() < p.PARENT_FEEDBACK.get(reason, p.PARENT_FEEDBACK_OTHER):
        answers = ESQ_POOR if trajectory == "deteriorate" else ESQ_GOOD
        given = {item: answers.pick(rng) for item in ESQ_ITEMS
                 if rng.random() >= p.SHARE_QUESTION_SKIPPED}
        if given:
            data.feedback.append(FeedbackRow(episode, "parent", received, given))
    if rng.random() < p.REFERRER_FEEDBACK:
        given = {key: REFERRER_ANSWERS.pick(rng) for key, _label in REFERRER_QUESTIONS
                 if rng.random() >= p.SHARE_QUESTION_SKIPPED}
        if given:
            data.feedback.append(FeedbackRow(episode, "referrer", received, given))
