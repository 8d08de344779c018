from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "cradle.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Each domain's tasks module registers its kinds of job (kinds.register); importing
        # them here means the web process knows every kind before it shows or retries a job.
        from . import kinds

        kinds.load_task_modules()
