from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "ostsafe.storage"
    label = "storage"
    verbose_name = "Safe storage: safety boxes, must-share messages, leaflet"

    def ready(self):
        from ostsafe.core.households import ChronologySource, Tab, register_chronology_source, register_tab
        from ostsafe.prescribing.take_home import register_check

        from . import chronology
        from .selectors import safety_box_checks

        register_check(safety_box_checks, order=30)
        register_tab(Tab("storage", "Storage", "storage:tab", order=40))
        register_chronology_source(ChronologySource("storage", "Safety boxes and safe storage", chronology.events))
        from ostsafe.core.households import ChecklistStep, register_checklist_step

        from . import selectors as storage_selectors

        register_checklist_step(
            ChecklistStep(
                "box_and_leaflet",
                30,
                "Issue a safety box and give the leaflet",
                "storage:tab",
                storage_selectors.checklist_status,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import LeafletGiven, SafetyBoxIssue

        # The caseload and the family pages keep values worked out from these (core.marks): every write moves the
        # family's number.
        mark_changes(SafetyBoxIssue, household="service_user__household")
        mark_changes(LeafletGiven, household="service_user__household")
