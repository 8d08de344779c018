import pytest
from django.core.management import call_command
from django.test import TransactionTestCase

from tests import database_role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data (geography, 2019 register) once; tests roll back.
    With CRADLE_TEST_DATABASE_ROLE (CI on PostgreSQL) everything from here on, the load
    included, runs as that application role (tests/database_role.py)."""
    with django_db_blocker.unblock():
        if database_role.application_role():
            database_role.become_application_role()
        call_command("data", "load", verbosity=0)
    yield
    with django_db_blocker.unblock():
        database_role.stop_using_application_role()


@pytest.fixture(scope="session", autouse=True)
def _flush_as_owner():
    """A transactional test's teardown truncates every table: the owner's job, as in
    production, since the application role may not truncate the audit log."""
    teardown = TransactionTestCase._fixture_teardown

    def flush_as_owner(self):
        with database_role.as_owner():
            teardown(self)

    TransactionTestCase._fixture_teardown = flush_as_owner
    yield
    TransactionTestCase._fixture_teardown = teardown
