from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "cradle.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes portal"
