from django.apps import AppConfig


class ManagementConfig(AppConfig):
    name = "ostsafe.management"
    label = "management"
    verbose_name = "Managing practice"
