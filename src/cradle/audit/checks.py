"""`cradle check --deploy`: production cannot run without the audit chain's key (else the first
audited action would fail, and a chain without a key can be re-hashed by anyone who can write
to the database)."""

from django.core import checks

from cradle.core.checks import missing_key_errors


@checks.register(checks.Tags.security, deploy=True)
def audit_key_is_set(app_configs, **kwargs):
    from .key import audit_key

    return missing_key_errors(audit_key, check_id="cradle.audit.E001")
