"""Working with the family as partners (guide, "Joint working" and "Seeing the child and whole family"): what the
family is doing well, on the plan; disagreements in each side's words, open on the plan and put to the next review
until settled, with how, what and who decided."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.audit.models import AccessEvent
from ostsafe.plans import services
from ostsafe.plans.chronology import plan_events as events
from ostsafe.plans.models import Disagreement, Strength

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def plan(world):
    return services.start_safety_plan(household=world.household, created_by=world.users["keyworker"], created_on=TODAY)


def disagree(world, plan, **fields):
    return services.record_disagreement(
        plan=plan,
        **{
            "about": "Whether the children can stay with their uncle at weekends",
            "whose_view": world.service_user.full_name,
            "family_view": "He's their uncle, he's always looked after them",
            "practitioner_view": "He is using heroin again; the children would be alone with it in the house",
            "raised_on": TODAY,
            "raised_by": world.users["keyworker"],
            **fields,
        },
    )


def settle(world, disagreement, **fields):
    return services.settle_disagreement(
        disagreement=disagreement,
        **{
            "negotiation": "Met with Mum and her sister; listened to why the weekends matter to her",
            "outcome": "The children stay with their aunt at weekends instead; reviewed in a month",
            "decision": "agreed",
            "decided_by": "Mum and the keyworker together",
            "resolved_on": TODAY,
            "resolved_by": world.users["keyworker"],
            **fields,
        },
    )


def test_what_the_family_does_well_is_on_the_plan_and_audited(client, world, plan):
    services.record_strength(
        plan=plan,
        what="The box has been locked at every visit since March",
        noticed_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("plans:plan", args=[world.household.pk])).content.decode()
    assert "The box has been locked at every visit since March" in page
    assert AccessEvent.objects.filter(action="plan.strength", household_id=world.household.pk).exists()


def test_a_strength_noticed_in_the_future_is_refused(world, plan):
    with pytest.raises(ValidationError):
        services.record_strength(
            plan=plan, what="x", noticed_on=TODAY + datetime.timedelta(days=1), recorded_by=world.users["keyworker"]
        )
    assert not Strength.objects.exists()


def test_an_open_disagreement_shows_on_the_plan_and_at_the_next_review(client, world, plan):
    disagreement = disagree(world, plan)
    client.force_login(world.users["keyworker"])
    tab = client.get(reverse("plans:plan", args=[world.household.pk])).content.decode()
    assert "He&#x27;s their uncle" in tab and "Open since" in tab
    review = client.get(reverse("plans:review", args=[world.household.pk])).content.decode()
    assert "disagreement with the family still open" in review
    assert reverse("plans:disagreement_settle", args=[world.household.pk, disagreement.pk]) in review


def test_settling_says_how_what_and_who_and_then_it_is_no_longer_put_to_the_review(client, world, plan):
    disagreement = settle(world, disagree(world, plan))
    assert not disagreement.is_open and disagreement.decision == "agreed"
    client.force_login(world.users["keyworker"])
    review = client.get(reverse("plans:review", args=[world.household.pk])).content.decode()
    assert "still open" not in review
    tab = client.get(reverse("plans:plan", args=[world.household.pk])).content.decode()
    assert "The children stay with their aunt at weekends instead" in tab and "Mum and the keyworker together" in tab


@pytest.mark.parametrize("missing", ["negotiation", "outcome", "decision", "decided_by"])
def test_a_disagreement_is_not_settled_without_how_what_and_who(world, plan, missing):
    disagreement = disagree(world, plan)
    with pytest.raises(ValidationError) as error:
        settle(world, disagreement, **{missing: ""})
    assert missing in error.value.message_dict
    disagreement.refresh_from_db()
    assert disagreement.is_open


def test_a_disagreement_cannot_be_settled_before_it_was_raised_or_twice(world, plan):
    disagreement = disagree(world, plan, raised_on=TODAY - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        settle(world, disagreement, resolved_on=TODAY - datetime.timedelta(days=3))
    settle(world, disagreement)
    with pytest.raises(ValidationError):
        settle(world, disagreement)


def test_the_disagreement_form_offers_the_adults_living_with_the_child(client, world, plan):
    client.force_login(world.users["keyworker"])
    form = client.get(reverse("plans:disagreement_add", args=[world.household.pk])).content.decode()
    assert world.service_user.full_name in form
    response = client.post(
        reverse("plans:disagreement_add", args=[world.household.pk]),
        {
            "about": "Bedtimes",
            "whose_view": "Someone who is not in the family",
            "family_view": "x",
            "practitioner_view": "y",
            "raised_on-day": TODAY.day,
            "raised_on-month": TODAY.month,
            "raised_on-year": TODAY.year,
        },
    )
    assert response.status_code == 200 and not Disagreement.objects.exists()


def test_the_chronology_has_strengths_and_disagreements_raised_and_settled(world, plan):
    services.record_strength(
        plan=plan, what="Came to every appointment", noticed_on=TODAY, recorded_by=world.users["keyworker"]
    )
    settle(world, disagree(world, plan))
    titles = [e.title for e in events(world.household, None, None)]
    assert "Doing well: Came to every appointment" in titles
    assert any(t.startswith("Disagreement with") for t in titles)
    assert any(t.startswith("Disagreement settled (agreed together)") for t in titles)


def test_a_disagreement_of_another_family_is_not_found_here(client, world, plan):
    from ostsafe.families.tests.factories import HouseholdFactory

    other = HouseholdFactory(team=world.household.team)
    other_plan = services.start_safety_plan(household=other, created_by=world.users["keyworker"], created_on=TODAY)
    theirs = disagree(world, other_plan)
    client.force_login(world.users["keyworker"])
    url = reverse("plans:disagreement_settle", args=[world.household.pk, theirs.pk])
    assert client.get(url).status_code == 404


def test_an_empty_disagreement_form_says_what_is_missing_in_words(client, world, plan):
    client.force_login(world.users["keyworker"])
    page = client.post(reverse("plans:disagreement_add", args=[world.household.pk]), {}).content.decode()
    assert "Choose who in the family disagrees" in page and "Enter what you disagree about" in page
    assert "This field is required" not in page
    assert not Disagreement.objects.exists()
