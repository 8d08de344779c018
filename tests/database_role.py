"""Running the tests as the PostgreSQL application role (CI does: CRADLE_TEST_DATABASE_ROLE).

pytest-django creates the test database and migrates it as the user of DATABASE_URL, which
plays the migration role (it owns the tables). Then every connection does `SET ROLE` to the
application role, so the suite runs with that role's rights only: it is not the owner, so it
cannot alter, truncate, or change entries of the audit log. Only what the migration role does
in production is done as the owner here: migrations, the grants, and flushing the database
after a transactional test (`as_owner`), and the tests that play an attacker with the owner's
rights.
"""

from __future__ import annotations

import contextlib
import os

from django.core.management import call_command
from django.db import connection
from django.db.backends.signals import connection_created
from psycopg import sql

ENVIRONMENT_VARIABLE = "CRADLE_TEST_DATABASE_ROLE"


def application_role() -> str:
    """The role the tests run as, or "" (then as the user of DATABASE_URL, and on SQLite)."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "") if connection.vendor == "postgresql" else ""


def _set_role(sender=None, connection=connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(application_role())))


def become_application_role() -> None:
    """Grant the application role its rights (as the owner), then make every connection, this
    one and those opened later (threads), use it."""
    role = application_role()
    call_command("db", "grant-app-role", "--role", role, "--create", verbosity=0)
    connection_created.connect(_set_role, dispatch_uid="tests.database_role")
    _set_role(connection=connection)


def stop_using_application_role() -> None:
    """Back to the owner for good (the test database is dropped by its owner)."""
    connection_created.disconnect(dispatch_uid="tests.database_role")
    if application_role():
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@contextlib.contextmanager
def as_owner():
    """Act as the tables' owner for a moment (a no-op unless running as the application role)."""
    role = application_role()
    if not role:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        _set_role(connection=connection)
