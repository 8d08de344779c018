import pytest
from django.apps import apps

from cradle.core.field_classes import (
    FIELD_CLASSES,
    IDENTIFYING,
    PSEUDONYMOUS,
    SAFE,
    field_class,
)


def every_field():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            yield model._meta.label, field.name


def test_every_field_of_every_model_is_classified():
    missing = [f"{label}.{name}" for label, name in every_field()
               if field_class(label, name) is None]
    assert not missing, "classify these fields in cradle/core/field_classes.py: " + ", ".join(
        missing)


def test_classes_are_one_of_three():
    assert {cls for fields in FIELD_CLASSES.values() for cls in fields.values()} <= {
        IDENTIFYING, PSEUDONYMOUS, SAFE}


def test_no_stale_entries():
    real = set(every_field())
    stale = [f"{label}.{name}" for label, fields in FIELD_CLASSES.items() for name in fields
             if (label, name) not in real]
    assert not stale, f"remove or rename: {stale}"


@pytest.mark.parametrize(("label", "name", "expected"), [
    ("accounts.User", "email", IDENTIFYING),
    ("directory.HistoricalService", "history_user", PSEUDONYMOUS),
    ("directory.HistoricalService", "name", SAFE),
    ("audit.AuditEntry", "ip_address", IDENTIFYING),
])
def test_examples(label, name, expected):
    assert field_class(label, name) == expected
