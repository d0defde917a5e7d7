import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.tasks.models import Task, TaskStatus
from ostsafe.visits import services
from ostsafe.visits.models import StorageVerification

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def visit(world, **overrides):
    kwargs = {
        "household": world.household,
        "visited_on": TODAY,
        "recorded_by": world.users["keyworker"],
        "visitors": [world.users["keyworker"]],
        "service_users_seen": [world.service_user],
        "child_observations": [(world.child, True, "Asleep in cot; room warm and clean")],
    } | overrides
    return services.record_home_visit(**kwargs)


GOOD = {
    "verification": StorageVerification.SEEN,
    "location": "Locked box on top of the wardrobe",
    "out_of_sight_and_reach": True,
    "locked_box_in_use": True,
    "box_locked": True,
    "other_substances_safe": True,
    "empty_bottles_disposed": True,
    "advice_given": "",
    "compliment_given": True,
    "satisfied": True,
}


def check(world, the_visit, **changes):
    return services.record_storage_check(
        visit=the_visit, service_user=world.service_user, checked_by=world.users["keyworker"], **(GOOD | changes)
    )


def test_every_child_at_home_must_be_recorded_as_seen_or_not(world):
    with pytest.raises(ValidationError, match="Record whether you saw"):
        visit(world, child_observations=[])


def test_visit_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="today or in the past"):
        visit(world, visited_on=TODAY + datetime.timedelta(days=1))


def test_storage_only_claimed_makes_a_follow_up_task(world):
    the_visit = visit(world)
    result = check(world, the_visit, verification=StorageVerification.CLAIMED, satisfied=False, compliment_given=False)
    task = Task.objects.get(rule="visits.storage_follow_up", service_user=world.service_user)
    assert result.follow_up_due_on == TODAY + datetime.timedelta(days=7)
    assert task.due_on == result.follow_up_due_on and task.status == TaskStatus.OPEN


def test_cannot_be_satisfied_with_storage_that_was_not_seen(world):
    with pytest.raises(ValidationError, match="not seen"):
        check(world, visit(world), verification=StorageVerification.CLAIMED)


def test_cannot_be_satisfied_while_medicine_is_within_reach(world):
    with pytest.raises(ValidationError, match="something you recorded is unsafe"):
        check(world, visit(world), out_of_sight_and_reach=False, advice_given="Move it up high")


def test_right_storage_needs_the_compliment_recorded(world):
    with pytest.raises(ValidationError, match="compliment"):
        check(world, visit(world), compliment_given=False)


def test_unsafe_storage_needs_advice_recorded(world):
    with pytest.raises(ValidationError, match="advice"):
        check(world, visit(world), empty_bottles_disposed=False, satisfied=False, compliment_given=False)


def test_satisfactory_seen_storage_closes_the_follow_up(world):
    check(world, visit(world), verification=StorageVerification.CLAIMED, satisfied=False, compliment_given=False)
    check(world, visit(world))
    assert not Task.objects.filter(rule="visits.storage_follow_up", status=TaskStatus.OPEN).exists()


def test_recording_a_visit_closes_the_home_visit_needed_task(world):
    task = services.require_assessment_stage_visit(
        household=world.household, assessed_on=TODAY, assessed_by=world.users["keyworker"]
    )
    assert task is not None
    visit(world)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_keyworker_records_visit_and_claimed_storage_through_the_forms(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("visits:record", args=[world.household.pk]),
        {
            "visited_on-day": TODAY.day,
            "visited_on-month": TODAY.month,
            "visited_on-year": TODAY.year,
            "visitors": [world.users["keyworker"].pk],
            "service_users_seen": [world.service_user.pk],
            f"child_{world.child.pk}_seen": "no",
            f"child_{world.child.pk}_note": "At nursery",
        },
    )
    assert response.status_code == 302 and "/storage/" in response["Location"]
    response = client.post(
        response["Location"],
        {
            "verification": "claimed",
            "location": "Kitchen cupboard, she says",
            "out_of_sight_and_reach": "True",
            "locked_box_in_use": "False",
            "box_locked": "False",
            "other_substances_safe": "True",
            "empty_bottles_disposed": "True",
            "compliment_given": "False",
            "satisfied": "False",
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert "Storage was only described, not seen" in page
    assert "Claimed only" in page and "not seen" in page


def test_visits_api_records_a_visit_and_a_storage_check(client, world):
    client.force_login(world.users["keyworker"])
    created = client.post(
        reverse("home-visit-list"),
        {
            "household": world.household.pk,
            "visited_on": TODAY.isoformat(),
            "visitors": [world.users["keyworker"].pk],
            "service_users_seen": [world.service_user.pk],
            "child_observations": [{"child": world.child.pk, "seen": True, "note": ""}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        reverse("storage-check-list"),
        {"visit": created.json()["id"], "service_user": world.service_user.pk} | GOOD | {"verification": "claimed"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "not seen" in refused.json()["satisfied"][0]


# Unborn children, children not seen, and everyone else who was there -----------------------------------------------


def date_parts(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def test_a_visit_to_a_household_whose_only_child_is_unborn_needs_no_seen_answer(client, world):
    from ostsafe.families.models import HouseholdMember, MemberRole
    from ostsafe.families.tests.factories import HouseholdFactory, ServiceUserFactory

    household = HouseholdFactory(team=world.household.team)
    ServiceUserFactory(household=household)
    HouseholdMember.objects.create(
        household=household, role=MemberRole.CHILD, expected_due_date=TODAY + datetime.timedelta(days=60)
    )
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("visits:record", args=[household.pk])).content.decode()
    assert "Did you see" not in page
    response = client.post(
        reverse("visits:record", args=[household.pk]),
        {"visitors": [world.users["keyworker"].pk]} | date_parts("visited_on", TODAY),
    )
    assert response.status_code == 302
    assert household.home_visits.get().child_observations.count() == 0


def test_a_child_not_seen_needs_a_note_saying_why(client, world):
    with pytest.raises(ValidationError, match="was not seen"):
        visit(world, child_observations=[(world.child, False, "  ")])
    assert not world.household.home_visits.exists()
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("visits:record", args=[world.household.pk]),
        {"visitors": [world.users["keyworker"].pk], f"child_{world.child.pk}_seen": "no"}
        | date_parts("visited_on", TODAY),
    )
    assert f"Say why {world.child.display_name} was not seen" in response.content.decode()
    assert not world.household.home_visits.exists()
    api = client.post(
        reverse("home-visit-list"),
        {
            "household": world.household.pk,
            "visited_on": TODAY.isoformat(),
            "visitors": [world.users["keyworker"].pk],
            "service_users_seen": [],
            "child_observations": [{"child": world.child.pk, "seen": False, "note": ""}],
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "was not seen" in api.json()["child_observations"][0]


def test_other_adults_present_are_recorded_and_an_unknown_adult_joins_the_household_with_a_task(client, world):
    from ostsafe.families.models import MemberRole

    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("visits:record", args=[world.household.pk]),
        {
            "visitors": [world.users["keyworker"].pk],
            f"child_{world.child.pk}_seen": "yes",
            "adults_present": [world.adult.pk],
            "unknown_adult": "Man called Dave, introduced as a friend; his coat and boots in the hall",
        }
        | date_parts("visited_on", TODAY),
    )
    assert response.status_code == 302
    recorded = world.household.home_visits.get()
    unknown = world.household.members.get(role=MemberRole.UNKNOWN_ADULT)
    assert set(recorded.adults_present.all()) == {world.adult, unknown}
    assert unknown.start_date == TODAY and "Man called Dave" in unknown.notes
    task = Task.objects.get(rule="visits.unknown_adult", household=world.household)
    assert task.assignee == world.service_user.keyworker and task.status == TaskStatus.OPEN
    tab = client.get(reverse("visits:tab", args=[world.household.pk])).content.decode()
    assert "Unknown adult" in tab and world.adult.display_name in tab


def test_storage_questions_follow_the_drug_no_bottles_for_tablets(client, world):
    from ostsafe.prescribing.models import DoseUnit, Drug, Prescription

    the_visit = visit(world)
    url = reverse("visits:storage_check", args=[world.household.pk, the_visit.pk, world.service_user.pk])
    client.force_login(world.users["keyworker"])
    assert "Empty bottles are washed out" in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="empty bottles"):
        check(world, the_visit, empty_bottles_disposed=None)
    Prescription.objects.filter(pk=world.prescription.pk).update(
        drug=Drug.BUPRENORPHINE_SUBLINGUAL, dose_unit=DoseUnit.MG
    )
    assert "Empty bottles are washed out" not in client.get(url).content.decode()
    recorded = check(world, the_visit, empty_bottles_disposed=True)
    assert recorded.empty_bottles_disposed is None  # tablets: not asked, never a "yes" or a "no"


def test_box_locked_is_asked_only_when_a_box_is_in_use(world):
    the_visit = visit(world)
    with pytest.raises(ValidationError, match="the box was locked"):
        check(world, the_visit, box_locked=None)
    no_box = check(
        world, the_visit, locked_box_in_use=False, box_locked=None, satisfied=False, advice_given="Use the box"
    )
    assert no_box.box_locked is None
