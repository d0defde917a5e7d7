from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ostsafe.audit"
    label = "audit"
    verbose_name = "Access audit"
