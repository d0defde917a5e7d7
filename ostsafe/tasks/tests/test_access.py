import datetime

import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, CASELOAD_ROLES, VIEW, allowed, assert_view_access
from ostsafe.tasks import services


@pytest.fixture
def tasked(world):
    task = services.create_task(
        title="Ring the health visitor",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=datetime.date.today(),
    )
    return world, task


@pytest.mark.parametrize("actor", ACTORS)
def test_my_tasks_page_is_for_roles_with_a_caseload(client, world, actor):
    assert_view_access(client, world.users[actor], reverse("tasks:mine"), may=actor in CASELOAD_ROLES)


@pytest.mark.parametrize("actor", ACTORS)
def test_completing_a_task_follows_the_role_table(client, tasked, actor):
    world, task = tasked
    assert_view_access(
        client,
        world.users[actor],
        reverse("tasks:complete", args=[world.household.pk, task.pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_task_api_follows_the_role_table(client, tasked, actor):
    world, task = tasked
    assert_view_access(
        client,
        world.users[actor],
        reverse("task-detail", args=[task.pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_team_tasks_page_is_for_roles_with_a_caseload(client, world, actor):
    assert_view_access(client, world.users[actor], reverse("tasks:team"), may=actor in CASELOAD_ROLES)
