from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ostsafe.plans"
    label = "plans"
    verbose_name = "Guidance agreements, safety plans and meetings"

    def ready(self):
        from ostsafe.core.households import Tab, register_tab
        from ostsafe.prescribing.take_home import register_check

        from .selectors import guidance_agreement_check

        register_check(guidance_agreement_check, order=40)
        register_tab(Tab("agreement", "Agreement", "plans:agreement", order=50))
        register_tab(Tab("plan", "Plan", "plans:plan", order=60))
