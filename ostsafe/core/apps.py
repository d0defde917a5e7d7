from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostsafe.core"
    label = "core"
    verbose_name = "Shared plumbing"

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter

        # Before any URLconf is read: every record id in a URL is `<id:...>`.
        register_converter(IdConverter, "id")
