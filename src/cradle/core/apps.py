from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cradle.core"
    label = "core"
    verbose_name = "Cradle core"

    def ready(self):
        from . import cache_checks  # noqa: F401 (registers the deploy check)
        from .versions import connect_signals

        # Every committed write of a model behind a public page moves the public data version.
        connect_signals()
