"""Family members supported in their own right (guide, "Seeing the child and whole family"): their own needs, where
they were signposted or referred (from the local directory, with their agreement for a referral), a task to find out
what came of it, and the outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.audit.models import AccessEvent
from ostsafe.carers import selectors, services
from ostsafe.carers.models import Carer, SupportOffer
from ostsafe.core.kept_pages import forget_family_parts
from ostsafe.directory.models import ServiceKind
from ostsafe.directory.tests.factories import LocalServiceFactory
from ostsafe.families.models import MemberRole
from ostsafe.families.tests.factories import AdultMemberFactory, HouseholdFactory
from ostsafe.management import selectors as management
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def grandmother(world, **fields):
    return AdultMemberFactory(
        household=world.household,
        **{
            "role": MemberRole.EXTENDED_FAMILY,
            "given_name": "Maureen",
            "family_name": "Hughes",
            "lives_here": False,
            **fields,
        },
    )


def record(world, member=None):
    return services.record_carer(
        household=world.household,
        member=member or grandmother(world),
        cares_for="Has the children after school",
        support_needs="Worried about her daughter; would like other grandparents to talk to",
        identified_on=TODAY,
        recorded_by=world.users["keyworker"],
    )


def test_a_family_member_is_recorded_with_their_own_support_needs_and_it_is_audited(world):
    carer = record(world)
    assert carer.member.given_name == "Maureen" and carer.household == world.household
    assert AccessEvent.objects.filter(action="carers.record", household_id=world.household.pk).exists()


def test_the_person_in_treatment_is_not_recorded_as_a_family_member_needing_support(world):
    member = world.household.members.create(role=MemberRole.PARTNER, service_user=world.service_user)
    with pytest.raises(ValidationError) as error:
        record(world, member)
    assert "in treatment here" in str(error.value)


def test_someone_of_another_family_cannot_be_recorded_here(world):
    stranger = AdultMemberFactory(household=HouseholdFactory(team=world.household.team))
    with pytest.raises(ValidationError):
        record(world, stranger)
    assert not Carer.objects.exists()


def test_a_referral_needs_their_agreement_and_nothing_is_saved_without_it(world):
    carer = record(world)
    service = LocalServiceFactory()
    with pytest.raises(ValidationError) as error:
        services.offer_support(
            carer=carer, service=service, kind="referred", offered_on=TODAY, offered_by=world.users["keyworker"]
        )
    assert "agreement" in str(error.value)
    assert not SupportOffer.objects.exists() and not Task.objects.filter(rule=services.FOLLOW_UP_RULE).exists()


def test_only_a_current_support_service_can_be_chosen(world):
    carer = record(world)
    board = LocalServiceFactory(kind=ServiceKind.HEALTH_AND_WELLBEING_BOARD)
    closed = LocalServiceFactory(retired_on=TODAY)
    for service in (board, closed):
        with pytest.raises(ValidationError):
            services.offer_support(
                carer=carer, service=service, kind="signposted", offered_on=TODAY, offered_by=world.users["keyworker"]
            )
    assert not SupportOffer.objects.exists()


def test_signposting_gives_the_keyworker_a_task_to_ask_how_it_went_and_the_outcome_closes_it(world):
    carer = record(world)
    service = LocalServiceFactory(name="Acorn Family Support")
    offer = services.offer_support(
        carer=carer, service=service, kind="signposted", offered_on=TODAY, offered_by=world.users["keyworker"]
    )
    task = Task.objects.get(rule=services.FOLLOW_UP_RULE)
    assert task.assignee == world.users["keyworker"] and task.due_on == TODAY + datetime.timedelta(days=28)
    assert "Maureen Hughes" in task.title and "Acorn Family Support" in task.title
    services.record_support_outcome(
        offer=offer,
        outcome="taken_up",
        outcome_on=TODAY,
        note="Goes to the group",
        recorded_by=world.users["keyworker"],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    with pytest.raises(ValidationError):  # recorded once
        services.record_support_outcome(
            offer=offer, outcome="declined", outcome_on=TODAY, recorded_by=world.users["keyworker"]
        )


def test_an_outcome_before_the_offer_or_in_the_future_is_refused(world):
    carer = record(world)
    offer = services.offer_support(
        carer=carer,
        service=LocalServiceFactory(),
        kind="signposted",
        offered_on=TODAY - datetime.timedelta(days=3),
        offered_by=world.users["keyworker"],
    )
    for when in (TODAY - datetime.timedelta(days=4), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.record_support_outcome(
                offer=offer, outcome="declined", outcome_on=when, recorded_by=world.users["keyworker"]
            )
    offer.refresh_from_db()
    assert offer.is_waiting


def test_the_tab_offers_to_record_the_named_family_members_not_in_treatment(client, world):
    grandmother(world)
    unknown = world.household.members.create(role=MemberRole.UNKNOWN_ADULT)
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("carers:tab", args=[world.household.pk])).content.decode()
    assert reverse("carers:record", args=[world.household.pk, world.adult.pk]) in page
    assert "Maureen Hughes" in page
    assert reverse("carers:record", args=[world.household.pk, unknown.pk]) not in page


def test_the_keyworker_records_needs_signposts_and_the_outcome_through_the_pages(client, world):
    member = grandmother(world)
    service = LocalServiceFactory(name="Acorn Family Support")
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("carers:record", args=[world.household.pk, member.pk]),
        {
            "cares_for": "School runs",
            "support_needs": "Someone to talk to",
            "identified_on-day": TODAY.day,
            "identified_on-month": TODAY.month,
            "identified_on-year": TODAY.year,
        },
    )
    assert response.status_code == 302
    carer = Carer.objects.get(member=member)
    form = client.get(reverse("carers:offer", args=[world.household.pk, carer.pk])).content.decode()
    assert f'value="{service.pk}" selected' in form  # the only support service, chosen already
    client.post(
        reverse("carers:offer", args=[world.household.pk, carer.pk]),
        {
            "service": service.pk,
            "kind": "referred",
            "agreed": "on",
            "offered_on-day": TODAY.day,
            "offered_on-month": TODAY.month,
            "offered_on-year": TODAY.year,
        },
    )
    offer = SupportOffer.objects.get()
    assert offer.kind == "referred" and offer.agreed
    client.post(
        reverse("carers:outcome", args=[world.household.pk, offer.pk]),
        {
            "outcome": "taken_up",
            "outcome_on-day": TODAY.day,
            "outcome_on-month": TODAY.month,
            "outcome_on-year": TODAY.year,
            "outcome_note": "Weekly group",
        },
    )
    offer.refresh_from_db()
    assert offer.outcome == "taken_up"
    page = client.get(reverse("carers:tab", args=[world.household.pk])).content.decode()
    assert "Taking up support" in page and "Weekly group" in page


def test_an_offer_of_another_family_is_not_found_here(client, world):
    other = HouseholdFactory(team=world.household.team)
    stranger = AdultMemberFactory(household=other)
    carer = services.record_carer(
        household=other,
        member=stranger,
        cares_for="x",
        support_needs="x",
        identified_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    client.force_login(world.users["keyworker"])
    assert client.get(reverse("carers:offer", args=[world.household.pk, carer.pk])).status_code == 404
    assert client.get(reverse("carers:record", args=[world.household.pk, stranger.pk])).status_code == 404


def test_the_tab_reads_in_the_same_queries_however_many_family_members(client, world):
    client.force_login(world.users["keyworker"])
    service = LocalServiceFactory()

    def add_one(n):
        carer = record(world, grandmother(world, given_name=f"Gran{n}"))
        services.offer_support(
            carer=carer, service=service, kind="signposted", offered_on=TODAY, offered_by=world.users["keyworker"]
        )

    add_one(0)
    url = reverse("carers:tab", args=[world.household.pk])
    client.get(url)
    # Each measured with nothing kept for the family (core.kept_pages), as after any change to it: the tab's own reads.
    forget_family_parts()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 5):
        add_one(n)
    forget_family_parts()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_managers_count_of_services_includes_family_members_signposted(world):
    carer = record(world)
    service = LocalServiceFactory(name="Acorn Family Support")
    services.offer_support(
        carer=carer, service=service, kind="signposted", offered_on=TODAY, offered_by=world.users["keyworker"]
    )
    rows = {row.service.name: row for row in management.services_in_use(world.users["manager"], TODAY)}
    assert rows["Acorn Family Support"].family_members == 1 and rows["Acorn Family Support"].contacted


def test_the_chronology_shows_needs_offers_and_outcomes(world):
    from ostsafe.carers.chronology import events

    carer = record(world)
    offer = services.offer_support(
        carer=carer,
        service=LocalServiceFactory(name="Acorn Family Support"),
        kind="signposted",
        offered_on=TODAY,
        offered_by=world.users["keyworker"],
    )
    services.record_support_outcome(
        offer=offer, outcome="declined", outcome_on=TODAY, recorded_by=world.users["keyworker"]
    )
    titles = [e.title for e in events(world.household, None, None)]
    assert "Maureen Hughes's own support needs recorded" in titles
    assert "Maureen Hughes signposted to Acorn Family Support" in titles
    assert "Maureen Hughes, Acorn Family Support: decided not to" in titles
    assert selectors.carers_of(world.household).count() == 1


def test_a_referral_without_agreement_is_explained_on_the_form(client, world):
    carer = record(world)
    service = LocalServiceFactory()
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("carers:offer", args=[world.household.pk, carer.pk]),
        {
            "service": service.pk,
            "kind": "referred",
            "offered_on-day": TODAY.day,
            "offered_on-month": TODAY.month,
            "offered_on-year": TODAY.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Refer them only with their agreement" in page
    assert "Constraint" not in page
    assert not SupportOffer.objects.exists()
