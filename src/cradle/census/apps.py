from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "cradle.census"
    label = "census"
    verbose_name = "Census of services"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the census's kinds of background job)
