"""The assessment as a GOV.UK task list: sections answered one page at a time, what the record holds beside the
questions it informs, and the risk level only when every required question is answered."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.assessments import selectors, services
from ostsafe.assessments.tests.test_assessments import safe_answers
from ostsafe.monitoring.models import Appointment

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def started(world):
    return services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=world.users["keyworker"]
    )


def test_task_list_shows_each_section_with_its_status_and_the_level_cannot_start_yet(client, world):
    assessment = started(world)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("assessments:answer", args=[world.household.pk, assessment.pk])).content.decode()
    assert "The child&#x27;s perspective and daily routine" in page
    assert page.count("Not yet started") >= 9 and "Cannot start yet" in page
    answers = {k: v for k, v in safe_answers().items() if k in {"child_routine_age_appropriate", "children_seen"}}
    services.save_answers(assessment=assessment, answers=answers, saved_by=world.users["keyworker"])
    page = client.get(reverse("assessments:answer", args=[world.household.pk, assessment.pk])).content.decode()
    assert "In progress" in page and "2 of 4 answered" in page


def test_a_section_saves_on_its_own_and_goes_to_the_next_unfinished_one(client, world):
    assessment = started(world)
    keyworker = world.users["keyworker"]
    client.force_login(keyworker)
    url = reverse("assessments:section", args=[world.household.pk, assessment.pk, "hopes_fears"])
    page = client.get(url).content.decode()
    assert "What are the parent&#x27;s hopes" in page and "Is debt a problem" not in page
    response = client.post(url, {"parent_hopes": "To stay well", "parent_fears": "Losing the children"})
    assert response.url == reverse("assessments:section", args=[world.household.pk, assessment.pk, "child"])
    assert services.answers_of(assessment) == {"parent_hopes": "To stay well", "parent_fears": "Losing the children"}
    assert "Answers saved" in client.get(response.url).content.decode()


def test_an_unknown_section_is_not_found(client, world):
    assessment = started(world)
    client.force_login(world.users["keyworker"])
    url = reverse("assessments:section", args=[world.household.pk, assessment.pk, "nonsense"])
    assert client.get(url).status_code == 404


def test_questions_show_what_the_record_holds_with_a_link(client, world):
    Appointment.objects.create(service_user=world.service_user, kind="keywork", on=TODAY, outcome="missed")
    assessment = started(world)
    client.force_login(world.users["keyworker"])
    url = reverse("assessments:section", args=[world.household.pk, assessment.pk, "compliance"])
    page = client.get(url).content.decode()
    assert "The record holds: 1 of 1 appointments missed in the last 12 weeks" in page
    assert f'href="{reverse("pharmacy:tab", args=[world.household.pk])}"' in page
    evidence = selectors.record_evidence(world.household, TODAY)
    assert evidence["children_seen"].text == "no home visit recorded yet"


def test_every_section_answered_opens_the_level(client, world):
    assessment = started(world)
    services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=world.users["keyworker"])
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("assessments:answer", args=[world.household.pk, assessment.pk])).content.decode()
    assert "Cannot start yet" not in page
    assert reverse("assessments:decide", args=[world.household.pk, assessment.pk]) in page
