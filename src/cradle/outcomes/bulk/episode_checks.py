"""Rows of the episodes and contacts sheets, checked without the database.

Every value goes through the rules `actions.open_episode`, `close_episode` and `record_contact`
use (validation.episode_start, episode_end, episode_discharge_reason, episode_interventions,
contact_date, contact_minutes, contact_outcome, contact_took_place, contact_mode). What needs
the database or the other sheets (which referral an episode follows, which episode a contact
belongs to, and so whether the contact falls after the episode's end) is checked in `plan`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cradle.directory import vocabulary as directory_vocabulary
from cradle.outcomes import validation as rules
from cradle.outcomes import vocabulary as v

from . import cells
from .columns import LIST_SEPARATOR, listing, lookup
from .parsing import Sheet
from .problems import Problem
from .rows import FAILED, RowCheck

DISCHARGE_REASONS = lookup(v.DISCHARGE_REASONS)
INTERVENTIONS = lookup(directory_vocabulary.INTERVENTIONS)
CONTACT_MODES = lookup(v.CONTACT_MODES)
CONTACT_OUTCOMES = lookup(v.CONTACT_OUTCOMES)


@dataclass
class EpisodeRow:
    sheet: str
    row: int
    reference: str
    started_on: datetime.date
    referred_on: datetime.date | None = None  # the referral it follows, found by `plan`
    ended_on: datetime.date | None = None
    discharge_reason: str = ""
    interventions: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, datetime.date]:
        """How the contacts sheet names the episode."""
        return self.reference, self.started_on


@dataclass
class ContactRow:
    sheet: str
    row: int
    reference: str
    episode_started_on: datetime.date
    on: datetime.date
    mode: str
    outcome: str
    minutes: int = 0
    caregivers_attended: bool = False
    baby_attended: bool = False

    @property
    def episode_key(self) -> tuple[str, datetime.date]:
        return self.reference, self.episode_started_on


def _end(row: RowCheck, started_on):
    """The end date and the discharge reason: both or neither."""
    ended_on = row.take("ended_on", cells.date, row.cell("ended_on"))
    reason = row.take("discharge_reason", cells.choice, row.cell("discharge_reason"),
                      DISCHARGE_REASONS, listing(v.DISCHARGE_REASONS))
    if FAILED in (ended_on, reason):
        return FAILED, FAILED
    if ended_on is None and not reason:
        return None, ""
    if ended_on is None:
        row.problem("ended_on", "give the date the work ended, with the discharge reason")
        return FAILED, FAILED
    if not reason:
        row.problem("discharge_reason", "give why the work ended, with the end date: "
                    + listing(v.DISCHARGE_REASONS))
        return FAILED, FAILED
    if started_on is not FAILED:
        ended_on = row.take("ended_on", rules.episode_end, ended_on, started_on=started_on)
    return ended_on, row.take("discharge_reason", rules.episode_discharge_reason, reason)


def check_episode(sheet: Sheet, number: int, values: dict,
                  problems: list[Problem]) -> EpisodeRow | None:
    row = RowCheck(sheet, number, values, problems)
    reference = row.reference()
    started_on = row.date("started_on", "the date the work started")
    if started_on is not FAILED:
        started_on = row.take("started_on", rules.episode_start, started_on)
    referred_on = row.take("referred_on", cells.date, row.cell("referred_on"))
    if FAILED not in (started_on, referred_on) and referred_on is not None:
        row.take("started_on", rules.episode_after_referral, started_on, referred_on)
    ended_on, reason = _end(row, started_on)
    chosen = [INTERVENTIONS.get(key, key)
              for key in cells.key_list(row.cell("interventions"), LIST_SEPARATOR)]
    interventions = row.take("interventions", rules.episode_interventions, chosen)
    if row.failed:
        return None
    return EpisodeRow(sheet.name, number, reference, started_on, referred_on, ended_on,
                      reason, interventions)


def check_contact(sheet: Sheet, number: int, values: dict,
                  problems: list[Problem]) -> ContactRow | None:
    row = RowCheck(sheet, number, values, problems)
    reference = row.reference()
    episode_started_on = row.date("episode_started_on", "the start date of the episode")
    on = row.date("on", "the date of the contact")
    if FAILED not in (on, episode_started_on):
        # The episode's end is known only once the episode is found (plan checks it).
        on = row.take("on", rules.contact_date, on, started_on=episode_started_on,
                      ended_on=None)
    mode = row.choice("mode", "how the contact was held", CONTACT_MODES,
                      listing(v.CONTACT_MODES))
    if mode is not FAILED:
        mode = row.take("mode", rules.contact_mode, mode)
    outcome = row.choice("outcome", "what happened: " + listing(v.CONTACT_OUTCOMES),
                         CONTACT_OUTCOMES, listing(v.CONTACT_OUTCOMES))
    if outcome is not FAILED:
        outcome = row.take("outcome", rules.contact_outcome, outcome)
    minutes = row.take("minutes", cells.whole_number, row.cell("minutes"))
    if minutes is not FAILED:
        minutes = row.take("minutes", rules.contact_minutes, 0 if minutes is None else minutes)
    attended = {}
    for name in ("caregivers_attended", "baby_attended"):
        answer = row.take(name, cells.yes_no, row.cell(name), blank_means=False)
        if answer is not FAILED:
            attended[name] = row.take(name, rules.checked_bool, name, answer)
    if FAILED not in (outcome, minutes, *attended.values()) and len(attended) == 2:
        try:
            rules.contact_took_place(outcome, minutes=minutes, **attended)
        except rules.InvalidRecord as error:
            problems = error.message_dict
            if "outcome" in problems:
                # Name the cells to clear, not only the outcome the message is keyed by.
                message = " ".join(problems["outcome"])
                for name in ("minutes", *attended):
                    if (minutes if name == "minutes" else attended[name]):
                        row.problem(name, f"{message}: clear this cell, or correct the outcome")
            if "minutes" in problems:
                row.problem("minutes", " ".join(problems["minutes"]))
            if "attended" in problems:
                for name in attended:
                    row.problem(name, " ".join(problems["attended"]) + " (answer yes in "
                                "caregivers_attended, baby_attended or both)")
    if row.failed:
        return None
    return ContactRow(sheet.name, number, reference, episode_started_on, on, mode, outcome,
                      minutes, attended["caregivers_attended"], attended["baby_attended"])


def one_episode_a_day(rows: list[EpisodeRow], problems: list[Problem]) -> None:
    """The start date names an episode, so two rows of one case cannot share it."""
    first: dict[tuple[str, datetime.date], int] = {}
    for row in rows:
        seen = first.setdefault(row.key, row.row)
        if seen != row.row:
            problems.append(Problem(row.sheet, row.row, "started_on", f"row {seen} gives an "
                                    "episode of the same case starting on the same date: "
                                    "give each episode once"))
