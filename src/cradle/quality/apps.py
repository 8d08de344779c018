from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "cradle.quality"
    label = "quality"
    verbose_name = "Quality standards and self-review"
