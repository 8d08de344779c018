"""PostgreSQL: the application role (`cradle db grant-app-role`) can run the application and
append to the audit log, but every way of changing the log is refused: UPDATE, DELETE and
TRUNCATE of entries, ALTER TABLE ... DISABLE TRIGGER, dropping the trigger, deleting or adding
a chain head, rewriting the migrations' record. Each attack is replayed as that role."""

from __future__ import annotations

import io
import os
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from cradle.audit import recorder
from cradle.audit.models import AuditEntry, ChainHead
from cradle.foi.models import Body, BodyKind
from tests.audit_helpers import verify
from tests.database_role import as_owner

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="PostgreSQL only")


def execute(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def application_role():
    """A new role made the application role by the command, and this connection using it;
    made inside the test's transaction, so it goes when the test ends."""
    role = f"cradle_test_app_{uuid.uuid4().hex[:10]}"
    with as_owner():
        execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        out = io.StringIO()
        call_command("db", "grant-app-role", "--role", role, stdout=out)
        assert f"{role} may now run the application" in out.getvalue()
        execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        try:
            yield role
        finally:
            execute("RESET ROLE")


ATTACKS = {
    "update an entry": ("UPDATE audit_auditentry SET note = 'edited' WHERE id = %(id)s",
                        "permission denied"),
    "delete an entry": ("DELETE FROM audit_auditentry WHERE id = %(id)s", "permission denied"),
    "truncate the log": ("TRUNCATE audit_auditentry", "permission denied"),
    "disable the trigger": ("ALTER TABLE audit_auditentry DISABLE TRIGGER "
                            "audit_entry_append_only", "must be owner"),
    "disable every trigger": ("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
                              "must be owner"),
    "drop the trigger": ("DROP TRIGGER audit_entry_append_only ON audit_auditentry",
                         "must be owner"),
    "drop the log": ("DROP TABLE audit_auditentry", "must be owner"),
    "delete the head": ("DELETE FROM audit_chainhead", "permission denied"),
    "truncate the head": ("TRUNCATE audit_chainhead", "permission denied"),
    "insert a head": ("INSERT INTO audit_chainhead (id, sequence, entry_hash, keyed_from, mac) "
                      "VALUES (2, 0, '', 1, '')", "permission denied"),
    "rewrite the migrations": ("DELETE FROM django_migrations WHERE app = 'audit'",
                               "permission denied"),
}


@postgresql_only
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_the_application_role_cannot_change_the_log(application_role, attack):
    entry = recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    statement, refusal = ATTACKS[attack]
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
        execute(statement, {"id": entry.pk})
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == application_role
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
    assert ChainHead.objects.count() == 1
    verify()


@postgresql_only
def test_the_application_role_runs_the_application(application_role):
    """It appends to the log (advancing the head), reads it, and writes other tables."""
    before = AuditEntry.objects.count()
    body = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX1", name="Body RX1",
                               nation="England")
    Body.objects.filter(pk=body.pk).update(name="Body RX1 renamed")
    entries = recorder.record_many("tester", [
        recorder.Event("change", "foi.body", body.pk, ("name",)) for _ in range(3)])
    assert AuditEntry.objects.count() == before + 3
    assert recorder.head() == (entries[-1].sequence, entries[-1].entry_hash)
    Body.objects.filter(pk=body.pk).delete()
    assert "audit log intact" in verify()


@postgresql_only
def test_a_superuser_or_the_owner_is_refused_as_the_application_role():
    with as_owner():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            owner = cursor.fetchone()[0]
        with pytest.raises(CommandError, match="superuser|owner"):
            call_command("db", "grant-app-role", "--role", owner)
        with pytest.raises(CommandError, match="there is no role"):
            call_command("db", "grant-app-role", "--role", "no_such_role_" + uuid.uuid4().hex)


@postgresql_only
def test_the_grants_can_be_printed_for_a_dba():
    out = io.StringIO()
    call_command("db", "grant-app-role", "--role", "cradle app", "--print", stdout=out)
    text = out.getvalue()
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO ' \
           '"cradle app";' in text
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON TABLE "public"."audit_auditentry" FROM ' \
           '"cradle app";' in text
    assert 'REVOKE INSERT, DELETE, TRUNCATE ON TABLE "public"."audit_chainhead"' in text


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="SQLite only")
def test_sqlite_has_no_roles():
    with pytest.raises(CommandError, match="SQLite has none"):
        call_command("db", "grant-app-role", "--role", "cradle_app")


@pytest.mark.skipif("not os.environ.get('CRADLE_TEST_DATABASE_ROLE') "
                    "or connection.vendor != 'postgresql'",
                    reason="only when the suite runs as the application role (CI)")
def test_the_suite_really_runs_as_the_application_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == os.environ["CRADLE_TEST_DATABASE_ROLE"]
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        execute("TRUNCATE audit_auditentry")
