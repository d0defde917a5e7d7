from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ostsafe.accounts"
    label = "accounts"
    verbose_name = "People, organisations and teams"
