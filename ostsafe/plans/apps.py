from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ostsafe.plans"
    label = "plans"
    verbose_name = "Guidance agreements, safety plans and meetings"

    def ready(self):
        from ostsafe.prescribing.take_home import register_check

        from .selectors import guidance_agreement_check

        register_check(guidance_agreement_check, order=40)
