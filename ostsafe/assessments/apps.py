from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ostsafe.assessments"
    label = "assessments"
    verbose_name = "Whole-family risk assessment"

    def ready(self):
        from ostsafe.core.households import Tab, register_tab
        from ostsafe.prescribing.take_home import register_check

        from .selectors import current_assessment_check

        register_check(current_assessment_check, order=10)
        register_tab(Tab("assessment", "Assessment", "assessments:tab", order=20))
