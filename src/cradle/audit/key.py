"""The audit chain's key (CRADLE_AUDIT_KEY): read from the environment where it is used, never
stored in the database it protects, and never shown."""

import os

from django.core.exceptions import ImproperlyConfigured

ENVIRONMENT_VARIABLE = "CRADLE_AUDIT_KEY"
MIN_KEY_BYTES = 32


def audit_key() -> bytes:
    """The key, as bytes. ImproperlyConfigured (naming the variable, not the value) if it is
    unset or shorter than MIN_KEY_BYTES."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{ENVIRONMENT_VARIABLE} is not set: the audit log cannot be written or checked "
            "without its key. Set it to a random secret kept outside the database, e.g. "
            "python -c \"import secrets; print(secrets.token_urlsafe(48))\", and never change it "
            "(docs/security.md).")
    key = value.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"{ENVIRONMENT_VARIABLE} is too short: it needs at least {MIN_KEY_BYTES} bytes.")
    return key
