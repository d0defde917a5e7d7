from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ostsafe.monitoring"
    label = "monitoring"
    verbose_name = "Appointments, tests and concerns"
