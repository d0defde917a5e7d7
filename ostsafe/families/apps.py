from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "ostsafe.families"
    label = "families"
    verbose_name = "Families and households"
