from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "ostsafe.pharmacy"
    label = "pharmacy"
    verbose_name = "Dispensing practice"
