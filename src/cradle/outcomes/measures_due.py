"""The measures due across a set of cases, read in two queries and decided by the pure rules
in schedules.py (each instrument's schedule from the registry)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from . import vocabulary as v
from .instruments import REGISTRY
from .models import Episode, MeasureAdministration
from .schedules import DISCHARGE_WINDOW_DAYS, Due, Given, measures_due

TIMEPOINT_LABELS = dict(v.TIMEPOINTS)
SCHEDULES = {code: instrument.schedule for code, instrument in REGISTRY.items()}


@dataclass(frozen=True)
class EpisodeDue:
    episode: Episode
    due: Due

    @property
    def instrument_name(self) -> str:
        return REGISTRY[self.due.instrument].name if self.due.instrument else "Any measure"

    @property
    def timepoint_label(self) -> str:
        return TIMEPOINT_LABELS[self.due.timepoint]


def due_by_case(cases, today: datetime.date) -> dict[int, list[EpisodeDue]]:
    """{case id: what is due} for the cases (a queryset) that have anything due today: open
    episodes, and episodes ended in the last DISCHARGE_WINDOW_DAYS days."""
    recent = today - datetime.timedelta(days=DISCHARGE_WINDOW_DAYS)
    episodes = list(Episode.objects.current().filter(case__in=cases).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=recent)).order_by("started_on", "id"))
    given: dict[int, list[Given]] = defaultdict(list)
    for case_id, instrument, timepoint, on in MeasureAdministration.objects.current().filter(
            case__in={e.case_id for e in episodes}).values_list(
            "case_id", "instrument", "timepoint", "administered_on"):
        given[case_id].append(Given(instrument, timepoint, on))
    found: dict[int, list[EpisodeDue]] = defaultdict(list)
    for episode in episodes:
        for due in measures_due(started_on=episode.started_on, ended_on=episode.ended_on,
                                given=given[episode.case_id], schedules=SCHEDULES,
                                today=today):
            found[episode.case_id].append(EpisodeDue(episode, due))
    return dict(found)
