"""Tasks: what someone must do about a family, and by when. Services create them (a rule or a person); nothing else."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import today


class TaskStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TaskStatus.OPEN)

    def open_on(self, day):
        """Tasks that were open at the end of `day` (made by then, not closed by then): a past month's figures."""
        if day >= today():
            # Nothing is made or closed later than now, so open at the end of today is open now: the partial indexes
            # on open tasks answer it (a dashboard asks for every family in a service).
            return self.open()
        return self.filter(created_at__date__lte=day).filter(Q(status=TaskStatus.OPEN) | Q(completed_at__date__gt=day))

    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))


class Task(models.Model):
    title = models.CharField(max_length=200)
    detail = NoteField(blank=True)
    household = models.ForeignKey("families.Household", on_delete=models.CASCADE, related_name="tasks")
    service_user = models.ForeignKey(
        "families.ServiceUser", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    # Which rule made the task ("storage.not_satisfied"), or blank when a person did.
    rule = models.CharField(max_length=80, blank=True)
    # A rule's task is made once: while one with this key is open, the rule does not make another.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A task whose work is a record (tasks.rules), closed by hand instead: the reason is in `outcome`; managers see it.
    closed_without_record = models.BooleanField(default=False)
    outcome = NoteField(blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status="open") & ~Q(dedupe_key=""),
                name="one_open_task_per_rule_key",
            )
        ]
        # Open tasks are a few of a service's tasks after a year (one or two a family against a dozen done): the
        # task lists read them by family (a team's) and by person (mine) without reading the done ones.
        indexes = [
            models.Index(fields=["household", "due_on"], condition=Q(status="open"), name="tasks_open_by_household"),
            models.Index(fields=["assignee", "due_on"], condition=Q(status="open"), name="tasks_open_by_assignee"),
            # Open tasks soonest first across a service (a manager's team tasks): the first 50 read in order.
            models.Index(fields=["due_on", "id"], condition=Q(status="open"), name="tasks_open_by_due"),
            models.Index(
                fields=["-completed_at"], condition=Q(closed_without_record=True), name="tasks_closed_without_record"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, as_of: date | None = None) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < (as_of or today())


class ReminderSent(models.Model):
    """One reminder about one task to one person on one day: the digest never repeats itself."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "user", "sent_on"], name="one_reminder_per_task_per_day")
        ]

    def __str__(self) -> str:
        return f"Reminder {self.sent_on}: {self.task}"
