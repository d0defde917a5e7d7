from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ostsafe.monitoring"
    label = "monitoring"
    verbose_name = "Appointments, tests and concerns"

    def ready(self):
        from ostsafe.core.households import SharedSection, register_shared_section

        from .selectors import tests_for_sharing

        register_shared_section(
            SharedSection(
                "test_results",
                "Drug and alcohol tests (last 90 days)",
                40,
                "monitoring/_shared.html",
                tests_for_sharing,
            )
        )
