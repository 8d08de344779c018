from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cradle.core"
    label = "core"
    verbose_name = "Cradle core"
