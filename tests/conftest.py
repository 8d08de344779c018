import pytest

from cradle.geography.actions import load_reference_geography


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference geography once; each test's changes roll back."""
    with django_db_blocker.unblock():
        load_reference_geography()
