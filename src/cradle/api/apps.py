from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cradle.api"
    label = "api"
    verbose_name = "Open data API"
