from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostsafe.core"
    label = "core"
    verbose_name = "Shared plumbing"

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from .converters import IdConverter
        from .marks import install_after_migrate

        # Before any URLconf is read: every record id in a URL is `<id:...>`.
        register_converter(IdConverter, "id")
        # Every family's change number moves with its records: the triggers, made again after every migrate.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="ostsafe_marks")
