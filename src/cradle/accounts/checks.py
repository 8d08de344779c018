"""`cradle check --deploy`: production cannot run without the second factor's key (the app keys
could be neither stored nor read), and the key is checked without being shown."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def second_factor_key_is_set(app_configs, **kwargs):
    from .second_factor_keys import configured_keys

    try:
        configured_keys()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="cradle.accounts.E001")]
    return []
