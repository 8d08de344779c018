from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "cradle.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes portal"

    def ready(self):
        from . import checks  # noqa: F401 (registers the deploy check)
