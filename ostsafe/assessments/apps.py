from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ostsafe.assessments"
    label = "assessments"
    verbose_name = "Whole-family risk assessment"

    def ready(self):
        from ostsafe.core.changes import register_change_listener
        from ostsafe.core.households import (
            CaseloadColumn,
            CaseloadFilter,
            CaseloadSortKey,
            ChronologySource,
            SharedSection,
            SummaryItem,
            Tab,
            register_caseload_column,
            register_caseload_filter,
            register_caseload_sort_key,
            register_chronology_source,
            register_shared_section,
            register_summary_item,
            register_tab,
        )
        from ostsafe.prescribing.take_home import register_check

        from . import chronology, selectors, services
        from .models import RiskLevel
        from .selectors import current_assessment_checks, latest_completed, latest_completed_for_sharing

        register_check(current_assessment_checks, order=10)
        register_tab(Tab("assessment", "Assessment", "assessments:tab", order=20))
        register_shared_section(
            SharedSection(
                "risk_assessment",
                "The whole-family risk assessment",
                30,
                "assessments/_shared.html",
                latest_completed_for_sharing,
            )
        )
        register_chronology_source(
            ChronologySource("assessment", "Assessments", chronology.events, scope="risk_assessment")
        )
        register_caseload_column(
            CaseloadColumn("risk", "Risk", 1, "assessments/_caseload_risk.html", selectors.caseload_levels)
        )
        register_caseload_sort_key(CaseloadSortKey("attention_risk", 20, selectors.risk_rank, descending=True))
        register_summary_item(
            SummaryItem(
                "risk",
                "Risk",
                10,
                "assessments/_summary_risk.html",
                lambda household, as_of: latest_completed(household),
            )
        )
        register_caseload_filter(
            CaseloadFilter(
                "risk",
                "Risk",
                lambda: [*reversed(RiskLevel.choices), ("not_assessed", "Not assessed")],
                selectors.with_risk,
            )
        )
        register_change_listener(services.require_assessment_after_change)
        from ostsafe.tasks.rules import RecordRule, register_record_rule

        register_record_rule(RecordRule("assessments.needed", "an assessment is completed", "assessments:tab"))
        register_record_rule(
            RecordRule("assessments.pre_birth", "the pre-birth assessment request is recorded", "assessments:tab")
        )
        from ostsafe.core.households import ChecklistStep, register_checklist_step

        register_checklist_step(
            ChecklistStep("assessment", 10, "Assess the whole family", "assessments:tab", selectors.checklist_status)
        )
        from ostsafe.core.marks import mark_changes

        from .models import Assessment

        # The caseload keeps values worked out from these (core.marks): every write moves the family's number.
        mark_changes(Assessment, household="household")
