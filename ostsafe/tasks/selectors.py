from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from ostsafe.core import access
from ostsafe.core.validators import today

from .models import Task


# What a list of tasks shows of each (core/components/task_table.html), read as plain values: a team's list is 50
# tasks with four related rows each, and reading them as model instances was most of the page's work.
class TaskRow(NamedTuple):
    pk: int
    household_id: int
    title: str
    detail: str
    rule: str
    made_by: str
    family: str
    service_user: str
    due_on: date
    assignee: str


_ROW_VALUES = (
    *("id", "household_id", "title", "detail", "rule", "created_by__full_name", "household__name"),
    *("service_user__given_name", "service_user__family_name", "due_on", "assignee__full_name"),
)


def task_rows(tasks) -> list[TaskRow]:
    """A list page's tasks (a queryset, in its order) as the rows it shows. One query."""
    return [_task_row(*values) for values in tasks.values_list(*_ROW_VALUES)]


def _task_row(pk, household_id, title, detail, rule, made_by, family, given, family_name, due_on, assignee) -> TaskRow:
    person = f"{given} {family_name}" if given else ""
    return TaskRow(pk, household_id, title, detail, rule, made_by or "", family, person, due_on, assignee or "")


def my_open_tasks(user):
    """The user's open tasks about families they may still see, soonest (and so overdue) first."""
    return Task.objects.open().visible_to(user).filter(assignee=user).order_by("due_on", "id")


def overdue_count(user) -> int:
    return my_open_tasks(user).filter(due_on__lt=today()).count()


def open_tasks_for_household(household):
    return Task.objects.open().filter(household=household).select_related("assignee", "service_user")


def team_open_tasks(user):
    """Open tasks of the user's team (a manager: the whole service), overdue first."""
    tasks = Task.objects.open().visible_to(user)
    if access.shares_team_tasks(user):
        tasks = tasks.filter(household__team_id=user.team_id)
    return tasks.order_by("due_on", "id")


def closed_without_record(user, since: date):
    """Tasks whose work is a record (a visit, an assessment) closed by hand instead, since the date, in the user's
    team (a manager: the service), newest first: the manager's check that rules' work is not closed away."""
    start = timezone.make_aware(datetime.combine(since, time.min))  # the day's start here: an index reads from it
    tasks = Task.objects.filter(closed_without_record=True, completed_at__gte=start).visible_to(user)
    if access.shares_team_tasks(user):
        tasks = tasks.filter(household__team_id=user.team_id)
    return tasks.select_related("household", "completed_by").order_by("-completed_at")


def tasks_to_remind(as_of, *, days_ahead: int = 2):
    """Open tasks due within `days_ahead` days or overdue, not yet reminded about today, grouped by assignee."""
    from datetime import timedelta

    from .models import ReminderSent

    already = ReminderSent.objects.filter(sent_on=as_of).values("task_id")
    tasks = (
        Task.objects.open()
        .filter(due_on__lte=as_of + timedelta(days=days_ahead), assignee__is_active=True)
        .exclude(pk__in=already)
        .select_related("assignee", "household")
        .order_by("assignee_id", "due_on", "id")
    )
    grouped: dict = {}
    for task in tasks:
        grouped.setdefault(task.assignee, []).append(task)
    return grouped


# The caseload's "what needs attention first" (core.households: a column, sort keys and a filter) -------------------


class NextDue(NamedTuple):
    title: str
    due_on: date


class CaseloadDue(NamedTuple):
    overdue: int
    next: NextDue
    late: bool


def caseload_due(rows, as_of: date) -> dict[int, CaseloadDue]:
    """For each caseload row (a service user), their household's open work: how many tasks are overdue, and the next
    one due. One query."""
    overdue: dict[int, int] = {}
    first: dict[int, NextDue] = {}
    for household_id, title, due_on in (
        Task.objects.open()
        .filter(household_id__in={row.household_id for row in rows})
        .order_by("due_on", "id")
        .values_list("household_id", "title", "due_on")
    ):
        first.setdefault(household_id, NextDue(title, due_on))
        overdue[household_id] = overdue.get(household_id, 0) + (due_on < as_of)
    return {
        row.pk: CaseloadDue(overdue[row.household_id], first[row.household_id], first[row.household_id].due_on < as_of)
        for row in rows
        if row.household_id in first
    }


def _open_tasks_of_the_row():
    return Task.objects.open().filter(household=OuterRef("household"))


def has_overdue_task(as_of: date):
    return Exists(_open_tasks_of_the_row().filter(due_on__lt=as_of))


def next_task_due_on(as_of: date):
    return Subquery(_open_tasks_of_the_row().order_by("due_on").values("due_on")[:1])


def with_work_due(rows, value: str, as_of: date):
    if value == "overdue":
        return rows.filter(has_overdue_task(as_of))
    if value == "week":
        return rows.filter(Exists(_open_tasks_of_the_row().filter(due_on__lte=as_of + timedelta(days=7))))
    return rows


def overdue_summary(household, as_of: date) -> dict | None:
    """What is overdue, at the top of every tab: how many of the family's open tasks, and the oldest. Two queries."""
    overdue = Task.objects.open().filter(household=household, due_on__lt=as_of).order_by("due_on", "id")
    first = overdue.first()
    return {"count": overdue.count(), "first": first} if first else None


def compliance_no_overdue_tasks(as_of: date):
    """Managers' dashboard: nothing overdue for the family."""
    return ~Exists(Task.objects.open_on(as_of).filter(household=OuterRef("pk"), due_on__lt=as_of))
