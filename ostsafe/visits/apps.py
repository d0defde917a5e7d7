from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ostsafe.visits"
    label = "visits"
    verbose_name = "Home visits and storage checks"

    def ready(self):
        from ostsafe.core.households import (
            CaseloadFlag,
            ChronologySource,
            Tab,
            register_caseload_flag,
            register_chronology_source,
            register_tab,
        )
        from ostsafe.prescribing.take_home import register_check

        from . import chronology
        from .selectors import households_needing_home_visit, storage_seen_checks

        register_check(storage_seen_checks, order=20)
        register_tab(Tab("visits", "Visits", "visits:tab", order=30))
        register_caseload_flag(
            CaseloadFlag("home_visit_needed", 10, "visits/_caseload_flag.html", households_needing_home_visit)
        )
        register_chronology_source(ChronologySource("visits", "Home visits and storage checks", chronology.events))
        from ostsafe.tasks.rules import RecordRule, register_record_rule

        for rule in ("visits.home_visit_needed", "visits.next_visit"):
            register_record_rule(RecordRule(rule, "a home visit is recorded", "visits:tab"))
        register_record_rule(
            RecordRule("visits.storage_follow_up", "storage is seen and satisfactory at a check", "visits:tab")
        )
        from ostsafe.core.households import ChecklistStep, register_checklist_step

        from . import selectors as visit_selectors

        register_checklist_step(
            ChecklistStep(
                "home_visit",
                20,
                "Visit the home and see where the medicine is kept",
                "visits:tab",
                visit_selectors.checklist_status,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import HomeVisit, StorageCheck, VisitPolicy

        # The caseload and the family pages keep values worked out from these (core.marks): every write moves the
        # family's number.
        mark_changes(StorageCheck, household="service_user__household")
        mark_changes(HomeVisit, household="household")
        mark_changes(VisitPolicy, household=None)
