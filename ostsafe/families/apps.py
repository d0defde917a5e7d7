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
