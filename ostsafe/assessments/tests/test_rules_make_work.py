"""Rules always make the work: a family with children and no completed assessment has an "Assess this family" task
(closed by the assessment); a risk level decided brings the next home visit and the safety plan review forward at
once, not after the next visit."""

import datetime

import pytest

from ostsafe.assessments import services
from ostsafe.assessments.tests.test_assessments import safe_answers, started
from ostsafe.families.models import ChildContact
from ostsafe.families.tests.factories import HouseholdFactory, ServiceUserFactory
from ostsafe.plans import services as plan_services
from ostsafe.tasks.models import Task, TaskStatus
from ostsafe.visits.models import HomeVisit

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def complete(world, level, on=TODAY):
    assessment = started(world)
    services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=world.users["keyworker"])
    return services.complete_assessment(
        assessment=assessment,
        practitioner_level=level,
        rationale="Seen at home; the record supports it",
        completed_by=world.users["keyworker"],
        completed_on=on,
    )


def test_a_family_with_children_and_no_assessment_gets_an_assess_this_family_task_closed_by_the_assessment(world):
    services.require_assessment(world.household, TODAY)
    task = Task.objects.get(rule="assessments.needed", household=world.household)
    assert task.title == "Assess this family" and task.assignee == world.users["keyworker"]
    services.require_assessment(world.household, TODAY)
    assert Task.objects.filter(rule="assessments.needed").count() == 1  # once
    complete(world, "medium")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_child_in_contact_elsewhere_is_enough_and_a_family_without_children_gets_no_task(
    world, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(team=world.household.team)
    service_user = ServiceUserFactory(household=household, keyworker=world.users["keyworker"])
    services.require_assessment(household, TODAY)
    assert not Task.objects.filter(rule="assessments.needed", household=household).exists()
    from ostsafe.families import services as family_services

    with django_capture_on_commit_callbacks(execute=True):
        family_services.add_child_contact(
            service_user=service_user,
            added_by=world.users["keyworker"],
            given_name="Amy",
            date_of_birth=TODAY - datetime.timedelta(days=2000),
            relationship="daughter",
            lives_with="Her grandmother, across town",
            frequency="weekly",
        )
    assert ChildContact.objects.filter(service_user=service_user).exists()
    assert Task.objects.filter(rule="assessments.needed", household=household).exists()


def test_a_higher_risk_level_brings_the_next_home_visit_forward_at_once(world):
    complete(world, "low", on=TODAY - datetime.timedelta(days=30))
    HomeVisit.objects.create(
        household=world.household,
        status="completed",
        visited_on=TODAY - datetime.timedelta(days=20),
        recorded_by=world.users["keyworker"],
    )
    Task.objects.create(
        title="Home visit due",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=TODAY + datetime.timedelta(days=71),  # low risk: every 91 days
        rule="visits.next_visit",
        dedupe_key=f"visits.next_visit:{world.household.pk}",
    )
    assessment = complete(world, "high")
    task = Task.objects.get(dedupe_key=f"visits.next_visit:{world.household.pk}", status=TaskStatus.OPEN)
    assert task.due_on == TODAY - datetime.timedelta(days=20) + datetime.timedelta(
        days=assessment.home_visit_every_days
    )


def test_a_higher_risk_level_brings_the_safety_plan_review_forward_at_once(world, django_capture_on_commit_callbacks):
    complete(world, "low", on=TODAY - datetime.timedelta(days=30))
    plan = plan_services.start_safety_plan(
        household=world.household, created_by=world.users["keyworker"], created_on=TODAY - datetime.timedelta(days=10)
    )
    low_review = plan.next_review_on
    with django_capture_on_commit_callbacks(execute=True):
        complete(world, "high")
    plan.refresh_from_db()
    assert plan.next_review_on < low_review
    task = Task.objects.get(dedupe_key=f"plans.review_due:{plan.pk}", status=TaskStatus.OPEN)
    assert task.due_on == plan.next_review_on


def test_the_daily_pass_gives_every_unassessed_family_with_children_its_task(world):
    from django.core.management import call_command

    call_command("require_assessments")
    assert Task.objects.filter(rule="assessments.needed", household=world.household, status=TaskStatus.OPEN).exists()


def test_a_parent_who_said_they_have_children_needs_an_assessment_before_the_children_are_added(world):
    household = HouseholdFactory(team=world.household.team)
    ServiceUserFactory(household=household, keyworker=world.users["keyworker"], children_answer="contact")
    services.require_assessment(household, TODAY)
    assert Task.objects.filter(rule="assessments.needed", household=household).exists()
