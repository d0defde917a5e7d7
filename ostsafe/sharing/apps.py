from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "ostsafe.sharing"
    label = "sharing"
    verbose_name = "Joint working and information sharing"

    def ready(self):
        from ostsafe.core.households import (
            CaseloadFlag,
            HouseholdAlert,
            Tab,
            register_caseload_flag,
            register_household_alert,
            register_tab,
        )

        from .selectors import households_awaiting_discussion, team_discussion_alert

        register_tab(Tab("sharing", "Sharing", "sharing:tab", order=80))
        register_household_alert(HouseholdAlert("team_discussion", 10, team_discussion_alert, "sharing:tab"))
        register_caseload_flag(
            CaseloadFlag("team_discussion", 20, "sharing/_caseload_flag.html", households_awaiting_discussion)
        )
