from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "ostsafe.prescribing"
    label = "prescribing"
    verbose_name = "Prescribing"

    def ready(self):
        from ostsafe.core import households

        from . import chronology, selectors
        from .models import Regime

        households.register_chronology_source(
            households.ChronologySource("prescribing", "Take-home decisions", chronology.events)
        )

        households.register_service_user_panel(
            households.ServiceUserPanel(
                "prescriptions", 10, "prescribing/_prescriptions_panel.html", selectors.prescriptions_by_service_user
            )
        )
        households.register_summary_item(
            households.SummaryItem(
                "take_home", "Take-home doses", 30, "prescribing/_summary_take_home.html", selectors.take_home_summary
            )
        )
        households.register_caseload_column(
            households.CaseloadColumn(
                "regime",
                "Regime",
                30,
                "prescribing/_caseload_regime.html",
                selectors.caseload_regime,
            )
        )
        households.register_caseload_filter(
            households.CaseloadFilter("regime", "Regime", lambda: Regime.choices, selectors.with_current_regime)
        )
        households.register_caseload_filter(
            households.CaseloadFilter(
                "take_home",
                "Take-home checks",
                lambda: [("unmet", "Not met today")],
                selectors.with_take_home_checks_unmet,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import Prescription, PrescriptionChange

        # The caseload and the family pages keep values worked out from these (core.marks): every write moves the
        # family's number.
        mark_changes(Prescription, household="service_user__household")
        mark_changes(PrescriptionChange, household="prescription__service_user__household")
