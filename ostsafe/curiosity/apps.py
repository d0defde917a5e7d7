from django.apps import AppConfig


class CuriosityConfig(AppConfig):
    name = "ostsafe.curiosity"
    label = "curiosity"
    verbose_name = "Professional curiosity: warning signs"

    def ready(self):
        from ostsafe.core.changes import register_change_listener
        from ostsafe.core.households import (
            CaseloadFilter,
            CaseloadFlag,
            ChronologySource,
            Tab,
            register_caseload_filter,
            register_caseload_flag,
            register_chronology_source,
            register_tab,
        )

        from . import chronology, selectors, services

        register_tab(Tab("warning_signs", "Warning signs", "curiosity:tab", order=15))
        register_caseload_flag(
            CaseloadFlag("warning_signs", 5, "curiosity/_caseload_flag.html", selectors.households_with_open_flags)
        )
        register_caseload_filter(
            CaseloadFilter("signs", "Warning signs", lambda: [("raised", "Raised")], selectors.with_open_flags)
        )
        register_change_listener(services.evaluate_after_change)
        register_chronology_source(ChronologySource("warning_signs", "Warning signs", chronology.flag_events))
        from ostsafe.tasks.rules import RecordRule, register_record_rule

        register_record_rule(
            RecordRule("curiosity.flag", "the warning sign is acknowledged with what was done", "curiosity:tab")
        )
        from ostsafe.core.marks import mark_changes

        from .models import Flag, WarningSignPolicy

        # The caseload and the dashboard keep values worked out from these (core.marks): every write moves the
        # family's number (a policy: every family's).
        mark_changes(Flag, household="household")
        mark_changes(WarningSignPolicy, household=None)
