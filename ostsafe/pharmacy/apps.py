from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "ostsafe.pharmacy"
    label = "pharmacy"
    verbose_name = "Dispensing practice"

    def ready(self):
        from ostsafe.core.households import (
            ChronologySource,
            SharedSection,
            Tab,
            register_chronology_source,
            register_shared_section,
            register_tab,
        )

        from . import chronology
        from .selectors import dispensing_for_sharing

        register_tab(Tab("pharmacy", "Pharmacy and appointments", "pharmacy:tab", order=70))
        register_shared_section(
            SharedSection(
                "dispensing",
                "Dispensing and attendance (last 28 days)",
                50,
                "pharmacy/_shared.html",
                dispensing_for_sharing,
            )
        )
        register_chronology_source(
            ChronologySource(
                "pharmacy",
                "Missed doses and pharmacists' concerns",
                lambda household, since, until: (
                    chronology.missed_dose_events(household, since, until)
                    + chronology.concern_events(household, since, until)
                ),
                scope="dispensing",
            )
        )
