from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostsafe.core"
    label = "core"
    verbose_name = "Shared plumbing"
