from ostsafe.core.validators import today

from .models import Task


def my_open_tasks(user):
    """The user's open tasks about families they may still see, soonest (and so overdue) first."""
    return (
        Task.objects.open()
        .visible_to(user)
        .filter(assignee=user)
        .select_related("household", "service_user", "created_by")
        .order_by("due_on", "id")
    )


def overdue_count(user) -> int:
    return my_open_tasks(user).filter(due_on__lt=today()).count()


def open_tasks_for_household(household):
    return Task.objects.open().filter(household=household).select_related("assignee", "service_user")
