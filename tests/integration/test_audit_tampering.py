"""Attacks on the audit log by someone who can write to the database (the tables' owner, or a
superuser, with the append-only trigger turned off), each replayed against `cradle audit
verify`: the newest entries deleted together with the head, the log emptied, an entry edited
and the whole chain re-hashed with plain SHA-256, the head moved back, and an older head put
back (found only against an anchor kept elsewhere). Also: the key is required, and a chain
written before the key keeps verifying."""

from __future__ import annotations

import hashlib
import importlib
import io
import types

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from cradle.audit import chain, recorder
from cradle.audit.key import audit_key
from cradle.audit.models import AuditEntry, ChainHead, entry_dict
from tests.audit_helpers import tampering_allowed, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def log() -> list[AuditEntry]:
    """Five entries on top of whatever the reference data load wrote."""
    return [recorder.record(actor="tester", action="change", model_label="foi.body",
                            object_id=n, fields=["name"]) for n in range(5)]


def anchor() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "anchor", stdout=out, stderr=err)
    assert "Keep this hash outside the database" in err.getvalue()
    return out.getvalue().strip()


def cut_back(after: int) -> None:
    """Delete every entry after sequence `after`."""
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence > %s", [after])


def set_head(**values) -> None:
    with tampering_allowed():
        ChainHead.objects.filter(pk=1).update(**values)


def delete_head() -> None:
    with tampering_allowed():
        ChainHead.objects.all().delete()


def verify_fails(*arguments: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*arguments)
    return str(failure.value)


def rehash_everything_with_sha256() -> tuple[int, str]:
    """Recompute every entry's hash with the published, unkeyed rule; return the new head."""
    previous = chain.GENESIS_HASH
    rows = AuditEntry.objects.in_order().values()
    with tampering_allowed(), connection.cursor() as cursor:
        for row in rows:
            entry = entry_dict(row)
            new_hash = chain.entry_hash(entry, previous)
            cursor.execute("UPDATE audit_auditentry SET previous_hash = %s, entry_hash = %s "
                           "WHERE id = %s", [previous, new_hash, row["id"]])
            previous, sequence = new_hash, row["sequence"]
    return sequence, previous


# The head ---------------------------------------------------------------------------------

def test_deleting_the_newest_entries_and_the_head_is_found(log):
    """Before: the head row was optional, so this reported "intact"."""
    cut_back(log[1].sequence)
    delete_head()
    message = verify_fails()
    assert "the chain's head is missing" in message


def test_deleting_the_newest_entries_and_moving_the_head_back_is_found(log):
    """Without the key the head cannot be re-sealed to match the cut-down log."""
    kept = log[1]
    cut_back(kept.sequence)
    set_head(sequence=kept.sequence, entry_hash=kept.entry_hash)
    assert "the chain's head fails its MAC" in verify_fails()


def test_emptying_the_log_is_found(log):
    cut_back(0)
    message = verify_fails()
    assert f"every entry is missing: the newest should be sequence {log[-1].sequence}" in message


def test_emptying_the_log_and_deleting_the_head_is_found(log):
    cut_back(0)
    delete_head()
    assert "the chain's head is missing" in verify_fails()


def test_emptying_the_log_and_resetting_the_head_is_found(log):
    cut_back(0)
    set_head(sequence=0, entry_hash=chain.GENESIS_HASH)
    assert "the chain's head fails its MAC" in verify_fails()


def test_nothing_is_appended_to_a_head_that_fails_its_mac(log):
    """Appending would seal the moved-back head with a fresh, valid MAC."""
    kept = log[1]
    cut_back(kept.sequence)
    set_head(sequence=kept.sequence, entry_hash=kept.entry_hash)
    with pytest.raises(recorder.ChainHeadInvalid, match="fails its check"), \
            transaction.atomic():
        recorder.record(actor=None, action="view", model_label="foi.body", object_id=9)
    assert AuditEntry.objects.filter(sequence__gt=kept.sequence).count() == 0
    assert "fails its MAC" in verify_fails()


def test_a_flushed_empty_log_gets_a_fresh_head_but_a_log_with_entries_does_not(log):
    delete_head()
    assert recorder.start_chain() is False
    assert not ChainHead.objects.exists()
    cut_back(0)
    with tampering_allowed():
        assert recorder.start_chain() is True
    verify()


# Re-hashing ---------------------------------------------------------------------------------

def test_an_entry_edited_and_the_chain_rehashed_with_sha256_is_found(log):
    target = log[2]
    with tampering_allowed():
        AuditEntry.objects.filter(pk=target.pk).update(actor="someone-else@example.org")
    sequence, new_hash = rehash_everything_with_sha256()
    set_head(sequence=sequence, entry_hash=new_hash)
    message = verify_fails()
    assert f"entry {target.pk} (sequence {target.sequence}): contents edited" in message
    assert "the chain's head fails its MAC" in message


def test_rehashed_entries_cannot_be_passed_off_as_written_before_the_key(log):
    sequence, new_hash = rehash_everything_with_sha256()
    set_head(sequence=sequence, entry_hash=new_hash, keyed_from=sequence + 1)
    assert "the chain's head fails its MAC" in verify_fails()


# The anchor -------------------------------------------------------------------------------

def test_anchor_prints_the_newest_hash_and_verify_checks_it(log):
    printed = anchor()
    assert printed == log[-1].entry_hash == recorder.head()[1]
    recorder.record(actor=None, action="view", model_label="foi.body", object_id=7)
    output = verify("--anchor", printed)
    assert f"the anchored entry {printed} is in the chain, unchanged" in output
    verify("--anchor", f"{log[-1].sequence}:{printed}")


def test_an_older_head_put_back_is_found_only_against_the_anchor(log):
    """A copy of an earlier head row is correctly sealed: only an anchor kept outside the
    database shows that the entries since were deleted."""
    old = ChainHead.objects.values("sequence", "entry_hash", "keyed_from", "mac").get(pk=1)
    later = [recorder.record(actor="tester", action="change", model_label="foi.body",
                             object_id=n, fields=["name"]) for n in range(3)]
    printed = anchor()
    cut_back(old["sequence"])
    set_head(**old)
    verify()  # nothing inside the database can tell
    message = verify_fails("--anchor", printed)
    assert f"the anchored entry (hash {later[-1].entry_hash[:12]}…) is not in the log" in message


def test_an_anchored_entry_rewritten_with_a_leaked_key_is_found(log):
    """Someone who has the key too can re-hash the entry and re-seal the head; the anchor
    still shows it."""
    printed = anchor()
    target = log[-1]
    key = audit_key()
    edited = {**target.as_chain_dict(), "note": "rewritten"}
    new_hash = chain.entry_hash(edited, target.previous_hash, key)
    with tampering_allowed():
        AuditEntry.objects.filter(pk=target.pk).update(note="rewritten", entry_hash=new_hash)
    head = ChainHead.objects.get()
    set_head(entry_hash=new_hash, mac=chain.head_mac(
        key, sequence=head.sequence, entry_hash=new_hash, keyed_from=head.keyed_from))
    verify()  # re-sealed with the key: nothing inside the database can tell
    message = verify_fails("--anchor", f"{target.sequence}:{printed}")
    assert f"entry {target.pk} (sequence {target.sequence}): rewritten since it was anchored" \
        in message


@pytest.mark.parametrize("text", ["", "nonsense", "z" * 64, "x:" + "a" * 64])
def test_a_malformed_anchor_is_an_error_not_a_crash(text):
    with pytest.raises(CommandError, match="--anchor: "):
        verify("--anchor", text)


def test_a_damaged_log_is_not_anchored(log):
    cut_back(log[2].sequence)
    with pytest.raises(CommandError, match="nothing anchored"):
        anchor()


# The key ------------------------------------------------------------------------------------

def test_without_the_key_nothing_is_written_and_the_deploy_check_fails(monkeypatch):
    monkeypatch.delenv("CRADLE_AUDIT_KEY")
    before = AuditEntry.objects.count()
    with pytest.raises(ImproperlyConfigured, match="CRADLE_AUDIT_KEY is not set"):
        recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    assert AuditEntry.objects.count() == before
    errors = [e for e in run_checks(include_deployment_checks=True)
              if e.id == "cradle.audit.E001"]
    assert len(errors) == 1 and "CRADLE_AUDIT_KEY" in errors[0].msg
    monkeypatch.setenv("CRADLE_AUDIT_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="too short"):
        recorder.verify_log()


def test_the_log_does_not_verify_under_another_key(log, monkeypatch):
    monkeypatch.setenv("CRADLE_AUDIT_KEY", "another key that is long enough to be accepted!")
    message = verify_fails()
    assert "the chain's head fails its MAC" in message
    assert f"entry {log[-1].pk} (sequence {log[-1].sequence}): contents edited" in message


def test_a_chain_written_before_the_key_keeps_verifying_after_the_migration():
    """Migration 0002 keys the chain from the next entry on; the old entries are checked with
    the old rule, and a new entry with the key."""
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        ChainHead.objects.all().delete()
        previous, legacy = chain.GENESIS_HASH, []
        for sequence in (1, 2, 3):
            entry = AuditEntry(sequence=sequence, recorded_at=timezone.now(), actor="system",
                               action="load", model_label="geography.area", object_id="",
                               previous_hash=previous)
            entry.entry_hash = chain.entry_hash(entry.as_chain_dict(), previous)
            previous = entry.entry_hash
            legacy.append(entry)
        AuditEntry.objects.bulk_create(legacy)
        ChainHead.objects.bulk_create([ChainHead(pk=1, sequence=3, entry_hash=previous)])
        migration = importlib.import_module("cradle.audit.migrations.0002_keyed_chain")
        from django.apps import apps
        migration.key_the_chain(apps, types.SimpleNamespace(connection=connection))
    assert ChainHead.objects.get().keyed_from == 4
    verify()
    new = recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    assert new.entry_hash != hashlib.sha256(chain.canonical(new.as_chain_dict())).hexdigest()
    assert "audit log intact: 4 entries" in verify()
