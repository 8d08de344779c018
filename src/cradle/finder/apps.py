from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "cradle.finder"
    verbose_name = "Find help near you"
