"""The tasks framework's import path: Django's own `django.tasks` on Django 6, the
django-tasks backport (the same API) on Django 5.2 LTS, where the project also runs (ADR 0001).
django-tasks-db builds its database backend on whichever of the two is there, so every task
must be declared with this `task`, never with the other package's."""

try:
    from django.tasks import task
except ImportError:  # Django 5.2 LTS (Python 3.11)
    from django_tasks import task

__all__ = ["task"]
