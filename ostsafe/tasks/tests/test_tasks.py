import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ostsafe.tasks import services
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def make(world, title, days, **kwargs):
    return services.create_task(
        title=title,
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=TODAY + datetime.timedelta(days=days),
        **kwargs,
    )


def test_my_tasks_shows_overdue_first(client, world):
    make(world, "Later task", 5)
    make(world, "Overdue task", -3)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("tasks:mine")).content.decode()
    assert page.index("Overdue task") < page.index("Later task")
    assert "Overdue" in page


def test_a_rule_makes_its_task_once(world):
    first = make(world, "Follow up storage", 7, rule="visits.storage_follow_up", dedupe_key="x:1")
    again = make(world, "Follow up storage", 7, rule="visits.storage_follow_up", dedupe_key="x:1")
    assert first.pk == again.pk


def test_completing_a_task_records_what_was_done(client, world):
    task = make(world, "Ring the health visitor", 1)
    client.force_login(world.users["keyworker"])
    url = reverse("tasks:complete", args=[world.household.pk, task.pk])
    empty = client.post(url, {"outcome": ""})
    assert "Enter what was done" in empty.content.decode()
    client.post(url, {"outcome": "Spoke to HV; visit booked"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_by == world.users["keyworker"]
    with pytest.raises(ValidationError, match="already closed"):
        services.complete_task(task=task, completed_by=world.users["keyworker"])


def test_my_tasks_query_count_is_constant(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["keyworker"])
    make(world, "One", 1)
    client.get(reverse("tasks:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tasks:mine"))
    few = list(few)  # frozen now: the next request clears the log it reads
    for n in range(10):
        make(world, f"Task {n}", n, service_user=world.service_user)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tasks:mine"))
    many = list(many)  # frozen now: the next request clears the log it reads
    assert len(few) == len(many)


def test_open_at_the_end_of_today_is_open_now_and_a_past_day_is_counted_as_it_stood(world):
    made = make(world, "Made today", 3)
    done = make(world, "Done today", 3)
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE, completed_at=timezone.now())
    earlier = make(world, "Made a week ago, done today", -1)
    Task.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7), status=TaskStatus.DONE, completed_at=timezone.now()
    )
    mine = Task.objects.filter(pk__in=[made.pk, done.pk, earlier.pk])
    today = timezone.localdate()
    assert set(mine.open_on(today)) == set(mine.open()) == {made}
    # Two days ago only the task made a week ago was there, and it was still open at the end of that day.
    assert list(mine.open_on(today - datetime.timedelta(days=2))) == [earlier]


def test_a_task_changed_since_the_list_was_last_drawn_shows_as_it_is_now(client, world):
    # The rows of the task lists are kept once drawn (ostsafe/core/templatetags/rows.py): never as they were.
    task = make(world, "Ring the health visitor", 1)
    client.force_login(world.users["keyworker"])
    assert "Ring the health visitor" in client.get(reverse("tasks:team")).content.decode()
    Task.objects.filter(pk=task.pk).update(title="Ring the school nurse", due_on=TODAY - datetime.timedelta(days=2))
    world.household.name = "The Renamed Family"
    world.household.save()
    for page in (client.get(reverse("tasks:mine")), client.get(reverse("tasks:team"))):
        html = page.content.decode()
        assert "Ring the school nurse" in html and "Ring the health visitor" not in html
        assert "The Renamed Family" in html
        row = html[html.index("Ring the school nurse") :]
        assert row.index("Overdue") < row.index("Mark as done")
