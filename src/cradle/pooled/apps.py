from django.apps import AppConfig


class PooledConfig(AppConfig):
    name = "cradle.pooled"
    verbose_name = "Pooled analysis"
