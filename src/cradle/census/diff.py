"""A census answer against the register, field by field, and what a review decides (no Django).

`changes(register, answer)` lists each field whose answer differs from the register. An answer
of "not known" (None, or blank text) proposes nothing: a respondent who does not know a phone
number has not said there is none. Staffing is different: a blank WTE means nobody of that
profession works in the team, so it proposes removing the register's figure.

`conflicts` flags a change that another source (a newer public claim, an earlier census) does
not agree with, so the coordinator sees it before accepting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import FIELDS, FIELDS_BY_KEY, REGISTER_STATUSES, WTE, Field, in_words

ACCEPT, EDIT, REJECT = "accept", "edit", "reject"
DECISIONS = (ACCEPT, EDIT, REJECT)


class DecisionError(ValueError):
    """A review decision that cannot be applied; the message names the field."""


@dataclass(frozen=True)
class OtherSource:
    """What another source says of one field: "A public source (nhs.uk, 2025-11) says …"."""

    field: str
    value: object
    source: str
    on_text: str


@dataclass(frozen=True)
class Change:
    field: Field
    before: object
    after: object
    conflicts: tuple[OtherSource, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def form_key(self) -> str:
        """The field's name in a form (dots are awkward in HTML ids)."""
        return self.key.replace(".", "__")

    @property
    def before_words(self) -> str:
        return in_words(self.field, self.before)

    @property
    def after_words(self) -> str:
        return in_words(self.field, self.after)

    @property
    def needs_edit(self) -> bool:
        """An answer the register cannot hold as given (a status it does not know)."""
        return self.key == "status" and self.after not in REGISTER_STATUSES


def _proposes(field: Field, value) -> bool:
    if field.kind == WTE:
        return True
    return value is not None and value != ""


def changes(register: dict, answer: dict) -> list[Change]:
    """Every field the answer changes, in the census's order."""
    found = []
    for item in FIELDS:
        if item.key not in answer:
            continue
        after, before = answer[item.key], register.get(item.key)
        if _proposes(item, after) and after != before:
            found.append(Change(item, before, after))
    return found


def conflicts(found: list[Change], others: list[OtherSource]) -> list[Change]:
    """The same changes, each with the other sources that say something else of its field."""
    by_field: dict[str, list[OtherSource]] = {}
    for other in others:
        by_field.setdefault(other.field, []).append(other)
    return [Change(change.field, change.before, change.after,
                   tuple(o for o in by_field.get(change.key, []) if o.value != change.after))
            for change in found]


def decided_values(found: list[Change], decisions: dict[str, tuple[str, object]]) -> dict:
    """The values to write: {field: value} for each change accepted or edited.

    `decisions` maps a field key to (decision, edited value); every change needs one, and an
    edited value must itself be something the register can hold. Raises DecisionError naming
    the field otherwise, so nothing is written from a half-made review."""
    values = {}
    for change in found:
        if change.key not in decisions:
            raise DecisionError(f"{change.field.label}: accept, edit or reject this change")
        decision, edited = decisions[change.key]
        if decision not in DECISIONS:
            raise DecisionError(f"{change.field.label}: {decision!r} is not a decision")
        if decision == REJECT:
            continue
        value = change.after if decision == ACCEPT else edited
        if decision == EDIT and not change.field.editable:
            raise DecisionError(f"{change.field.label}: this change can only be accepted or "
                                "rejected")
        if change.key == "status" and value not in REGISTER_STATUSES:
            raise DecisionError(f"{change.field.label}: the register records planned, "
                                "operating, paused or closed; edit the answer to one of them "
                                "or reject it")
        values[change.key] = value
    unknown = set(decisions) - {change.key for change in found}
    if unknown:
        raise DecisionError(f"{', '.join(sorted(unknown))}: no such change in this answer")
    return values


def field_label(key: str) -> str:
    return FIELDS_BY_KEY[key].label
