"""The audit log's hash chain (pure functions): an intact chain verifies; editing, reordering,
deleting or relinking an entry is found, and the entry at fault is named."""

import hashlib
import hmac
import json

import pytest

from cradle.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical,
    entry_hash,
    head_mac,
    parse_anchor,
    verify,
)


def make_chain(count: int) -> list[dict]:
    entries, previous = [], GENESIS_HASH
    for sequence in range(1, count + 1):
        entry = {
            "id": 100 + sequence, "sequence": sequence,
            "recorded_at": f"2026-11-26T10:00:0{sequence % 10}.000000+00:00",
            "actor_id": "7", "actor": "coordinator@example.org", "action": "change",
            "model_label": "foi.foirequest", "object_id": str(sequence),
            "fields": ["state", "due_on"], "ip_address": "192.0.2.1", "note": "",
            "previous_hash": previous,
        }
        entry["entry_hash"] = entry_hash(entry, previous)
        previous = entry["entry_hash"]
        entries.append(entry)
    return entries


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_canonical_is_sorted_compact_json_of_the_hashed_fields_only():
    (entry,) = make_chain(1)
    text = canonical({**entry, "extra": "ignored"}).decode()
    assert json.loads(text) == {name: entry[name] for name in HASHED_FIELDS}
    assert list(json.loads(text)) == sorted(HASHED_FIELDS)
    assert ", " not in text and ": " not in text
    assert "id" not in json.loads(text) and "entry_hash" not in json.loads(text)
    # Key order in the dict does not matter.
    assert canonical(dict(reversed(list(entry.items())))) == canonical(entry)


def test_canonical_needs_every_field():
    (entry,) = make_chain(1)
    del entry["actor"]
    with pytest.raises(KeyError, match="actor"):
        canonical(entry)


def test_entry_hash_is_sha256_over_the_fields_and_the_previous_hash():
    (entry,) = make_chain(1)
    expected = hashlib.sha256(canonical({**entry, "previous_hash": GENESIS_HASH})).hexdigest()
    assert entry_hash(entry, GENESIS_HASH) == expected == entry["entry_hash"]
    assert entry_hash(entry, "f" * 64) != expected
    assert entry_hash({**entry, "fields": ["state"]}, GENESIS_HASH) != expected


def test_an_intact_chain_verifies():
    assert verify(make_chain(5)) == []
    assert verify([]) == []
    chain = make_chain(5)
    assert verify(chain, head=(5, chain[-1]["entry_hash"])) == []


def test_the_first_entry_links_to_the_genesis_value():
    (first,) = make_chain(1)
    assert first["previous_hash"] == GENESIS_HASH == "0" * 64


def test_an_edited_entry_is_named():
    chain = make_chain(5)
    chain[2]["fields"] = ["state", "due_on", "letter"]
    assert messages(verify(chain)) == [
        "entry 103 (sequence 3): contents edited: its fields no longer match its hash"]


@pytest.mark.parametrize("field", ["actor", "action", "recorded_at", "ip_address", "note",
                                   "object_id", "model_label", "actor_id"])
def test_any_edited_field_is_found(field):
    chain = make_chain(3)
    chain[1][field] = "tampered"
    problems = verify(chain)
    assert [(p.entry_id, p.sequence) for p in problems] == [(102, 2)]
    assert "contents edited" in problems[0].message


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link():
    chain = make_chain(4)
    chain[1]["actor"] = "someone-else@example.org"
    chain[1]["entry_hash"] = entry_hash(chain[1], chain[1]["previous_hash"])
    assert messages(verify(chain)) == [
        "entry 103 (sequence 3): broken link: its previous hash is not the hash of entry 102 "
        "(sequence 2)"]


def test_a_deleted_entry_is_a_gap_in_the_sequence():
    chain = make_chain(5)
    del chain[2]
    problems = verify(chain)
    assert [(p.entry_id, p.sequence) for p in problems] == [(104, 4), (104, 4)]
    assert "gap in sequence numbers: 3 missing" in problems[0].message
    assert "broken link" in problems[1].message


def test_several_deleted_entries_are_one_gap():
    chain = make_chain(6)
    del chain[1:4]
    assert "2 to 4 missing" in verify(chain)[0].message


def test_a_deleted_first_entry_is_found():
    chain = make_chain(3)[1:]
    problems = verify(chain)
    assert {(p.entry_id, p.sequence) for p in problems} == {(102, 2)}
    assert any("1 missing" in p.message for p in problems)
    assert any("genesis" in p.message for p in problems)


def test_deleted_entries_at_the_end_are_found_only_against_the_head():
    chain = make_chain(5)
    head = (5, chain[-1]["entry_hash"])
    assert verify(chain[:3]) == []
    problems = verify(chain[:3], head=head)
    assert [(p.entry_id, p.sequence) for p in problems] == [(103, 3)]
    assert "newest entry should be sequence 5" in problems[0].message
    assert verify([], head=head)[0].sequence == 5


def test_a_reordered_entry_is_named():
    chain = make_chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    problems = verify(chain)
    named = {p.entry_id for p in problems}
    assert {102, 103} <= named
    assert any(p.entry_id == 102 and "out of order" in p.message for p in problems)
    assert any(p.entry_id == 103 and "gap" in p.message for p in problems)
    assert all(p.entry_id in {102, 103, 104} for p in problems)


def test_swapped_sequence_numbers_are_found():
    chain = make_chain(4)
    chain[1]["sequence"], chain[2]["sequence"] = 3, 2
    chain[1], chain[2] = chain[2], chain[1]
    problems = verify(chain)
    assert {102, 103} <= {p.entry_id for p in problems}
    assert all("contents edited" in p.message or "broken link" in p.message for p in problems)


def test_a_changed_previous_hash_is_named():
    chain = make_chain(4)
    chain[2]["previous_hash"] = "a" * 64
    problems = verify(chain)
    assert {(p.entry_id, p.sequence) for p in problems} == {(103, 3)}
    assert any("broken link" in p.message for p in problems)
    # The previous hash is one of the hashed fields, so the entry no longer matches either.
    assert any("contents edited" in p.message for p in problems)


def test_a_changed_hash_is_named_and_breaks_the_next_link():
    chain = make_chain(4)
    chain[1]["entry_hash"] = "b" * 64
    problems = verify(chain)
    assert [(p.entry_id, p.message.split(":")[0]) for p in problems] == [
        (102, "contents edited"), (103, "broken link")]


def test_a_duplicated_entry_is_found():
    chain = make_chain(3)
    chain.insert(2, dict(chain[1]))
    problems = verify(chain)
    assert any(p.sequence == 2 and "out of order" in p.message for p in problems)


def test_a_malformed_entry_is_a_problem_not_a_crash():
    chain = make_chain(2)
    del chain[1]["note"]
    chain[0]["sequence"] = "1"
    problems = verify(chain)
    assert any("not a whole number" in p.message for p in problems)
    assert any(p.entry_id == 102 and "cannot be serialised" in p.message for p in problems)


# Keyed chains, the head's MAC, anchors ------------------------------------------------------

KEY = b"a key of at least thirty-two bytes for the tests"


def make_keyed_chain(count: int, *, keyed_from: int = 1, key: bytes = KEY) -> list[dict]:
    """Like make_chain, but entries from `keyed_from` on hashed with HMAC under `key`."""
    entries = make_chain(count)
    previous = GENESIS_HASH
    for entry in entries:
        entry["previous_hash"] = previous
        entry["entry_hash"] = entry_hash(entry, previous,
                                         key if entry["sequence"] >= keyed_from else None)
        previous = entry["entry_hash"]
    return entries


def rehash_with_sha256(entries: list[dict]) -> None:
    """What someone with write access to the database but not the key can do: edit, then
    recompute every hash with the published rule."""
    previous = GENESIS_HASH
    for entry in entries:
        entry["previous_hash"] = previous
        entry["entry_hash"] = hashlib.sha256(canonical(entry)).hexdigest()
        previous = entry["entry_hash"]


def test_a_keyed_entry_hash_is_hmac_sha256():
    (entry,) = make_keyed_chain(1)
    expected = hmac.new(KEY, canonical({**entry, "previous_hash": GENESIS_HASH}),
                        hashlib.sha256).hexdigest()
    assert entry["entry_hash"] == expected == entry_hash(entry, GENESIS_HASH, KEY)
    assert entry_hash(entry, GENESIS_HASH) != expected
    assert entry_hash(entry, GENESIS_HASH, KEY + b"!") != expected


def test_a_keyed_chain_verifies_with_its_key_only():
    chain = make_keyed_chain(4)
    assert verify(chain, key=KEY) == []
    wrong = verify(chain, key=KEY + b"!")
    assert {p.sequence for p in wrong} == {1, 2, 3, 4}
    assert all("contents edited" in p.message for p in wrong)


def test_an_edited_chain_rehashed_with_plain_sha256_is_found():
    chain = make_keyed_chain(4)
    chain[1]["actor"] = "someone-else@example.org"
    rehash_with_sha256(chain)
    assert verify(chain) == []  # the old, unkeyed rule would call it intact
    problems = verify(chain, key=KEY, keyed_from=1)
    assert {p.sequence for p in problems} == {1, 2, 3, 4}
    assert all("contents edited" in p.message for p in problems)


def test_entries_before_the_key_keep_plain_sha256():
    chain = make_keyed_chain(5, keyed_from=3)
    assert verify(chain, key=KEY, keyed_from=3) == []
    # Claiming they were all keyed, or none, is found.
    assert {p.sequence for p in verify(chain, key=KEY, keyed_from=1)} == {1, 2}
    assert {p.sequence for p in verify(chain, key=KEY, keyed_from=6)} == {3, 4, 5}
    # Not knowing (the head is lost) accepts either rule.
    assert verify(chain, key=KEY, keyed_from=None) == []


def test_the_head_mac_binds_sequence_hash_and_keyed_from():
    mac = head_mac(KEY, sequence=5, entry_hash="a" * 64, keyed_from=3)
    assert len(mac) == 64
    assert mac == head_mac(KEY, sequence=5, entry_hash="a" * 64, keyed_from=3)
    for changed in ({"sequence": 4}, {"entry_hash": "b" * 64}, {"keyed_from": 6}):
        values = {"sequence": 5, "entry_hash": "a" * 64, "keyed_from": 3, **changed}
        assert head_mac(KEY, **values) != mac
    assert head_mac(KEY + b"!", sequence=5, entry_hash="a" * 64, keyed_from=3) != mac


@pytest.mark.parametrize(("text", "parsed"), [
    ("a" * 64, (None, "a" * 64)),
    ("  " + "AB" * 32 + "\n", (None, "ab" * 32)),
    ("57:" + "c" * 64, (57, "c" * 64)),
])
def test_anchors_parse(text, parsed):
    assert parse_anchor(text) == parsed


@pytest.mark.parametrize("text", ["", "abc", "g" * 64, "x:" + "a" * 64, "-1:" + "a" * 64,
                                  "a" * 63, "a" * 65])
def test_bad_anchors_are_refused(text):
    with pytest.raises(ValueError, match="anchor"):
        parse_anchor(text)


def test_an_anchored_entry_still_in_the_chain_verifies():
    chain = make_keyed_chain(5)
    third = chain[2]
    assert verify(chain, key=KEY, anchor=(None, third["entry_hash"])) == []
    assert verify(chain, key=KEY, anchor=(3, third["entry_hash"])) == []
    assert verify([], key=KEY, anchor=(None, GENESIS_HASH)) == []


def test_a_chain_cut_back_before_the_anchor_is_found():
    chain = make_keyed_chain(5)
    anchor = (None, chain[3]["entry_hash"])
    problems = verify(chain[:3], key=KEY, anchor=anchor)
    assert [p.message for p in problems] == [
        f"the anchored entry (hash {anchor[1][:12]}…) is not in the log: the log was cut "
        "back or rewritten since it was anchored"]
    assert verify([], key=KEY, anchor=anchor)


def test_a_chain_rewritten_with_the_key_is_found_against_the_anchor():
    """Even someone holding the key (leaked) cannot rewrite what was anchored."""
    chain = make_keyed_chain(4)
    anchor = (4, chain[3]["entry_hash"])
    chain[1]["note"] = "rewritten"
    previous = GENESIS_HASH
    for entry in chain:
        entry["previous_hash"] = previous
        entry["entry_hash"] = entry_hash(entry, previous, KEY)
        previous = entry["entry_hash"]
    rewritten = chain
    assert verify(rewritten, key=KEY) == []
    problems = verify(rewritten, key=KEY, anchor=anchor)
    assert [(p.sequence, p.message.split(":")[0]) for p in problems] == [
        (4, "rewritten since it was anchored")]
    # Without its sequence, the anchor's hash is simply not found.
    assert "not in the log" in verify(rewritten, key=KEY, anchor=(None, anchor[1]))[0].message


def test_an_anchor_hash_at_another_sequence_is_found():
    chain = make_keyed_chain(3)
    problems = verify(chain, key=KEY, anchor=(1, chain[2]["entry_hash"]))
    assert [(p.sequence, p.message.split(":")[0]) for p in problems] == [
        (1, "rewritten since it was anchored")]
