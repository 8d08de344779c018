"""Entries appended in bulk (`recorder.append_many`, the bulk import's path): the same stored
values and hashes as the ORM writing model instances would store, and as entries recorded one
by one; verified by `cradle audit verify` like any other; tampering with one is found; and a
failure leaves nothing, head included."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError
from django.db import connection, transaction
from django.utils import timezone

from cradle.audit import chain, recorder
from cradle.audit.key import audit_key
from cradle.audit.models import CHAIN_VALUES, AuditEntry, ChainHead
from tests.audit_helpers import tampering_allowed, verify

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 11, 3, 9, 15, 42, 123456, tzinfo=datetime.UTC)
# More entries than one INSERT takes (recorder.INSERT_BATCH), with the field lists, notes and
# object ids varying, a non-ASCII note among them.
EVENTS = [recorder.Event("create" if n % 3 else "change", "outcomes.referral", n,
                         ("referred_on", "decision")[: 1 + n % 2],
                         "" if n % 7 else f"note {n}, café")
          for n in range(recorder.INSERT_BATCH + 123)]


@pytest.fixture
def frozen(monkeypatch):
    """Every entry recorded at AT, so entries written by different routes can be compared."""
    monkeypatch.setattr(recorder.timezone, "now", lambda: AT)


def stored_after(sequence: int) -> list[dict]:
    """The stored values of the entries after `sequence`, as verify reads them, without ids."""
    return [{name: row[name] for name in CHAIN_VALUES if name != "id"}
            for row in AuditEntry.objects.filter(sequence__gt=sequence).in_order()
            .values(*CHAIN_VALUES)]


def written_by(write) -> tuple[list[dict], tuple]:
    """What `write()` stores, and the head it leaves, then rolled back (so that each route
    starts from the same head)."""
    start = recorder.head()[0]
    with transaction.atomic():
        write()
        rows, head = stored_after(start), recorder.head()
        transaction.set_rollback(True)
    assert recorder.head()[0] == start
    return rows, head


def orm_reference(actor, events) -> None:
    """The recorder as it was before append_many: model instances, their chain hashes taken
    from `as_chain_dict`, written by bulk_create (kept here as the reference)."""
    key = audit_key()
    actor_id, actor_text = recorder.resolve_actor(actor)
    head = ChainHead.objects.get(pk=recorder.HEAD_PK)
    sequence, previous = head.sequence, head.entry_hash
    entries = []
    for event in events:
        sequence += 1
        entry = AuditEntry(sequence=sequence, recorded_at=timezone.now(), previous_hash=previous,
                           actor_id=actor_id, actor=actor_text, action=event.action,
                           model_label=event.model_label, object_id=str(event.object_id),
                           fields=list(event.fields), ip_address="", note=event.note)
        entry.entry_hash = chain.entry_hash(entry.as_chain_dict(), previous, key)
        previous = entry.entry_hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    ChainHead.objects.filter(pk=recorder.HEAD_PK).update(
        sequence=sequence, entry_hash=previous,
        mac=chain.head_mac(key, sequence=sequence, entry_hash=previous,
                           keyed_from=head.keyed_from))


def test_a_chain_built_in_bulk_is_the_chain_built_entry_by_entry(frozen):
    bulk, bulk_head = written_by(lambda: recorder.append_many("importer", EVENTS))
    one_by_one, one_head = written_by(lambda: [
        recorder.record(actor="importer", action=e.action, model_label=e.model_label,
                        object_id=e.object_id, fields=e.fields, note=e.note) for e in EVENTS])
    reference, reference_head = written_by(lambda: orm_reference("importer", EVENTS))
    assert len(bulk) == len(EVENTS)
    assert bulk == one_by_one == reference  # every stored value, hashes and links included
    assert bulk_head == one_head == reference_head == (bulk[-1]["sequence"],
                                                       bulk[-1]["entry_hash"])
    assert {tuple(row["fields"]) for row in bulk} == {("referred_on",),
                                                      ("referred_on", "decision")}


def test_append_many_says_what_it_wrote_and_the_log_verifies():
    before = recorder.head()[0]
    written = recorder.append_many("importer", EVENTS)
    assert (written.first, written.last, written.count) == (before + 1, before + len(EVENTS),
                                                            len(EVENTS))
    assert recorder.head() == (written.last, written.head_hash)
    assert AuditEntry.objects.filter(sequence__gt=before).count() == len(EVENTS)
    assert "audit log intact" in verify()
    # record_many returns the entries as stored, in order, ids and all.
    entries = recorder.record_many("importer", EVENTS[:3])
    assert [e.sequence for e in entries] == [written.last + n for n in (1, 2, 3)]
    assert all(e.pk for e in entries) and entries[-1].entry_hash == recorder.head()[1]
    assert recorder.append_many("importer", []) == (0, 0, "")
    assert recorder.append_many("importer", []).count == 0


@pytest.mark.parametrize("column, value", [("note", "edited afterwards"),
                                           ("fields", '["decision"]'),
                                           ("object_id", "99999")])
def test_a_bulk_written_entry_tampered_with_is_found(column, value):
    written = recorder.append_many("importer", EVENTS)
    victim = written.first + 321
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditentry SET {column} = %s WHERE sequence = %s",
                       [value, victim])
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"(sequence {victim}): contents edited" in str(failure.value)


def test_a_bulk_written_entry_deleted_is_found():
    written = recorder.append_many("importer", EVENTS)
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence = %s", [written.first + 7])
    with pytest.raises(CommandError, match=f"gap in sequence numbers: {written.first + 7} "):
        verify()


def test_a_failure_after_appending_leaves_neither_entries_nor_a_moved_head():
    head = recorder.head()
    with pytest.raises(RuntimeError), transaction.atomic():
        recorder.append_many("importer", EVENTS)
        raise RuntimeError("the import failed after its audit entries")
    assert recorder.head() == head
    assert not AuditEntry.objects.filter(sequence__gt=head[0]).exists()


@pytest.mark.parametrize("bad", [
    recorder.Event("create", "outcomes.referral", 1, ("not a name",)),
    recorder.Event("create", "outcomes.referral", 1, (["unhashable"],)),
    recorder.Event("invented", "outcomes.referral", 1),
    recorder.Event("create", "referral", 1),
])
def test_one_bad_event_among_many_writes_nothing(bad):
    head = recorder.head()
    with pytest.raises(ValueError):
        recorder.append_many("importer", [*EVENTS[:10], bad, *EVENTS[10:20]])
    assert recorder.head() == head
    assert not AuditEntry.objects.filter(sequence__gt=head[0]).exists()


def test_nothing_is_appended_in_bulk_to_a_head_that_fails_its_mac():
    with tampering_allowed():
        ChainHead.objects.filter(pk=1).update(mac="0" * 64)
    with pytest.raises(recorder.ChainHeadInvalid), transaction.atomic():
        recorder.append_many("importer", EVENTS)
    assert not AuditEntry.objects.filter(note="note 7, café").exists()
