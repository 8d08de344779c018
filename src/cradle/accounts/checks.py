"""`cradle check --deploy`: production cannot run without the second factor's key (the app keys
could be neither stored nor read), and the key is checked without being shown."""

from django.core import checks

from cradle.core.checks import missing_key_errors


@checks.register(checks.Tags.security, deploy=True)
def second_factor_key_is_set(app_configs, **kwargs):
    from .second_factor_keys import configured_keys

    return missing_key_errors(configured_keys, check_id="cradle.accounts.E001")
