from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ostsafe.monitoring"
    label = "monitoring"
    verbose_name = "Appointments, tests and concerns"

    def ready(self):
        from ostsafe.core.households import (
            ChronologySource,
            SharedSection,
            register_chronology_source,
            register_shared_section,
        )

        from . import chronology
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
        register_chronology_source(
            ChronologySource(
                "appointments", "Appointments (per week)", chronology.appointment_events, scope="dispensing"
            )
        )
        register_chronology_source(ChronologySource("tests", "Tests", chronology.test_events, scope="test_results"))
        register_chronology_source(ChronologySource("concerns", "Concerns", chronology.concern_events))
