from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "ostsafe.families"
    label = "families"
    verbose_name = "Families and households"

    def ready(self):
        from ostsafe.core.households import SummaryItem, Tab, register_summary_item, register_tab

        from . import selectors

        register_tab(Tab("overview", "Family and network", "families:household", order=10))
        register_summary_item(
            SummaryItem("children", "Children", 20, "families/_summary_children.html", selectors.children_summary)
        )
        from ostsafe.core.marks import mark_changes

        from .models import ChildContact, Household, HouseholdMember, Involvement, ServiceUser

        # The caseload keeps values worked out from these (core.marks): every write moves the family's number.
        mark_changes(Household, household="")
        mark_changes(ServiceUser, household="household")
        mark_changes(HouseholdMember, household="household")
        mark_changes(ChildContact, household="service_user__household")
        mark_changes(Involvement, household="household")
