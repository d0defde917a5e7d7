from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "ostsafe.sharing"
    label = "sharing"
    verbose_name = "Joint working and information sharing"

    def ready(self):
        from ostsafe.core.households import (
            CaseloadFlag,
            ChronologySource,
            HouseholdAlert,
            Tab,
            register_caseload_flag,
            register_chronology_source,
            register_household_alert,
            register_tab,
        )

        from . import chronology
        from .selectors import households_awaiting_discussion, team_discussion_alert

        register_tab(Tab("sharing", "Sharing", "sharing:tab", order=80))
        register_tab(Tab("chronology", "Chronology", "sharing:chronology", order=90))
        register_household_alert(HouseholdAlert("team_discussion", 10, team_discussion_alert, "sharing:tab"))
        register_caseload_flag(
            CaseloadFlag("team_discussion", 20, "sharing/_caseload_flag.html", households_awaiting_discussion)
        )
        register_chronology_source(ChronologySource("consent", "Consent to share", chronology.consent_events))
        register_chronology_source(
            ChronologySource("letters", "Letters to and reports from partners", chronology.letter_events)
        )
        register_chronology_source(
            ChronologySource(
                "referrals", "Referrals, sharing without consent, break-glass", chronology.safeguarding_events
            )
        )
        from ostsafe.core.households import ChecklistStep, register_checklist_step

        from . import selectors as sharing_selectors

        register_checklist_step(
            ChecklistStep(
                "consent",
                50,
                "Ask about sharing with the health visitor or school nurse",
                "sharing:tab",
                sharing_selectors.checklist_status,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import Consent, Notification, TeamDiscussion

        # The caseload, the family pages and the dashboard keep values worked out from these (core.marks): every write
        # moves the family's number.
        mark_changes(Consent, household="household")
        mark_changes(TeamDiscussion, household="household")
        mark_changes(Notification, household="household")
