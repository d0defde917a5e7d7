from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ostsafe.visits"
    label = "visits"
    verbose_name = "Home visits and storage checks"

    def ready(self):
        from ostsafe.prescribing.take_home import register_check

        from .selectors import storage_seen_check

        register_check(storage_seen_check, order=20)
