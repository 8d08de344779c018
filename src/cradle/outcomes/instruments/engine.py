"""The one scoring engine, used by forms, imports and analysis alike."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real

from .model import Instrument

_EPS = 1e-9


@dataclass(frozen=True)
class Score:
    """One scored administration. ``total`` is the instrument's score (a sum, a CORE-10 clinical
    score, a KIPS/GBO mean or a single rating). ``complete`` is False when items were missing and
    the score was pro-rated. ``unverified`` names the facts in the instrument's definition that are
    recorded as unverified; ``notes`` explains limits (e.g. flags not computable from a total)."""

    code: str
    total: float | None
    subscales: dict[str, float] = field(default_factory=dict)
    band: str | None = None
    caseness: bool | None = None
    flags: tuple[str, ...] = ()
    complete: bool = True
    subscale_bands: dict[str, str | None] = field(default_factory=dict)
    subscale_caseness: dict[str, bool] = field(default_factory=dict)
    unverified: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _registry() -> dict[str, Instrument]:
    from . import REGISTRY

    return REGISTRY


def get_instrument(code: str) -> Instrument:
    registry = _registry()
    if code not in registry:
        raise ValueError(f"unknown instrument {code!r}; known codes: {', '.join(sorted(registry))}")
    return registry[code]


def _as_number(value, what: str, integer: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{what}: give a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what}: give a number")
    if integer:
        if value != int(value):
            raise ValueError(f"{what}: give a whole number")
        return int(value)
    return value


def _check_range(value: float, lo: float, hi: float, what: str) -> None:
    if value < lo:
        raise ValueError(f"{what}: {value} is below the minimum of {lo}")
    if value > hi:
        raise ValueError(f"{what}: {value} is above the maximum of {hi}")


def _read_items(inst: Instrument, items) -> dict[int, int | None]:
    numbers = [it.number for it in inst.items]
    if not numbers:
        raise ValueError(f"the {inst.short_name} has no item scores: give the total")
    if isinstance(items, Mapping):
        for key in items:
            if isinstance(key, bool) or not isinstance(key, int) or key not in numbers:
                where = f"item {key}: " if isinstance(key, int) else ""
                raise ValueError(f"{where}the {inst.short_name} has items {numbers[0]} to "
                                 f"{numbers[-1]} only")
        raw = {n: items.get(n) for n in numbers}
    elif isinstance(items, Sequence) and not isinstance(items, str | bytes):
        if len(items) != len(numbers):
            raise ValueError(
                f"the {inst.short_name} has {len(numbers)} items and {len(items)} were given: "
                "give a score for every item, leaving out none (an item not answered is "
                "left empty)"
            )
        raw = dict(zip(numbers, items, strict=True))
    else:
        raise ValueError(f"give the {inst.short_name} item scores in order, item 1 first")
    out: dict[int, int | None] = {}
    for n, value in raw.items():
        if value is None:
            out[n] = None
            continue
        it = inst.item(n)
        v = _as_number(value, f"item {n}", integer=True)
        _check_range(v, it.minimum, it.maximum, f"item {n}")
        out[n] = it.minimum + it.maximum - v if it.reverse else v
    return out


def _total_from_items(inst: Instrument, scored: dict[int, int | None]) -> tuple[float, bool]:
    present = [v for v in scored.values() if v is not None]
    missing = [n for n, v in scored.items() if v is None]
    if len(missing) > inst.missing.max_missing:
        names = ", ".join(f"item {n}" for n in missing)
        allowed = inst.missing.max_missing
        raise ValueError(
            f"{names} missing: the {inst.short_name} can be scored only "
            + ("with every item answered" if not allowed else
               f"with at most {allowed} item{'s' if allowed > 1 else ''} missing")
        )
    n_items = len(scored)
    if inst.scoring == "sum":
        total = sum(present)
        if missing:
            total = total * n_items / len(present)
        return total, not missing
    if inst.scoring == "mean_x10":
        total = sum(present) * 10 / len(present)
        return (int(total) if not missing and total == int(total) else total), not missing
    if inst.scoring in ("mean", "goal_mean"):
        return sum(present) / len(present), not missing or inst.scoring == "goal_mean"
    raise ValueError(f"{inst.code}: scoring {inst.scoring!r} does not take items")  # pragma: no cover


def score(code: str, items=None, total=None, *, subscales: Mapping[str, float] | None = None) -> Score:
    """Score one administration. Give exactly one of ``items`` (a sequence, item 1 first, None for
    a missing item; or a mapping {item number: value}), ``total`` (instruments with
    ``accepts_total``), or ``subscales`` (recorded subscale totals, e.g. HADS)."""
    inst = get_instrument(code)
    given = [x is not None for x in (items, total, subscales)]
    if sum(given) != 1:
        raise ValueError(f"give the {inst.short_name} item scores, its total or its subscale "
                         "totals: one of them, not more")
    notes = list(inst.notes)
    sub_values: dict[str, float] = {}
    flags: list[str] = []
    complete = True
    if items is not None:
        scored = _read_items(inst, items)
        value, complete = _total_from_items(inst, scored)
        for sub in inst.subscales:
            vals = [scored[n] for n in sub.items]
            if all(v is not None for v in vals):
                sub_values[sub.name] = sum(vals)
        for flag in inst.flags:
            if scored.get(flag.item) is not None and scored[flag.item] > flag.above:
                flags.append(flag.label)
    elif total is not None:
        if not inst.accepts_total:
            raise ValueError(f"the {inst.short_name} cannot be recorded as a total: give the "
                             "item scores")
        value = _as_number(total, "total", integer=inst.total_is_integer)
        _check_range(value, *inst.total_range, "total")
        if inst.flags:
            notes.append("Item flags cannot be computed from a total: record item scores to check "
                         + "; ".join(f"item {f.item}" for f in inst.flags) + ".")
    else:
        if not inst.subscales:
            raise ValueError(f"the {inst.short_name} has no subscales")
        known = {s.name: s for s in inst.subscales}
        if set(subscales) != set(known):
            raise ValueError(f"give the {inst.short_name} subscale totals: "
                             + " and ".join(known))
        for name, v in subscales.items():
            v = _as_number(v, f"subscale {name}", integer=True)
            _check_range(v, *known[name].score_range, f"subscale {name}")
            sub_values[name] = v
        value = sum(sub_values.values())
        if inst.flags:  # pragma: no cover - no instrument has both today
            notes.append("Item flags cannot be computed from subscale totals.")
    sub_bands = {s.name: s.banding.label_for(sub_values[s.name])
                 for s in inst.subscales if s.banding and s.name in sub_values}
    sub_case = {s.name: s.cutoff.is_case(sub_values[s.name])
                for s in inst.subscales if s.cutoff and s.name in sub_values}
    if inst.cutoff is not None:
        caseness = inst.cutoff.is_case(value)
    elif sub_case and len(sub_case) == sum(1 for s in inst.subscales if s.cutoff):
        caseness = any(sub_case.values())
    else:
        caseness = None
    return Score(
        code=code,
        total=value,
        subscales=sub_values,
        band=inst.banding.label_for(value) if inst.banding else None,
        caseness=caseness,
        flags=tuple(flags),
        complete=complete,
        subscale_bands=sub_bands,
        subscale_caseness=sub_case,
        unverified=inst.unverified_facts(),
        notes=tuple(notes),
    )


def _checked_total(inst: Instrument, value, what: str) -> float:
    v = _as_number(value, what, integer=False)
    _check_range(v, *inst.total_range, what)
    return v


def reliable_change(code: str, before: float, after: float) -> str | None:
    """'improved', 'no reliable change' or 'deteriorated', respecting the instrument's direction;
    None when the instrument has no reliable change threshold (see ``reliable_change_note``).
    Check ``REGISTRY[code].reliable_change.verified`` before publishing a result."""
    inst = get_instrument(code)
    b = _checked_total(inst, before, "before")
    a = _checked_total(inst, after, "after")
    if inst.reliable_change is None:
        return None
    gain = (a - b) if inst.direction == "higher_is_better" else (b - a)
    if gain >= inst.reliable_change.threshold - _EPS:
        return "improved"
    if -gain >= inst.reliable_change.threshold - _EPS:
        return "deteriorated"
    return "no reliable change"


def clinically_significant_improvement(code: str, before: float, after: float) -> bool | None:
    """Caseness before, not caseness after, and reliable improvement (Jacobson & Truax).
    None when the instrument has no total cut-off or no reliable change threshold."""
    inst = get_instrument(code)
    change = reliable_change(code, before, after)
    if change is None or inst.cutoff is None:
        return None
    return (inst.cutoff.is_case(before) and not inst.cutoff.is_case(after)
            and change == "improved")
