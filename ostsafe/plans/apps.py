from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ostsafe.plans"
    label = "plans"
    verbose_name = "Guidance agreements, safety plans and meetings"

    def ready(self):
        from ostsafe.core.changes import register_change_listener
        from ostsafe.core.households import (
            ChronologySource,
            SharedSection,
            Tab,
            register_chronology_source,
            register_shared_section,
            register_tab,
        )
        from ostsafe.prescribing.take_home import register_check

        from . import chronology, services
        from .selectors import agreements_for_sharing, guidance_agreement_checks, plan_for_sharing

        register_check(guidance_agreement_checks, order=40)
        register_tab(Tab("agreement", "Agreement", "plans:agreement", order=50))
        register_tab(Tab("plan", "Plan", "plans:plan", order=60))
        register_shared_section(
            SharedSection(
                "agreement", "The guidance agreement", 10, "plans/_shared_agreement.html", agreements_for_sharing
            )
        )
        register_shared_section(
            SharedSection("safety_plan", "The safety plan", 20, "plans/_shared_plan.html", plan_for_sharing)
        )
        register_chronology_source(
            ChronologySource("agreement", "Guidance agreements", chronology.agreement_events, scope="agreement")
        )
        register_chronology_source(
            ChronologySource("plan", "Safety plan, reviews and meetings", chronology.plan_events, scope="safety_plan")
        )
        register_change_listener(services.review_sooner_after_change)
        from ostsafe.tasks.rules import RecordRule, register_record_rule

        register_record_rule(RecordRule("plans.review_due", "the safety plan is reviewed", "plans:plan"))
        from ostsafe.core.households import ChecklistStep, register_checklist_step

        from . import selectors as plan_selectors

        register_checklist_step(
            ChecklistStep(
                "agreement",
                40,
                "Agree and sign the guidance agreement",
                "plans:agreement",
                plan_selectors.agreement_checklist_status,
            )
        )
        register_checklist_step(
            ChecklistStep(
                "safety_plan",
                60,
                "Write the safety plan, with dates",
                "plans:plan",
                plan_selectors.plan_checklist_status,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import ActionChange, GuidanceAgreement, PlanAction, PlanPolicy, SafetyPlan

        # The caseload and the family pages keep values worked out from these (core.marks): every write moves the
        # family's number.
        mark_changes(GuidanceAgreement, household="household")
        mark_changes(SafetyPlan, household="household")
        mark_changes(PlanAction, household="plan__household")
        mark_changes(ActionChange, household="action__plan__household")
        mark_changes(PlanPolicy, household=None)
