"""The audit log's hash chain: pure functions, no Django.

Every entry stores the hash of the entry before it (`previous_hash`) and its own hash
(`entry_hash`): SHA-256 over the canonical serialisation of its own fields, previous hash
included. The first entry links to `GENESIS_HASH`. Sequence numbers run 1, 2, 3... without
gaps, so a deleted entry shows as a gap; an edited entry no longer matches its hash; an entry
moved, or whose link was changed, no longer follows the hash of the entry before it.

What the chain cannot show on its own: the newest entries deleted together (nothing after them
to break), or the whole chain rewritten from some point on. `verify` takes the expected head
(sequence and hash of the newest entry, kept apart from the entries) to catch the first;
keeping a copy of the head hash somewhere else (`cradle audit verify` prints it) catches both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS_HASH = "0" * 64

# The fields an entry's hash covers, in no particular order (the serialisation sorts keys).
# `id` (the database's own key) and `entry_hash` itself are not covered.
HASHED_FIELDS = (
    "sequence",
    "recorded_at",
    "actor_id",
    "actor",
    "action",
    "model_label",
    "object_id",
    "fields",
    "ip_address",
    "note",
    "previous_hash",
)


def canonical(entry: Mapping) -> bytes:
    """The bytes an entry's hash is taken over: its hashed fields as sorted-key, compact,
    UTF-8 JSON. Values must already be JSON values (the timestamp as an ISO 8601 string)."""
    missing = [name for name in HASHED_FIELDS if name not in entry]
    if missing:
        raise KeyError(f"entry lacks {', '.join(missing)}")
    own = {name: entry[name] for name in HASHED_FIELDS}
    return json.dumps(own, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def entry_hash(entry: Mapping, previous_hash: str) -> str:
    """SHA-256 (hex) of the entry's own fields, linked to `previous_hash`."""
    return hashlib.sha256(canonical({**entry, "previous_hash": previous_hash})).hexdigest()


@dataclass(frozen=True)
class Problem:
    entry_id: object  # the database id of the entry at fault (its sequence when it has none)
    sequence: object
    message: str

    def __str__(self) -> str:
        return f"entry {self.entry_id} (sequence {self.sequence}): {self.message}"


def verify(entries: Iterable[Mapping], *, head: tuple[int, str] | None = None) -> list[Problem]:
    """Every problem in `entries`, given in sequence order; an empty list if the chain is
    intact. `head`, when given, is the (sequence, hash) the newest entry must have."""
    problems: list[Problem] = []
    highest = 0  # the highest sequence number seen so far
    previous_hash = GENESIS_HASH
    previous_name = "the genesis value"
    last = None
    for entry in entries:
        sequence = entry.get("sequence")
        entry_id = entry.get("id", sequence)

        def problem(message: str, entry_id=entry_id, sequence=sequence) -> None:
            problems.append(Problem(entry_id, sequence, message))

        if not isinstance(sequence, int) or isinstance(sequence, bool):
            problem(f"sequence {sequence!r} is not a whole number")
        elif sequence > highest + 1:
            missing = (str(highest + 1) if sequence == highest + 2
                       else f"{highest + 1} to {sequence - 1}")
            problem(f"gap in sequence numbers: {missing} missing before it (deleted?)")
        elif sequence <= highest:
            problem(f"out of order: sequence {sequence} comes after {highest}")
        if entry.get("previous_hash") != previous_hash:
            problem(f"broken link: its previous hash is not the hash of {previous_name}")
        try:
            recomputed = entry_hash(entry, entry.get("previous_hash", ""))
        except (KeyError, TypeError, ValueError) as error:
            problem(f"cannot be serialised: {error}")
        else:
            if recomputed != entry.get("entry_hash"):
                problem("contents edited: its fields no longer match its hash")
        if isinstance(sequence, int) and not isinstance(sequence, bool):
            highest = max(highest, sequence)
        previous_hash = entry.get("entry_hash")
        previous_name = f"entry {entry_id} (sequence {sequence})"
        last = entry
    if head is not None:
        head_sequence, head_hash = head
        if last is None:
            if head_sequence:
                problems.append(Problem("-", head_sequence, "every entry is missing: the "
                                        f"newest should be sequence {head_sequence}"))
        elif last.get("sequence") != head_sequence or last.get("entry_hash") != head_hash:
            problems.append(Problem(
                last.get("id", last.get("sequence")), last.get("sequence"),
                f"the newest entry should be sequence {head_sequence} with hash "
                f"{head_hash[:12]}…: entries at the end were deleted or rewritten"))
    return problems
