"""Making and finishing tasks. Other apps' services call `create_task`; nothing else makes one."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes

from .models import Task, TaskStatus
from .rules import record_rule_for


@transaction.atomic
def create_task(
    *,
    title: str,
    household,
    assignee,
    due_on: date,
    detail: str = "",
    service_user=None,
    created_by=None,
    rule: str = "",
    dedupe_key: str = "",
) -> Task:
    """Make a task. A rule's task with a `dedupe_key` is made once: the open one is returned instead."""
    if dedupe_key:
        existing = Task.objects.select_for_update().filter(dedupe_key=dedupe_key, status=TaskStatus.OPEN).first()
        if existing:
            return existing
    task = apply_changes(
        Task(),
        {
            "title": title,
            "detail": detail,
            "household": household,
            "service_user": service_user,
            "assignee": assignee,
            "due_on": due_on,
            "created_by": created_by,
            "rule": rule,
            "dedupe_key": dedupe_key,
        },
    )
    record_change(
        user=created_by, action=AuditAction.TASK_CREATE, household_id=household.pk, detail=f"{task.pk} {rule}"
    )
    return task


@transaction.atomic
def complete_task(*, task: Task, completed_by, outcome: str = "") -> Task:
    """Mark a task done, with what was done. Fails if it is already closed. A task whose work is a record (a home
    visit, an assessment: tasks.rules) closes itself when the record is made; closed by hand, it needs a reason and
    is marked as closed without the record, for the team manager to see."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise DomainError("This task is already closed")
    record_rule = record_rule_for(task)
    if record_rule is not None and not outcome.strip():
        raise DomainError(
            {"outcome": f"This task closes itself when {record_rule.closes_when}. Say why it should close without that"}
        )
    apply_changes(
        task,
        {
            "status": TaskStatus.DONE,
            "completed_at": timezone.now(),
            "completed_by": completed_by,
            "outcome": outcome,
            "closed_without_record": record_rule is not None,
        },
    )
    record_change(
        user=completed_by, action=AuditAction.TASK_COMPLETE, household_id=task.household_id, detail=f"{task.pk}"
    )
    return task


@transaction.atomic
def close_rule_task(*, dedupe_key: str, outcome: str, closed_by=None) -> Task | None:
    """Close the open task a rule made, when what it asked for has happened (a visit recorded, storage seen)."""
    task = Task.objects.select_for_update().filter(dedupe_key=dedupe_key, status=TaskStatus.OPEN).first()
    if task is None:
        return None
    apply_changes(
        task, {"status": TaskStatus.DONE, "completed_at": timezone.now(), "completed_by": closed_by, "outcome": outcome}
    )
    record_change(
        user=closed_by, action=AuditAction.TASK_CLOSE_BY_RULE, household_id=task.household_id, detail=f"{task.pk}"
    )
    return task


@transaction.atomic
def bring_rule_task_forward(*, dedupe_key: str, due_on: date, by=None) -> Task | None:
    """Make a rule's open task due sooner (a higher risk level shortens the schedule); never later."""
    task = Task.objects.select_for_update().filter(dedupe_key=dedupe_key, status=TaskStatus.OPEN).first()
    if task is None or task.due_on <= due_on:
        return task
    was = task.due_on
    apply_changes(task, {"due_on": due_on})
    record_change(
        user=by, action=AuditAction.TASK_SOONER, household_id=task.household_id, detail=f"{task.pk} {was} {due_on}"
    )
    return task


def send_reminders(*, as_of: date, site_url: str = "") -> int:
    """Email each person one digest of their tasks that are overdue or due in the next two days. A task is never
    in two digests on the same day. Each person's digest is its own transaction: one failure does not stop the rest.
    Returns the number of emails queued (core.mail sends them, retrying a failure)."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from ostsafe.core.mail import queue_email

    from .models import ReminderSent
    from .selectors import tasks_to_remind

    sent = 0
    for user, tasks in tasks_to_remind(as_of).items():
        with transaction.atomic():
            ReminderSent.objects.bulk_create([ReminderSent(task=t, user=user, sent_on=as_of) for t in tasks])
            overdue = sum(1 for t in tasks if t.due_on < as_of)
            subject = f"{settings.OSTSAFE_SERVICE_NAME}: {len(tasks)} task{'s' if len(tasks) != 1 else ''} to do"
            if overdue:
                subject += f", {overdue} overdue"
            body = render_to_string(
                "tasks/reminder_email.txt", {"user": user, "tasks": tasks, "as_of": as_of, "site_url": site_url}
            )
            queue_email(to=user.email, subject=subject, body=body)
            sent += 1
    return sent
