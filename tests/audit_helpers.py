"""Shared by the audit tests: playing an attacker who can write to the database."""

from __future__ import annotations

import contextlib
import io

from django.core.management import call_command
from django.db import connection

from tests.database_role import as_owner


@contextlib.contextmanager
def tampering_allowed():
    """On PostgreSQL a trigger refuses UPDATE and DELETE of entries; the tables' owner (or a
    superuser) who turns it off can still tamper, which is what verify must then find. DDL
    rolls back with the test."""
    with as_owner():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        yield


def verify(*arguments: str) -> str:
    """`cradle audit verify` (with `arguments`); its output if the log is intact."""
    out = io.StringIO()
    call_command("audit", "verify", *arguments, stdout=out)
    return out.getvalue()
