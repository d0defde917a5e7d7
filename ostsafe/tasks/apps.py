from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "ostsafe.tasks"
    label = "tasks"
    verbose_name = "Tasks"

    def ready(self):
        from ostsafe.core import households

        from . import selectors

        households.register_summary_item(
            households.SummaryItem("overdue", "Overdue", 40, "tasks/_summary_overdue.html", selectors.overdue_summary)
        )
        households.register_caseload_column(
            households.CaseloadColumn("due", "Next due", 5, "tasks/_caseload_due.html", selectors.caseload_due)
        )
        # What needs attention first: overdue work, then (assessments) the risk, then what is due soonest.
        households.register_caseload_sort_key(
            households.CaseloadSortKey("attention_overdue", 10, selectors.has_overdue_task, descending=True)
        )
        households.register_caseload_sort_key(
            households.CaseloadSortKey("attention_next_due", 30, selectors.next_task_due_on)
        )
        households.register_caseload_filter(
            households.CaseloadFilter(
                "due",
                "Work due",
                lambda: [("overdue", "Overdue"), ("week", "Due within a week")],
                selectors.with_work_due,
            )
        )
        from ostsafe.core.marks import mark_changes

        from .models import Task

        # The caseload keeps values worked out from these (core.marks): every write moves the family's number.
        mark_changes(Task, household="household")
