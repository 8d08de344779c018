from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "cradle.planning"
    label = "planning"
    verbose_name = "Planning: team sizing, costs and the 2030 trajectory"
