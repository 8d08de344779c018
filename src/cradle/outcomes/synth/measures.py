"""Synthetic outcome measures: a latent severity (0 well, 1 very unwell) becomes item scores,
a total or subscale totals for an instrument, and is scored by `instruments.score`, so every
band, caseness and flag is the engine's own (plain Python, no Django).
"""

from __future__ import annotations

import random

from cradle.outcomes.instruments import REGISTRY, score
from cradle.outcomes.instruments.model import Instrument

from . import profiles as p
from .draw import clamp

# Scoring is the slow part of generating: identical entries (common for totals) are scored
# once. Keys are the instrument, how it was entered and the entered values, so a cached
# result is exactly what `score` would return.
_SCORED: dict[tuple, tuple] = {}
_CACHE_LIMIT = 50_000  # entries; a few tens of megabytes at most


def _scored(code: str, entered_as: str, values) -> tuple:
    key = (code, entered_as, values)
    found = _SCORED.get(key)
    if found is None:
        if entered_as == "items":
            result = score(code, items=list(values))
        elif entered_as == "total":
            result = score(code, total=values)
        else:
            result = score(code, subscales=dict(values))
        found = (result.total, dict(result.subscales), result.band or "", result.caseness,
                 list(result.flags), result.complete)
        if len(_SCORED) < _CACHE_LIMIT:
            _SCORED[key] = found
    total, subscales, band, caseness, flags, complete = found
    return total, dict(subscales), band, caseness, list(flags), complete


def _badness_to_level(inst: Instrument, severity: float) -> float:
    """The share of the scale's range a score sits at, respecting the instrument's direction."""
    return severity if inst.direction == "higher_is_worse" else 1.0 - severity


def _item_plan(inst: Instrument) -> tuple[tuple[int, int, int, float, float], ...]:
    """Per item: (number, minimum, maximum, weight, noise), worked out once per instrument."""
    plan = _ITEM_PLANS.get(inst.code)
    if plan is None:
        risk_item = p.RISK_ITEMS.get(inst.code)
        plan = tuple(
            (item.number, item.minimum, item.maximum,
             p.RISK_ITEM_WEIGHT if item.number == risk_item else 1.0,
             p.ITEM_NOISE * (item.maximum - item.minimum) / 3
             * (p.RISK_ITEM_NOISE if item.number == risk_item else 1.0))
            for item in inst.items)
        _ITEM_PLANS[inst.code] = plan
    return plan


_ITEM_PLANS: dict[str, tuple] = {}


def _item_scores(inst: Instrument, severity: float, rng: random.Random,
                 goals: int) -> list[int | None]:
    """Scored item values (before any reverse keying), None for goals not set."""
    level = _badness_to_level(inst, severity)
    goal_mean = inst.scoring == "goal_mean"
    gauss = rng.gauss
    values: list[int | None] = []
    for number, minimum, maximum, weight, noise in _item_plan(inst):
        if goal_mean and number > goals:
            values.append(None)
            continue
        value = round(minimum + level * (maximum - minimum) * weight + gauss(0.0, noise))
        values.append(minimum if value < minimum else maximum if value > maximum else value)
    return values


def _entered(inst: Instrument, scored: list[int | None]) -> list[int | None]:
    """What the form shows for each item: reverse-keyed items are entered reversed."""
    return [None if value is None else
            item.minimum + item.maximum - value if item.reverse else value
            for item, value in zip(inst.items, scored, strict=True)]


def _drop_an_item(inst: Instrument, entered: list, rng: random.Random) -> list:
    """Leave one item blank, where the instrument's missing-item rule allows it."""
    answered = [i for i, value in enumerate(entered) if value is not None]
    if inst.missing.max_missing < 1 or inst.scoring == "goal_mean" or len(answered) < 2:
        return entered
    entered = list(entered)
    entered[rng.choice(answered)] = None
    return entered


def administration(code: str, severity: float, rng: random.Random, *, goals: int = 3
                   ) -> tuple[str, list | None, float, dict, str, bool | None, list, bool]:
    """(entered_as, items, total, subscales, band, caseness, flags, complete) for one
    administration of the instrument at this latent severity."""
    inst = REGISTRY[code]
    severity = clamp(severity, 0.0, 1.0)
    if not inst.items:
        if code == "pirgas":
            rating = int(clamp(round(1 + _badness_to_level(inst, severity) * 99), 1, 100))
            total = rating
        else:  # ASQ:SE-2: totals in steps of 5 (each response scores 0, 5 or 10)
            total = int(round(severity * p.ASQSE2_SCALE / 5) * 5)
        return ("total", None, *_scored(code, "total", total))
    scored = _item_scores(inst, severity, rng, goals)
    entered = _entered(inst, scored)
    if rng.random() < p.SHARE_WITH_A_MISSING_ITEM:
        entered = _drop_an_item(inst, entered, rng)
    if inst.subscales and rng.random() < p.SHARE_HADS_AS_SUBSCALES:
        subscales = tuple((sub.name, sum(scored[n - 1] for n in sub.items))
                          for sub in inst.subscales)
        return ("subscales", None, *_scored(code, "subscales", subscales))
    if (inst.accepts_total and not inst.subscales and None not in entered
            and rng.random() < p.SHARE_ENTERED_AS_TOTAL):
        from_items = score(code, items=entered).total if inst.scoring != "sum" else sum(scored)
        total = round(from_items, 2) if not inst.total_is_integer else int(from_items)
        return ("total", None, *_scored(code, "total", total))
    return ("items", list(entered), *_scored(code, "items", tuple(entered)))
