"""The audit log's hash chain: pure functions, no Django.

Every entry stores the hash of the entry before it (`previous_hash`) and its own hash
(`entry_hash`): SHA-256 over the canonical serialisation of its own fields, previous hash
included. The first entry links to `GENESIS_HASH`. Sequence numbers run 1, 2, 3... without
gaps, so a deleted entry shows as a gap; an edited entry no longer matches its hash; an entry
moved, or whose link was changed, no longer follows the hash of the entry before it.

What the chain cannot show on its own: the newest entries deleted together (nothing after them
to break), or the whole chain rewritten from some point on. Three things close those holes:

- the head (sequence and hash of the newest entry), kept apart from the entries: `verify`
  takes it and finds entries missing from the end, or every entry gone;
- a key: entries from `keyed_from` on are hashed with HMAC-SHA-256 under a secret key kept
  outside the database, so someone who can write to the database but lacks the key cannot
  re-hash an edited chain; and the head carries its own MAC (`head_mac`), so it cannot be
  moved back to match a cut-down log, nor `keyed_from` moved on to pass re-hashed entries off
  as unkeyed ones. Entries before `keyed_from` (written before the key existed) keep plain
  SHA-256;
- an anchor: a head hash copied somewhere else (`cradle audit anchor`), which `verify` checks
  is still in the chain. It is the only defence against a copy of an older, correctly keyed
  head being put back after the entries since were deleted, and against a leaked key.
"""

from __future__ import annotations

import hashlib
import hmac
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


#: What `json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False,
#: allow_nan=False)` builds on every call, built once: a bulk import hashes 70,000 entries.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)


def canonical(entry: Mapping) -> bytes:
    """The bytes an entry's hash is taken over: its hashed fields as sorted-key, compact,
    UTF-8 JSON. Values must already be JSON values (the timestamp as an ISO 8601 string)."""
    missing = [name for name in HASHED_FIELDS if name not in entry]
    if missing:
        raise KeyError(f"entry lacks {', '.join(missing)}")
    own = {name: entry[name] for name in HASHED_FIELDS}
    return _CANONICAL.encode(own).encode("utf-8")


def entry_hash(entry: Mapping, previous_hash: str, key: bytes | None = None) -> str:
    """The entry's hash (hex), linked to `previous_hash`: HMAC-SHA-256 under `key`, or plain
    SHA-256 without one (entries written before the chain was keyed)."""
    message = canonical({**entry, "previous_hash": previous_hash})
    if key is None:
        return hashlib.sha256(message).hexdigest()
    # hmac.digest is the one-shot C path of hmac.new(key, message, sha256): the same bytes.
    return hmac.digest(key, message, "sha256").hex()


def head_mac(key: bytes, *, sequence: int, entry_hash: str, keyed_from: int) -> str:
    """The head's own MAC: it binds the newest sequence and hash to the point from which the
    entries are keyed, so none of the three can be changed without the key."""
    message = json.dumps({"sequence": sequence, "entry_hash": entry_hash,
                          "keyed_from": keyed_from}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, b"cradle audit head\0" + message.encode(), hashlib.sha256).hexdigest()


def parse_anchor(text: str) -> tuple[int | None, str]:
    """An anchor as given to `verify --anchor`: the hash as `cradle audit anchor` prints it,
    optionally preceded by its sequence (`57:ab12...`). ValueError if it is neither."""
    sequence_text, _, hash_text = text.strip().rpartition(":")
    hash_text = hash_text.lower()
    if len(hash_text) != 64 or any(c not in "0123456789abcdef" for c in hash_text):
        raise ValueError("an anchor is the 64-character hex hash printed by `cradle audit "
                         "anchor` (optionally as SEQUENCE:HASH)")
    if not sequence_text:
        return None, hash_text
    if not sequence_text.isdigit():
        raise ValueError(f"the anchor's sequence {sequence_text!r} is not a whole number")
    return int(sequence_text), hash_text


@dataclass(frozen=True)
class Problem:
    entry_id: object  # the database id of the entry at fault (its sequence when it has none)
    sequence: object
    message: str

    def __str__(self) -> str:
        return f"entry {self.entry_id} (sequence {self.sequence}): {self.message}"


def verify(entries: Iterable[Mapping], *, head: tuple[int, str] | None = None,
           key: bytes | None = None, keyed_from: int | None = 1,
           anchor: tuple[int | None, str] | None = None) -> list[Problem]:
    """Every problem in `entries`, given in sequence order; an empty list if the chain is
    intact. `head`, when given, is the (sequence, hash) the newest entry must have.

    With a `key`, entries from sequence `keyed_from` on must carry its HMAC and those before
    it plain SHA-256 (`keyed_from=None`: not known, as when the head is lost; either is
    accepted). `anchor` is a (sequence or None, hash) that must still be in the chain."""
    problems: list[Problem] = []
    anchor_found = anchor is None or anchor[1] == GENESIS_HASH
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
            expected = _expected_hashes(entry, key, keyed_from)
        except (KeyError, TypeError, ValueError) as error:
            problem(f"cannot be serialised: {error}")
        else:
            if entry.get("entry_hash") not in expected:
                problem("contents edited: its fields no longer match its hash")
        if anchor is not None and not anchor_found:
            anchor_found = _matches_anchor(entry, anchor, problem)
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
    if not anchor_found:
        sequence, anchor_hash = anchor
        problems.append(Problem("-", "-" if sequence is None else sequence,
                                f"the anchored entry (hash {anchor_hash[:12]}…) is not in the "
                                "log: the log was cut back or rewritten since it was anchored"))
    return problems


def _expected_hashes(entry: Mapping, key: bytes | None, keyed_from: int | None) -> set[str]:
    previous_hash = entry.get("previous_hash", "")
    if key is None:
        return {entry_hash(entry, previous_hash)}
    sequence = entry.get("sequence")
    if keyed_from is None:
        return {entry_hash(entry, previous_hash), entry_hash(entry, previous_hash, key)}
    if isinstance(sequence, int) and sequence < keyed_from:
        return {entry_hash(entry, previous_hash)}
    return {entry_hash(entry, previous_hash, key)}


def _matches_anchor(entry: Mapping, anchor: tuple[int | None, str], problem) -> bool:
    """True once the anchored entry is found; a problem if the anchored sequence has another
    hash (the entry there was rewritten)."""
    sequence, anchor_hash = anchor
    if entry.get("entry_hash") == anchor_hash:
        if sequence is not None and entry.get("sequence") != sequence:
            problem(f"it has the anchored hash but the anchor says sequence {sequence}")
        return True
    if sequence is not None and entry.get("sequence") == sequence:
        problem(f"rewritten since it was anchored: its hash is not {anchor_hash[:12]}…")
        return True
    return False
