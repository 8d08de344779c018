from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cradle.surveys"
    label = "surveys"
    verbose_name = "Surveys of professionals"
