"""Which measures are due in an episode of work, from each instrument's schedule (pure Python).

An instrument's schedule (``instruments.model.Schedule``) says: a baseline at the start, a
review every so many days while the episode is open, and one at discharge. The rules:

- *Baseline*: an open episode with no baseline measure of any instrument since it started has
  a baseline due from its start; it is late once the longest baseline window of the
  instruments has passed (no instrument has been chosen yet, so the kindest window is used).
- *Review*: for each instrument with a baseline in an open episode, a review is due
  ``review_every_days`` after its latest baseline or review; it is listed once that day comes.
- *Discharge*: for each instrument with a baseline in an episode that has ended, a discharge
  measure is due from the day it ended, unless one was recorded, for ``DISCHARGE_WINDOW_DAYS``
  (after that the chance has gone, and listing it would never end).

Only the instruments a team started with are followed: Cradle does not say which measures a
team uses, only when the ones it uses fall due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .instruments.model import DEFAULT_SCHEDULE, Schedule

#: A discharge measure stays due for this many days after the episode ends (Cradle default).
DISCHARGE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class Given:
    """One administration recorded for the case."""

    instrument: str
    timepoint: str
    on: datetime.date


@dataclass(frozen=True)
class Due:
    """A measure due: `instrument` is None for "a baseline of any instrument"."""

    instrument: str | None
    timepoint: str
    due_on: datetime.date
    late_on: datetime.date | None = None

    def is_late(self, today: datetime.date) -> bool:
        return self.late_on is not None and today > self.late_on


def measures_due(*, started_on: datetime.date, ended_on: datetime.date | None,
                 given: Iterable[Given], schedules: Mapping[str, Schedule],
                 today: datetime.date) -> list[Due]:
    """The measures due today in one episode, given the case's administrations."""
    inside = [g for g in given
              if g.on >= started_on and (ended_on is None or g.on <= ended_on)]
    baselines = {g.instrument for g in inside if g.timepoint == "baseline"}
    due: list[Due] = []
    if ended_on is None:
        if not baselines:
            window = max((s.baseline_within_days for s in schedules.values()),
                         default=DEFAULT_SCHEDULE.baseline_within_days)
            due.append(Due(None, "baseline", started_on,
                           started_on + datetime.timedelta(days=window)))
        for instrument in sorted(baselines):
            schedule = schedules.get(instrument, DEFAULT_SCHEDULE)
            if schedule.review_every_days is None:
                continue
            last = max(g.on for g in inside if g.instrument == instrument
                       and g.timepoint in ("baseline", "review"))
            due_on = last + datetime.timedelta(days=schedule.review_every_days)
            if due_on <= today:
                due.append(Due(instrument, "review", due_on))
        return due
    if (today - ended_on).days > DISCHARGE_WINDOW_DAYS:
        return due
    discharged = {g.instrument for g in given
                  if g.timepoint == "discharge" and g.on >= started_on}
    for instrument in sorted(baselines - discharged):
        if schedules.get(instrument, DEFAULT_SCHEDULE).at_discharge:
            due.append(Due(instrument, "discharge", ended_on,
                           ended_on + datetime.timedelta(days=DISCHARGE_WINDOW_DAYS)))
    return due
