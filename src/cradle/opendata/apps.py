from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "cradle.opendata"
    label = "opendata"
    verbose_name = "Open data: dated bulk downloads"

    def ready(self):
        from cradle.core import versions

        # /downloads/ lists the snapshots: a new one must show at once (written once a day
        # at most, so it never empties the public pages' cache often).
        versions.register_app("opendata")
