"""Shared by the apps' deploy checks: a key production cannot run without."""

from collections.abc import Callable

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def missing_key_errors(load_key: Callable[[], object], *, check_id: str) -> list[checks.Error]:
    """[] when `load_key()` works, else one error with its message (which never shows the key)."""
    try:
        load_key()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id=check_id)]
    return []
