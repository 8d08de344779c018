from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cradle.directory"
    label = "directory"
    verbose_name = "Register of parent-infant services"
