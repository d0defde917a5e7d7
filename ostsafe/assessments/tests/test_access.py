import datetime

import pytest
from django.urls import reverse

from ostsafe.assessments import services
from ostsafe.core.testing import ACTORS, ASSESS, VIEW, allowed, assert_view_access


@pytest.fixture
def assessed(world):
    draft = services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=world.users["keyworker"]
    )
    request = services.record_pre_birth_request(
        household=world.household,
        service_user=world.service_user,
        requested_on=datetime.date.today(),
        requested_to="Riverside children's social care",
        requested_by=world.users["keyworker"],
    )
    return world, draft, request


PAGES = [
    ("assessments:tab", lambda w, a, r: [w.household.pk], VIEW),
    ("assessments:start", lambda w, a, r: [w.household.pk], ASSESS),
    ("assessments:answer", lambda w, a, r: [w.household.pk, a.pk], ASSESS),
    ("assessments:decide", lambda w, a, r: [w.household.pk, a.pk], ASSESS),
    ("assessments:detail", lambda w, a, r: [w.household.pk, a.pk], VIEW),
    ("assessments:pre_birth_request", lambda w, a, r: [w.household.pk], ASSESS),
    ("assessments:pre_birth_outcome", lambda w, a, r: [w.household.pk, r.pk], ASSESS),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "action"), PAGES, ids=[n for n, _, _ in PAGES])
def test_assessment_pages_follow_the_role_table(client, assessed, actor, name, args, action):
    world, draft, request = assessed
    assert_view_access(
        client,
        world.users[actor],
        reverse(name, args=args(world, draft, request)),
        may=allowed(actor, action),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_api_follows_the_role_table(client, assessed, actor):
    world, draft, _ = assessed
    assert_view_access(
        client,
        world.users[actor],
        reverse("assessment-detail", args=[draft.pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )
