"""`cradle check --deploy`: production cannot run without the NHS-number pseudonym key (else the
first NHS number entered would fail), and the key is checked without being shown."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def pseudonym_key_is_set(app_configs, **kwargs):
    from .validation import pseudonym_key

    try:
        pseudonym_key()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="cradle.outcomes.E001")]
    return []
