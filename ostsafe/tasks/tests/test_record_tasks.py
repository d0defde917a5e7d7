"""A task whose work is a record closes itself when the record is made; closed by hand it needs a reason, and the
team manager sees it."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.tasks import services
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def visit_task(world):
    return Task.objects.create(
        title="Home visit due",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=TODAY,
        rule="visits.next_visit",
        dedupe_key=f"visits.next_visit:{world.household.pk}",
    )


def test_a_record_task_closed_by_hand_needs_a_reason_and_the_manager_sees_it(client, world):
    task = visit_task(world)
    client.force_login(world.users["keyworker"])
    url = reverse("tasks:complete", args=[world.household.pk, task.pk])
    page = client.get(url).content.decode()
    assert "This task closes itself when a home visit is recorded" in page
    assert "Why close it without that record?" in page
    assert client.post(url, {"outcome": ""}).status_code == 200
    assert client.post(url, {"outcome": "The family moved out of the area on Monday"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_without_record
    client.force_login(world.users["manager"])
    team = client.get(reverse("tasks:team")).content.decode()
    assert "Closed without the record they asked for" in team and "moved out of the area" in team


def test_the_api_will_not_close_a_record_task_without_a_reason(client, world):
    task = visit_task(world)
    client.force_login(world.users["keyworker"])
    response = client.post(reverse("task-complete", args=[task.pk]), {"outcome": "  "}, content_type="application/json")
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_ordinary_task_closes_with_what_was_done(world):
    task = Task.objects.create(
        title="Ring the school", household=world.household, assignee=world.users["keyworker"], due_on=TODAY
    )
    services.complete_task(task=task, completed_by=world.users["keyworker"], outcome="Rang; all well")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and not task.closed_without_record


def test_closed_without_record_counts_from_the_start_of_the_day_in_the_uk(world):
    from zoneinfo import ZoneInfo

    from ostsafe.tasks.selectors import closed_without_record

    since = datetime.date(2026, 7, 1)  # British Summer Time: the day starts at 23:00 UTC the evening before
    london = ZoneInfo("Europe/London")

    def closed_by_hand_at(moment):
        task = visit_task(world)
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.DONE, closed_without_record=True, dedupe_key="", completed_at=moment
        )
        return task

    early = closed_by_hand_at(datetime.datetime(2026, 7, 1, 0, 30, tzinfo=london))
    closed_by_hand_at(datetime.datetime(2026, 6, 30, 23, 59, tzinfo=london))
    assert list(closed_without_record(world.users["manager"], since)) == [early]


def test_my_tasks_is_one_access_event_naming_every_family_either_list_shows(client, world):
    from ostsafe.audit.actions import AuditAction
    from ostsafe.audit.models import AccessEvent, ListedHousehold

    keyworker = world.users["keyworker"]
    visit_task(world)
    client.force_login(keyworker)
    assert client.get(reverse("tasks:mine")).status_code == 200
    (event,) = AccessEvent.objects.filter(user=keyworker, action=AuditAction.TASKS_VIEW)
    assert event.detail == "1 family shown"
    assert list(ListedHousehold.objects.filter(event=event).values_list("household_id", flat=True)) == [
        world.household.pk
    ]
