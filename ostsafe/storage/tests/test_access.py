import datetime

import pytest
from django.urls import reverse

from ostsafe.core.testing import (
    ACTORS,
    CASELOAD_ROLES,
    ISSUE_BOX,
    RECORD_STORAGE,
    VIEW,
    allowed,
    assert_view_access,
)
from ostsafe.storage import services
from ostsafe.storage.models import MovementKind


@pytest.fixture
def boxed(world):
    site = world.users["keyworker"].organisation
    services.record_box_movement(
        site=site,
        kind=MovementKind.RECEIVED,
        quantity=5,
        on=datetime.date.today(),
        recorded_by=world.users["keyworker"],
    )
    issue = services.issue_safety_box(
        service_user=world.service_user,
        site=site,
        issued_on=datetime.date.today(),
        issued_by=world.users["keyworker"],
        acknowledgement_signed=True,
    )
    return world, issue


PAGES = [
    ("storage:tab", lambda w, i: [w.household.pk], VIEW),
    ("storage:issue_box", lambda w, i: [w.household.pk, w.service_user.pk], ISSUE_BOX),
    ("storage:return_box", lambda w, i: [w.household.pk, w.service_user.pk, i.pk], RECORD_STORAGE),
    ("storage:must_share", lambda w, i: [w.household.pk, w.service_user.pk], RECORD_STORAGE),
    ("storage:leaflet_given", lambda w, i: [w.household.pk, w.service_user.pk], RECORD_STORAGE),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "action"), PAGES, ids=[n for n, _, _ in PAGES])
def test_storage_pages_follow_the_role_table(client, boxed, actor, name, args, action):
    world, issue = boxed
    assert_view_access(
        client,
        world.users[actor],
        reverse(name, args=args(world, issue)),
        may=allowed(actor, action),
        household_id=world.household.pk,
    )


STOCK_ROLES = {
    "keyworker",
    "keyworker_other_team",
    "manager",
    "manager_other_service",
    "administrator",
    "pharmacist",
    "harm_reduction_worker",
}
IN_PERSON_ROLES = {
    "keyworker",
    "keyworker_other_team",
    "manager",
    "manager_other_service",
    "administrator",
    "harm_reduction_worker",
}
LEAFLET_ROLES = {"keyworker", "keyworker_other_team", "manager", "manager_other_service", "administrator"}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "roles"),
    [
        ("storage:stock", STOCK_ROLES),
        ("storage:issue_in_person", IN_PERSON_ROLES),
        ("storage:needed", CASELOAD_ROLES),
        ("storage:leaflet_pdf", LEAFLET_ROLES),
    ],
    ids=["stock", "issue_in_person", "needed", "leaflet_pdf"],
)
def test_service_wide_storage_pages_follow_the_role_table(client, world, actor, name, roles):
    assert_view_access(client, world.users[actor], reverse(name), may=actor in roles)


@pytest.mark.parametrize("actor", ACTORS)
def test_safety_box_api_follows_the_role_table(client, boxed, actor):
    world, issue = boxed
    assert_view_access(
        client,
        world.users[actor],
        reverse("safety-box-detail", args=[issue.pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )
