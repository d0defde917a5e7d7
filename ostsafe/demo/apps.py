from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ostsafe.demo"
    label = "demo"
    verbose_name = "Synthetic demonstration service"
