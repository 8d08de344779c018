from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cradle.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
