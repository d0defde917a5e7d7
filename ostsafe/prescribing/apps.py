from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "ostsafe.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"
