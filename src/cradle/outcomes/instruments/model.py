"""Data model for outcome instruments: every instrument is data, every number carries a source.

Pure Python (no Django). Facts come from ``/work/shared/design/MEASURES-AND-RULES.md`` (cited
below as "MEASURES-AND-RULES §2") unless another source is named. A fact that could not be checked
against a primary source carries ``verified=False`` and says why in ``note``. ``verified=True``
means the fact is sourced in MEASURES-AND-RULES without an UNVERIFIED mark (several of those
sources are themselves secondary); it does not mean the manual itself was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["higher_is_worse", "higher_is_better"]
Scoring = Literal["sum", "mean_x10", "mean", "single_rating", "goal_mean", "total_only"]

#: Missing-item rule used wherever no source gives one (the conservative choice).
NO_MISSING_SOURCE = (
    "No missing-item rule found in the sources (MEASURES-AND-RULES §2): platform rule, the "
    "conservative choice of allowing no missing items."
)


@dataclass(frozen=True)
class Item:
    """One item. Values are entered as described by ``Instrument.item_entry``.

    ``reverse``: the engine scores the entered value as ``minimum + maximum - value``.
    ``label`` is the item's wording, set only where the licence lets Cradle ship it
    (``Licence.may_ship_item_wording``) and the exact text was checked; otherwise ``None`` and
    forms show "Item n". No paraphrases: CORE-10's licence forbids changing the text.
    """

    number: int
    minimum: int
    maximum: int
    reverse: bool = False
    subscale: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Banding:
    """Severity bands. A score belongs to the band with the greatest ``low`` not above it, so a
    score between one band's printed ``high`` and the next ``low`` (e.g. a KIPS mean of 2.95, or a
    pro-rated CORE-10 score of 10.5) falls in the lower band."""

    bands: tuple[Band, ...]
    source: str
    verified: bool = True
    note: str = ""

    def label_for(self, value: float) -> str | None:
        found = None
        for band in self.bands:
            if value >= band.low:
                found = band.label
        if value > self.bands[-1].high:
            return None
        return found


@dataclass(frozen=True)
class Cutoff:
    """Caseness rule: ``at_or_above`` (score >= threshold is a case) or ``below``."""

    threshold: float
    rule: Literal["at_or_above", "below"]
    label: str
    source: str
    verified: bool = True
    note: str = ""

    def is_case(self, value: float) -> bool:
        if self.rule == "at_or_above":
            return value >= self.threshold
        return value < self.threshold


@dataclass(frozen=True)
class ReliableChange:
    """Smallest change (inclusive, in score points) that counts as reliable."""

    threshold: float
    source: str
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class MissingRule:
    """At most ``max_missing`` items may be missing. With ``prorate`` the total is scaled up from
    the answered items (sum x n_items / n_answered); ``mean``-type scorings use the mean of the
    answered items. ``platform_rule`` marks a rule that is our choice, not the instrument's."""

    max_missing: int = 0
    prorate: bool = False
    source: str = NO_MISSING_SOURCE
    platform_rule: bool = True


@dataclass(frozen=True)
class Flag:
    """Raised when the *scored* value of ``item`` is above ``above``."""

    item: int
    above: int
    label: str
    source: str


@dataclass(frozen=True)
class Schedule:
    """When an instrument is due in an episode of work: a baseline at the start (due from the
    day the episode starts, late after ``baseline_within_days``), a review every
    ``review_every_days`` after the last baseline or review while the episode is open (None: no
    review), and one at discharge when the episode ends (``at_discharge``). ``source`` says
    where each number comes from; ``cradle_default`` marks numbers that are Cradle's choice
    (no source gives them), which a team's practice may change."""

    baseline_within_days: int
    review_every_days: int | None
    at_discharge: bool
    source: str
    cradle_default: bool = True


#: Cradle's default schedule, used where no source gives one: a baseline within four weeks of
#: the start, a review every twelve weeks (about a school term: the usual review point of a
#: parent-infant episode, which runs for months), and a discharge measure.
DEFAULT_SCHEDULE = Schedule(
    baseline_within_days=28, review_every_days=84, at_discharge=True,
    source="Cradle default: no source in MEASURES-AND-RULES gives a schedule for this "
    "instrument; baseline within 28 days of the start, review every 84 days, and at discharge.")


@dataclass(frozen=True)
class Subscale:
    name: str
    items: tuple[int, ...]
    score_range: tuple[int, int]
    banding: Banding | None = None
    cutoff: Cutoff | None = None
    source: str = ""


@dataclass(frozen=True)
class Licence:
    text: str
    may_ship_item_wording: bool
    source: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    items: tuple[Item, ...]
    items_source: str
    item_entry: str
    total_range: tuple[float, float]
    total_range_source: str
    direction: Direction
    scoring: Scoring
    licence: Licence
    total_is_integer: bool = True
    accepts_total: bool = False
    subscales: tuple[Subscale, ...] = ()
    cutoff: Cutoff | None = None
    banding: Banding | None = None
    reliable_change: ReliableChange | None = None
    reliable_change_note: str = ""
    missing: MissingRule = field(default_factory=MissingRule)
    flags: tuple[Flag, ...] = ()
    notes: tuple[str, ...] = ()
    schedule: Schedule = DEFAULT_SCHEDULE
    #: The question the items answer, and each response's wording (values minimum..maximum),
    #: both only where the licence lets the wording be shipped.
    item_stem: str = ""
    response_labels: tuple[str, ...] = ()
    #: What a form shows for the responses when their wording is not shipped: the value as
    #: printed ("score") or the position of the response ticked ("position", e.g. EPDS).
    neutral_responses: Literal["score", "position"] = "score"

    @property
    def shows_wording(self) -> bool:
        return self.licence.may_ship_item_wording

    def item_text(self, number: int) -> str:
        """The item's wording where the licence allows it, else a neutral "Item n"."""
        label = self.item(number).label
        return label if self.shows_wording and label else f"Item {number}"

    def response_options(self, number: int) -> list[tuple[int, str]]:
        """(value entered, what a form shows) for each response to the item."""
        item = self.item(number)
        values = range(item.minimum, item.maximum + 1)
        if self.shows_wording and len(self.response_labels) == len(values):
            return [(value, f"{label} ({value})")
                    for value, label in zip(values, self.response_labels, strict=True)]
        if self.neutral_responses == "position":
            last = len(values) - 1
            return [(value, f"Response {i + 1}" + (" (top)" if i == 0 else
                                                    " (bottom)" if i == last else ""))
                    for i, value in enumerate(values)]
        return [(value, str(value)) for value in values]

    @property
    def short_name(self) -> str:
        """The name users know: "PHQ-9" from "Patient Health Questionnaire-9 (PHQ-9)"."""
        if self.name.endswith(")") and "(" in self.name:
            return self.name[self.name.rindex("(") + 1:-1]
        return self.name

    def item(self, number: int) -> Item:
        for it in self.items:
            if it.number == number:
                return it
        raise KeyError(number)

    def unverified_facts(self) -> tuple[str, ...]:
        """Names of the facts in this definition that are recorded as unverified."""
        out = []
        parts = [("bands", self.banding), ("clinical cut-off", self.cutoff),
                 ("reliable change", self.reliable_change)]
        for sub in self.subscales:
            parts += [(f"{sub.name} bands", sub.banding), (f"{sub.name} cut-off", sub.cutoff)]
        for name, part in parts:
            if part is not None and not part.verified:
                out.append(name)
        return tuple(out)
