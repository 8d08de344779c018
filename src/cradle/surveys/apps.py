from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cradle.surveys"
    label = "surveys"
    verbose_name = "Surveys of professionals"

    def ready(self):
        from cradle.core import versions

        # The published results read these; a guard or a free-text answer is on no public page.
        versions.register_model("surveys.Survey")
        versions.register_model("surveys.SurveyResponse")
