from django.apps import AppConfig


class ManagementConfig(AppConfig):
    name = "ostsafe.management"
    label = "management"
    verbose_name = "Managing practice"

    def ready(self):
        from ostsafe.core.households import ChronologySource, Tab, register_chronology_source, register_tab

        from . import chronology

        register_tab(Tab("supervision", "Supervision", "management:supervision", order=95))
        register_chronology_source(ChronologySource("supervision", "Case supervision", chronology.supervision_events))
