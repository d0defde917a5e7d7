from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "ostsafe.families"
    label = "families"
    verbose_name = "Families and households"

    def ready(self):
        from ostsafe.core.households import Tab, register_tab

        register_tab(Tab("overview", "Family and network", "families:household", order=10))
