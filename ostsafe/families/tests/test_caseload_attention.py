"""Risk first: the caseload opens on what needs attention first (overdue work, then the decided risk, then what is
due soonest), shows each family's risk, next due and children's statuses, and filters by them; its query count does
not grow with rows."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.assessments.models import Assessment, QuestionSet
from ostsafe.families.models import ChildStatus, HouseholdMember
from ostsafe.families.tests.factories import HouseholdFactory, ServiceUserFactory
from ostsafe.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def family(world, name, *, level=None, due_in=None):
    keyworker = world.users["keyworker"]
    household = HouseholdFactory(team=world.household.team)
    service_user = ServiceUserFactory(household=household, keyworker=keyworker, family_name=name, given_name="Sam")
    if level:
        Assessment.objects.create(
            household=household,
            service_user=service_user,
            question_set=QuestionSet.objects.order_by("-version").first(),
            status="completed",
            started_by=keyworker,
            completed_by=keyworker,
            completed_on=TODAY - datetime.timedelta(days=10),
            practitioner_level=level,
        )
    if due_in is not None:
        Task.objects.create(
            title="Home visit due",
            household=household,
            assignee=keyworker,
            due_on=TODAY + datetime.timedelta(days=due_in),
        )
    return service_user


def names_in_order(client, **params):
    page = client.get(reverse("families:caseload"), {"scope": "mine", **params}).context["page"]
    return [row.family_name for row in page.object_list if row.family_name.startswith("Zz")]


def test_the_caseload_opens_on_what_needs_attention_first(client, world):
    family(world, "Zzlow", level="low", due_in=2)
    family(world, "Zznone")
    family(world, "Zzoverdue", level="low", due_in=-3)
    family(world, "Zzhigh", level="high", due_in=30)
    family(world, "Zzmedium", level="medium", due_in=1)
    client.force_login(world.users["keyworker"])
    assert names_in_order(client) == ["Zzoverdue", "Zzhigh", "Zzmedium", "Zznone", "Zzlow"]
    assert names_in_order(client, sort="name") == ["Zzhigh", "Zzlow", "Zzmedium", "Zznone", "Zzoverdue"]


def test_each_row_shows_risk_next_due_and_a_childs_protection_plan(client, world):
    family(world, "Zzoverdue", level="high", due_in=-3)
    HouseholdMember.objects.filter(household=world.household, role="child").update(
        child_status=ChildStatus.CHILD_PROTECTION_PLAN
    )
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("families:caseload"), {"scope": "mine"}).content.decode()
    assert "Not assessed" in page and "High" in page
    assert "1 overdue" in page and "Home visit due: was due" in page
    assert "Child protection plan" in page


def test_the_caseload_filters_by_risk_and_by_work_due(client, world):
    family(world, "Zzhigh", level="high", due_in=30)
    family(world, "Zzoverdue", level="low", due_in=-1)
    family(world, "Zznone")
    client.force_login(world.users["keyworker"])
    assert names_in_order(client, risk="high") == ["Zzhigh"]
    assert names_in_order(client, risk="not_assessed") == ["Zznone"]
    assert names_in_order(client, due="overdue") == ["Zzoverdue"]
    assert names_in_order(client, due="week") == ["Zzoverdue"]


def test_a_manager_opens_on_their_teams_caseload_and_may_show_the_whole_service(client, world):
    family(world, "Zzmine")
    elsewhere = HouseholdFactory(team=world.users["keyworker_other_team"].team)
    ServiceUserFactory(household=elsewhere, keyworker=world.users["keyworker_other_team"], family_name="Zzother")
    client.force_login(world.users["manager"])
    response = client.get(reverse("families:caseload"))
    assert "My team's caseload" in response.content.decode()
    shown = [row.family_name for row in response.context["page"].object_list]
    assert "Zzmine" in shown and "Zzother" not in shown
    everyone = client.get(reverse("families:caseload"), {"scope": "all"}).context["page"].object_list
    assert "Zzother" in [row.family_name for row in everyone]


def test_every_tab_of_a_family_opens_on_the_same_summary_risk_first(client, world):
    HouseholdMember.objects.filter(household=world.household, role="child").update(
        child_status=ChildStatus.LOOKED_AFTER
    )
    Task.objects.create(
        title="Home visit due",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=TODAY - datetime.timedelta(days=4),
    )
    client.force_login(world.users["keyworker"])
    for name in ("families:household", "visits:tab", "plans:plan", "curiosity:tab"):
        page = client.get(reverse(name, args=[world.household.pk])).content.decode()
        assert "Not assessed" in page and "Assess this family" in page, name
        assert "Looked after" in page, name
        assert "1 overdue" in page and "Home visit due, was due" in page, name
        assert "Take-home doses" in page, name


def test_the_summary_says_which_take_home_checks_are_not_met_today(client, world):
    from ostsafe.prescribing.models import Prescription

    Prescription.objects.filter(pk=world.prescription.pk).update(regime="take_home", take_home_days=7)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("families:household", args=[world.household.pk])).content.decode()
    assert "Take-home checks not met" in page
    assert "whole-family risk assessment" in page.lower()


def test_the_caseload_tells_no_children_from_not_asked(client, world):
    family(world, "Zznotasked")
    said_none = family(world, "Zzsaidnone")
    said_none.children_answer = "none"
    said_none.save()
    said_yes = family(world, "Zzsaidyes")
    said_yes.children_answer = "living"
    said_yes.save()
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("families:caseload"), {"scope": "mine", "sort": "name"}).content.decode()
    rows = {
        name: page[page.index(name) : page.index(name) + 3000] for name in ("Zznotasked", "Zzsaidnone", "Zzsaidyes")
    }
    assert "Not asked yet" in rows["Zznotasked"].split("</tr>")[0]
    assert "Not asked yet" not in rows["Zzsaidnone"].split("</tr>")[0]
    assert "Said yes: add them" in rows["Zzsaidyes"].split("</tr>")[0]


def test_a_family_with_children_has_the_new_family_checklist_with_each_steps_status(client, world):
    from ostsafe.plans import services as plan_services

    plan_services.start_safety_plan(household=world.household, created_by=world.users["keyworker"], created_on=TODAY)
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("families:household", args=[world.household.pk]))
    steps = {step["title"]: step["status"] for step in response.context["checklist"]}
    assert list(steps) == [
        "Assess the whole family",
        "Visit the home and see where the medicine is kept",
        "Issue a safety box and give the leaflet",
        "Agree and sign the guidance agreement",
        "Ask about sharing with the health visitor or school nurse",
        "Write the safety plan, with dates",
    ]
    assert steps["Assess the whole family"] == "Not yet started"
    assert steps["Ask about sharing with the health visitor or school nurse"] == "Completed"  # the world has consent
    assert steps["Write the safety plan, with dates"] == "In progress"  # started, no action yet
    assert 'class="govuk-task-list"' in response.content.decode()


def test_a_family_without_children_has_no_checklist(client, world):
    household = HouseholdFactory(team=world.household.team)
    ServiceUserFactory(household=household, keyworker=world.users["keyworker"], children_answer="none")
    client.force_login(world.users["keyworker"])
    assert client.get(reverse("families:household", args=[household.pk])).context["checklist"] == []


def test_caseload_filters_children_on_a_plan_and_families_with_warning_signs(client, world):
    from ostsafe.curiosity.models import Flag
    from ostsafe.families.tests.factories import HouseholdFactory, ServiceUserFactory

    keyworker = world.users["keyworker"]
    other = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=keyworker)
    world.child.child_status = "child_protection_plan"
    world.child.save()
    client.force_login(keyworker)
    page = client.get(reverse("families:caseload"), {"children": "protected"}).content.decode()
    assert world.service_user.full_name in page and other.full_name not in page
    from ostsafe.curiosity.services import raise_by_hand
    from ostsafe.curiosity.signs import SIGNS

    raise_by_hand(household=other.household, sign_key=SIGNS[0].key, reason="Seen at the door", raised_by=keyworker)
    page = client.get(reverse("families:caseload"), {"signs": "raised"}).content.decode()
    assert other.full_name in page and world.service_user.full_name not in page
    assert Flag.objects.open().count() == 1
