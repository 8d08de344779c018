from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "cradle.foi"
    label = "foi"
    verbose_name = "Freedom of Information campaigns"
