import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data (geography, 2019 register) once; tests roll back."""
    with django_db_blocker.unblock():
        call_command("data", "load", verbosity=0)
