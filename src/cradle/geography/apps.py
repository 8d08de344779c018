from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "cradle.geography"
    label = "geography"
    verbose_name = "Geography"
