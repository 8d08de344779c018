"""Declarative outcome instrument registry and its one scoring engine (pure Python, no Django).

    from cradle.outcomes.instruments import score
    score("phq9", items=[1, 2, 1, 0, 3, 1, 0, 2, 1])   # -> Score(total=11, band="moderate", ...)
"""

from .definitions_adult import ADULT
from .definitions_infant import INFANT
from .engine import (
    Score,
    clinically_significant_improvement,
    get_instrument,
    reliable_change,
    score,
)
from .model import Instrument, Item

REGISTRY: dict[str, Instrument] = {inst.code: inst for inst in (*ADULT, *INFANT)}

__all__ = [
    "REGISTRY",
    "Instrument",
    "Item",
    "Score",
    "clinically_significant_improvement",
    "get_instrument",
    "reliable_change",
    "score",
]
