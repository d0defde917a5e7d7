from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView

from . import selectors, services
from .forms import CompleteTaskForm
from .models import Task
from .rules import record_rule_for


class MyTasksView(ActionRequiredMixin, TemplateView):
    """My tasks, overdue first."""

    required_action = Action.VIEW_HOUSEHOLD
    audit_action = AuditAction.TASKS_VIEW
    template_name = "tasks/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = selectors.task_rows(selectors.my_open_tasks(self.request.user))
        as_of = today()
        closed = list(selectors.closed_without_record(self.request.user, as_of - timedelta(days=30))[:100])
        # One event for the page, naming every family either list shows.
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[t.household_id for t in [*tasks, *closed]],
        )
        context.update(
            closed_without_record=closed,
            overdue=[t for t in tasks if t.due_on < as_of],
            upcoming=[t for t in tasks if t.due_on >= as_of],
            today=as_of,
            nav_active="tasks",
        )
        return context


TEAM_TASKS_PAGE = 50


class TeamTasksView(ActionRequiredMixin, TemplateView):
    """The team's open tasks (a manager: the service's), overdue first, with who has each, 50 a page; and on the
    first page the tasks whose work was a record that someone closed by hand instead, with why."""

    required_action = Action.VIEW_HOUSEHOLD
    audit_action = AuditAction.TASKS_TEAM
    template_name = "tasks/team_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = today()
        open_tasks = selectors.team_open_tasks(self.request.user)
        # Counted by due date, which the open-tasks indexes hold with the family: the count reads the index only (a
        # service's 16,000 open tasks in 5 ms rather than 9 by reading every task's row for its id).
        totals = open_tasks.aggregate(open=Count("due_on"), overdue=Count("due_on", filter=Q(due_on__lt=as_of)))
        paginator = Paginator(open_tasks, TEAM_TASKS_PAGE)
        paginator.count = totals["open"]  # counted already, with the overdue: not counted twice
        page = paginator.get_page(self.request.GET.get("page"))
        tasks = selectors.task_rows(page.object_list)
        closed = []
        if page.number == 1:
            closed = list(selectors.closed_without_record(self.request.user, as_of - timedelta(days=30))[:100])
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[t.household_id for t in [*tasks, *closed]],
        )
        context.update(
            closed_without_record=closed,
            overdue=[t for t in tasks if t.due_on < as_of],
            upcoming=[t for t in tasks if t.due_on >= as_of],
            page=page,
            totals=totals,
            today=as_of,
            show_assignee=True,
            nav_active="team_tasks",
        )
        return context


class CompleteTaskView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.VIEW_HOUSEHOLD
    page_title = "Mark task as done"
    submit_label = "Mark as done"
    success_message = "Task marked as done"
    form_class = CompleteTaskForm

    template_name = "tasks/complete.html"

    def get_form(self, form_class=None):
        self.task = get_object_or_404(Task.objects.open(), household=self.household, pk=self.kwargs["pk"])
        self.record_rule = record_rule_for(self.task)
        form = super().get_form(form_class)
        if self.record_rule is not None:
            form.fields["outcome"].label = "Why close it without that record?"
            form.fields["outcome"].help_text = "For example: the family moved out of the area on Monday"
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.task.title
        if self.record_rule is not None:
            context.update(
                record_rule=self.record_rule, record_url=reverse(self.record_rule.url_name, args=[self.household.pk])
            )
        return context

    def perform(self, form):
        return services.complete_task(task=self.task, completed_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("tasks:mine")
