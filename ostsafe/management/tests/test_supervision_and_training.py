"""Case supervision (the guide's prompts, decisions that become tasks, a training need, when it is next due by risk
level) and training records (core training current, due or overdue; partners' multi-agency training)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.assessments import services as assessment_services
from ostsafe.assessments.tests.test_assessments import safe_answers
from ostsafe.audit.models import AccessEvent
from ostsafe.core.roles import Role
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import selectors, services
from ostsafe.management.models import CaseSupervision, TrainingKind, TrainingNeed, TrainingRecord
from ostsafe.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()

PROMPTS = {
    "discussed": "Mum says the box is always locked.",
    "evidence": "Storage seen once, three months ago; since then only claimed.",
    "disguised_compliance": "Attendance has jumped just before the review.",
    "childs_perspective": "The toddler is at home all day; the bottle was on the side last visit.",
    "decisions": "Unannounced visit within a week; ask the health visitor what she has seen.",
}


def supervise(world, **extra):
    return services.record_supervision(
        household=world.household,
        supervisor=world.users["manager"],
        practitioner=world.users["keyworker"],
        held_on=TODAY,
        **PROMPTS,
        **extra,
    )


def decide_level(world, level):
    """The family's whole-family assessment completed, with the practitioner's level."""
    keyworker = world.users["keyworker"]
    assessment = assessment_services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=keyworker
    )
    assessment_services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=keyworker)
    assessment_services.complete_assessment(
        assessment=assessment,
        practitioner_level=level,
        rationale="Seen at the visit: storage safe, children well" if level != "low" else "",
        completed_by=keyworker,
        completed_on=TODAY,
    )


def test_supervision_next_due_follows_the_familys_risk_level(world):
    assert supervise(world).next_due_on == TODAY + datetime.timedelta(days=28)  # not assessed: as high
    decide_level(world, "low")
    assert supervise(world).next_due_on == TODAY + datetime.timedelta(days=91)


def test_each_action_becomes_a_task_for_its_colleague_and_a_training_need_is_kept(world):
    action = services.SupervisionAction(
        "Unannounced home visit", world.users["keyworker"], TODAY + datetime.timedelta(days=7)
    )
    supervision = supervise(world, actions=[action], training_need="Hidden Harm refresher")
    task = Task.objects.get(rule="management.supervision_action")
    assert task.assignee == world.users["keyworker"] and task.title == "From supervision: Unannounced home visit"
    need = TrainingNeed.objects.get()
    assert need.person == world.users["keyworker"] and need.supervision == supervision
    assert AccessEvent.objects.filter(action="supervision.record", household_id=world.household.pk).exists()


def test_an_action_for_someone_outside_the_familys_service_saves_nothing(world):
    outsider = services.SupervisionAction("Visit", world.users["manager_other_service"], TODAY)
    with pytest.raises(ValidationError):
        supervise(world, actions=[outsider])
    assert (
        not CaseSupervision.objects.exists() and not Task.objects.filter(rule="management.supervision_action").exists()
    )
    with pytest.raises(ValidationError):
        services.record_supervision(
            household=world.household,
            supervisor=world.users["manager"],
            practitioner=world.users["pharmacist"],
            held_on=TODAY,
            **PROMPTS,
        )


def test_a_supervision_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.record_supervision(
            household=world.household,
            supervisor=world.users["manager"],
            practitioner=world.users["keyworker"],
            held_on=TODAY + datetime.timedelta(days=1),
            **PROMPTS,
        )
    assert "held_on" in error.value.message_dict


def test_the_form_records_a_supervision_with_an_action_and_asks_for_the_missing_parts(client, world):
    client.force_login(world.users["manager"])
    url = reverse("management:record_supervision", args=[world.household.pk])
    page = client.get(url).content.decode()
    assert f'value="{TODAY.day}"' in page  # the date opens on today
    assert f'<option value="{world.users["keyworker"].pk}" selected' in page  # the family's keyworker chosen
    data = {
        "held_on-day": TODAY.day,
        "held_on-month": TODAY.month,
        "held_on-year": TODAY.year,
        "practitioner": world.users["keyworker"].pk,
        **PROMPTS,
        "action_1": "Ask the health visitor",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Select who does action 1" in response.content.decode()
    assert not CaseSupervision.objects.exists()
    data |= {
        "action_1_assignee": world.users["keyworker"].pk,
        "action_1_due-day": TODAY.day,
        "action_1_due-month": TODAY.month,
        "action_1_due-year": TODAY.year,
    }
    assert client.post(url, data).status_code == 302
    assert CaseSupervision.objects.count() == 1
    tab = client.get(reverse("management:supervision", args=[world.household.pk])).content.decode()
    assert "Evidence, not optimism" in tab and PROMPTS["childs_perspective"].split(";")[0] in tab


def test_due_supervisions_list_highest_risk_first_never_supervised_as_due_now_in_constant_queries(client, world):
    supervise(world)
    decide_level(world, "low")
    su = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=world.users["keyworker"])
    ChildFactory(household=su.household)
    rows = list(selectors.supervision_due(world.users["manager"], TODAY))
    assert [h.pk for h in rows] == [su.household.pk, world.household.pk]  # not assessed before low
    assert rows[0].due_on is None and rows[1].due_on == TODAY + datetime.timedelta(days=28)
    client.force_login(world.users["manager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("management:supervision_due")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        other = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
        ChildFactory(household=other.household)
    assert count() == few
    event = AccessEvent.objects.filter(action="supervision.due").latest("pk")
    assert event.listed.count() == 7


def test_core_training_is_current_due_or_overdue_and_people_with_something_overdue_come_first(world):
    manager, keyworker = world.users["manager"], world.users["keyworker"]
    for kind in (TrainingKind.HIDDEN_HARM, TrainingKind.OST_AND_CHILDREN, TrainingKind.SAFEGUARDING_3):
        services.record_training(
            person=manager, kind=kind, course="Local course", completed_on=TODAY, recorded_by=manager
        )
    services.record_training(
        person=keyworker,
        kind=TrainingKind.HIDDEN_HARM,
        course="Hidden Harm",
        completed_on=TODAY - datetime.timedelta(days=400),
        expires_on=TODAY + datetime.timedelta(days=30),
        recorded_by=manager,
    )
    people = {p.person.pk: p for p in selectors.team_training(manager, TODAY)}
    assert people[manager.pk].worst == "current"
    states = {s.kind: s.state for s in people[keyworker.pk].required}
    assert states == {"hidden_harm": "due", "ost_and_children": "overdue", "safeguarding_3": "overdue"}
    assert selectors.team_training(manager, TODAY)[0].worst == "overdue"


def test_training_meets_a_need_and_partners_multi_agency_training_can_be_recorded(world):
    manager, keyworker = world.users["manager"], world.users["keyworker"]
    need = services.record_training_need(
        person=keyworker, need="Disguised compliance", identified_on=TODAY, identified_by=manager
    )
    services.record_training(
        person=keyworker, kind=TrainingKind.OTHER, course="NSPCC", completed_on=TODAY, recorded_by=manager, meets=need
    )
    need.refresh_from_db()
    assert need.met_by is not None
    health_visitor = world.users["health_visitor"]
    services.record_training(
        person=health_visitor, kind=TrainingKind.MULTI_AGENCY, course="LSCP", completed_on=TODAY, recorded_by=manager
    )
    with pytest.raises(ValidationError):
        services.record_training(
            person=health_visitor, kind=TrainingKind.HIDDEN_HARM, course="x", completed_on=TODAY, recorded_by=manager
        )
    with pytest.raises(ValidationError):
        services.record_training(
            person=world.users["manager_other_service"],
            kind=TrainingKind.HIDDEN_HARM,
            course="x",
            completed_on=TODAY,
            recorded_by=manager,
        )
    assert TrainingRecord.objects.count() == 2


def test_a_refresh_date_before_completion_is_refused_with_a_message(world):
    with pytest.raises(ValidationError) as error:
        services.record_training(
            person=world.users["keyworker"],
            kind=TrainingKind.HIDDEN_HARM,
            course="x",
            completed_on=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
            recorded_by=world.users["manager"],
        )
    assert "refresh date must be after" in str(error.value)


def test_the_training_form_offers_only_people_in_reach(client, world):
    client.force_login(world.users["manager"])
    page = client.get(reverse("management:record_training")).content.decode()
    assert world.users["keyworker"].full_name in page and world.users["health_visitor"].full_name in page
    assert world.users["manager_other_service"].full_name not in page
    response = client.post(
        reverse("management:record_training"),
        {
            "person": world.users["manager_other_service"].pk,
            "kind": "hidden_harm",
            "course": "x",
            "completed_on-day": TODAY.day,
            "completed_on-month": TODAY.month,
            "completed_on-year": TODAY.year,
        },
    )
    assert response.status_code == 200 and not TrainingRecord.objects.exists()


def test_supervisions_are_in_the_teams_chronology(client, world):
    supervise(world)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("sharing:chronology", args=[world.household.pk])).content.decode()
    assert f"Case supervision with {world.users['keyworker'].full_name}" in page


def test_an_action_due_years_ahead_is_refused_as_a_typing_slip(world):
    far = services.SupervisionAction("Visit", world.users["keyworker"], TODAY + datetime.timedelta(days=3 * 365))
    with pytest.raises(ValidationError):
        supervise(world, actions=[far])
    assert not CaseSupervision.objects.exists()


def test_the_training_page_takes_the_same_queries_however_many_practitioners(client, world):
    client.force_login(world.users["manager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("management:training")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(4):
        person = UserFactory(role=Role.KEYWORKER, organisation=world.users["manager"].organisation)
        services.record_training(
            person=person,
            kind=TrainingKind.HIDDEN_HARM,
            course="x",
            completed_on=TODAY,
            recorded_by=world.users["manager"],
        )
    assert count() == few
