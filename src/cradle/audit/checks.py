"""`cradle check --deploy`: production cannot run without the audit chain's key (else the first
audited action would fail, and a chain without a key can be re-hashed by anyone who can write
to the database)."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def audit_key_is_set(app_configs, **kwargs):
    from .key import audit_key

    try:
        audit_key()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="cradle.audit.E001")]
    return []
