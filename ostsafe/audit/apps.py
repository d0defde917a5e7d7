from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ostsafe.audit"
    label = "audit"
    verbose_name = "Access audit"

    def ready(self):
        from ostsafe.core import auditing
        from ostsafe.core.households import Tab, register_tab
        from ostsafe.core.roles import Action

        from . import services

        # Fails closed: without this, every access check that must be written down raises instead of passing.
        auditing.register_writer(services)
        register_tab(Tab("access", "Access log", "audit:household", order=100, action=Action.VIEW_AUDIT))
