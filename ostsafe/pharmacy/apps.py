from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "ostsafe.pharmacy"
    label = "pharmacy"
    verbose_name = "Dispensing practice"

    def ready(self):
        from ostsafe.core.households import Tab, register_tab

        register_tab(Tab("pharmacy", "Pharmacy and appointments", "pharmacy:tab", order=70))
