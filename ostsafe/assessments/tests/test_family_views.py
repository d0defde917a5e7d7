"""The family's voice (guide, "Seeing the child and whole family"): the views of each adult living with the child on
family life and what would improve it, and the parents' hopes and fears, in their words, attributed and dated, shown
beside the professional's view at the assessment or review they were given at."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.assessments import services
from ostsafe.assessments.models import FamilyView
from ostsafe.assessments.tests.test_assessments import safe_answers
from ostsafe.audit.models import AccessEvent
from ostsafe.families.tests.factories import AdultMemberFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.plans import services as plan_services

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def completed_assessment(world):
    keyworker = world.users["keyworker"]
    assessment = services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=keyworker
    )
    services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=keyworker)
    services.complete_assessment(
        assessment=assessment,
        practitioner_level="medium",
        rationale="Storage seen and safe, but Dad's drinking worries the school",
        completed_by=keyworker,
        completed_on=TODAY,
    )
    return assessment


def views(world, **fields):
    return services.record_family_view(
        household=world.household,
        **{
            "adult_key": f"su:{world.service_user.pk}",
            "occasion": "visit",
            "family_life": "Mornings are hard; weekends with my mum are good",
            "what_would_help": "Help getting the kids to school on pharmacy days",
            "hopes": "To come off the script by the summer",
            "fears": "That they'll take the kids",
            "said_on": TODAY,
            "recorded_by": world.users["keyworker"],
            **fields,
        },
    )


def test_views_at_an_assessment_are_shown_beside_the_practitioners_view(client, world):
    assessment = completed_assessment(world)
    views(world, occasion="assessment", assessment=assessment)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("assessments:detail", args=[world.household.pk, assessment.pk])).content.decode()
    beside = page.split('id="views"')[1]
    assert "Dad&#x27;s drinking worries the school" in beside  # the practitioner's view
    assert "Mornings are hard" in beside and "That they&#x27;ll take the kids" in beside  # the family's, in their words
    assert world.service_user.full_name in beside
    assert AccessEvent.objects.filter(action="assessment.family_view", household_id=world.household.pk).exists()


def test_every_adult_living_with_the_child_can_give_their_views(world):
    partner = AdultMemberFactory(household=world.household, given_name="Lee", family_name="Harper")
    view = views(world, adult_key=f"member:{partner.pk}")
    assert view.whose == "Lee Harper" and view.member == partner and view.service_user is None


def test_someone_who_does_not_live_with_the_child_is_refused(world):
    elsewhere = AdultMemberFactory(household=world.household, lives_here=False)
    stranger = ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
    for key in (f"member:{elsewhere.pk}", f"su:{stranger.pk}", "su:not-a-number"):
        with pytest.raises(ValidationError):
            views(world, adult_key=key)
    assert not FamilyView.objects.exists()


def test_an_assessment_or_review_of_another_family_cannot_be_named(client, world):
    other = HouseholdFactory(team=world.household.team)
    theirs = services.start_assessment(
        household=other, service_user=ServiceUserFactory(household=other), started_by=world.users["keyworker"]
    )
    with pytest.raises(ValidationError):
        views(world, occasion="assessment", assessment=theirs)
    client.force_login(world.users["keyworker"])
    url = reverse("assessments:family_view_add", args=[world.household.pk])
    assert client.get(url, {"assessment": theirs.pk}).status_code == 404
    assert client.get(url, {"review": "99999999"}).status_code == 404
    assert client.get(url, {"assessment": "'; drop table"}).status_code == 404


def test_a_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        views(world, said_on=TODAY + datetime.timedelta(days=1))


def test_views_at_a_review_are_shown_with_the_review_on_the_plan(client, world):
    keyworker = world.users["keyworker"]
    plan = plan_services.start_safety_plan(household=world.household, created_by=keyworker, created_on=TODAY)
    review = plan_services.review_plan(
        plan=plan, reviewed_by=keyworker, reviewed_on=TODAY, understood_and_agreed=True, notes="Box in use", progress={}
    )
    client.force_login(keyworker)
    url = reverse("assessments:family_view_add", args=[world.household.pk])
    response = client.post(
        f"{url}?review={review.pk}",
        {
            "adult_key": f"su:{world.service_user.pk}",
            "family_life": "Calmer since the box",
            "what_would_help": "A lock for the bathroom cabinet too",
            "said_on-day": TODAY.day,
            "said_on-month": TODAY.month,
            "said_on-year": TODAY.year,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[world.household.pk])
    view = FamilyView.objects.get()
    assert view.review == review and view.occasion == "review"
    tab = client.get(reverse("plans:plan", args=[world.household.pk])).content.decode()
    assert "Calmer since the box" in tab and "A lock for the bathroom cabinet too" in tab


def test_views_at_a_meeting_or_visit_ask_when(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("assessments:family_view_add", args=[world.household.pk])
    form = client.get(url).content.decode()
    assert "When did they say it?" in form
    client.post(
        url,
        {
            "adult_key": f"su:{world.service_user.pk}",
            "occasion": "meeting",
            "family_life": "Fine",
            "what_would_help": "Nothing",
            "said_on-day": TODAY.day,
            "said_on-month": TODAY.month,
            "said_on-year": TODAY.year,
        },
    )
    assert FamilyView.objects.get().occasion == "meeting"
