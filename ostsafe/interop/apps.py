from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "ostsafe.interop"
    label = "interop"
    verbose_name = "Exports to other systems"
