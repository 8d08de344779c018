from django.apps import AppConfig


class OrukConfig(AppConfig):
    name = "cradle.oruk"
    label = "oruk"
    verbose_name = "Open Referral UK feed of the register"
