import datetime

import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, PLAN, VIEW, allowed, assert_view_access
from ostsafe.plans import services

TODAY = datetime.date.today()


@pytest.fixture
def planned(world):
    keyworker = world.users["keyworker"]
    agreement = services.draft_agreement(
        household=world.household,
        service_user=world.service_user,
        expectations="Keep the box locked",
        drafted_by=keyworker,
        drafted_on=TODAY,
    )
    plan = services.start_safety_plan(household=world.household, created_by=keyworker, created_on=TODAY)
    action = services.add_plan_action(
        plan=plan,
        expectation="Box on the top shelf",
        why="Ella climbs",
        owner="Mum",
        due_on=TODAY,
        added_by=keyworker,
        as_of=TODAY,
    )
    return world, agreement, action


PAGES = [
    ("plans:agreement", lambda w, a, x: [w.household.pk], VIEW),
    ("plans:agreement_detail", lambda w, a, x: [w.household.pk, a.pk], VIEW),
    ("plans:agreement_pdf", lambda w, a, x: [w.household.pk, a.pk], VIEW),
    ("plans:agreement_draft", lambda w, a, x: [w.household.pk], PLAN),
    ("plans:agreement_sign", lambda w, a, x: [w.household.pk, a.pk], PLAN),
    ("plans:agreement_paper", lambda w, a, x: [w.household.pk, a.pk], PLAN),
    ("plans:agreement_not_forthcoming", lambda w, a, x: [w.household.pk, a.pk], PLAN),
    ("plans:agreement_consent", lambda w, a, x: [w.household.pk, a.pk], PLAN),
    ("plans:plan", lambda w, a, x: [w.household.pk], VIEW),
    ("plans:plan_start", lambda w, a, x: [w.household.pk], PLAN),
    ("plans:action_add", lambda w, a, x: [w.household.pk], PLAN),
    ("plans:action_change", lambda w, a, x: [w.household.pk, x.pk], PLAN),
    ("plans:review", lambda w, a, x: [w.household.pk], PLAN),
    ("plans:meeting", lambda w, a, x: [w.household.pk], PLAN),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "action"), PAGES, ids=[n for n, _, _ in PAGES])
def test_plan_pages_follow_the_role_table(client, planned, actor, name, args, action):
    world, agreement, plan_action = planned
    assert_view_access(
        client,
        world.users[actor],
        reverse(name, args=args(world, agreement, plan_action)),
        may=allowed(actor, action),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("basename", ["guidance-agreement", "safety-plan"])
def test_plan_api_follows_the_role_table(client, planned, actor, basename):
    world, agreement, plan_action = planned
    pk = agreement.pk if basename == "guidance-agreement" else plan_action.plan_id
    assert_view_access(
        client,
        world.users[actor],
        reverse(f"{basename}-detail", args=[pk]),
        may=allowed(actor, VIEW),
        household_id=world.household.pk,
    )
