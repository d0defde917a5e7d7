import datetime

import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, VIEW, VISIT, allowed, assert_view_access
from ostsafe.visits import services


@pytest.fixture
def visited(world):
    visit = services.record_home_visit(
        household=world.household,
        visited_on=datetime.date.today(),
        recorded_by=world.users["keyworker"],
        visitors=[world.users["keyworker"]],
        service_users_seen=[world.service_user],
        child_observations=[(world.child, True, "Playing happily")],
    )
    return world, visit


PAGES = [
    ("visits:tab", lambda w, v: [w.household.pk], VIEW),
    ("visits:plan", lambda w, v: [w.household.pk], VISIT),
    ("visits:record", lambda w, v: [w.household.pk], VISIT),
    ("visits:storage_check", lambda w, v: [w.household.pk, v.pk, w.service_user.pk], VISIT),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "action"), PAGES, ids=[n for n, _, _ in PAGES])
def test_visit_pages_follow_the_role_table(client, visited, actor, name, args, action):
    world, visit = visited
    assert_view_access(
        client,
        world.users[actor],
        reverse(name, args=args(world, visit)),
        may=allowed(actor, action),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_visit_api_follows_the_role_table(client, visited, actor):
    world, visit = visited
    assert_view_access(
        client,
        world.users[actor],
        reverse("home-visit-detail", args=[visit.pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )
