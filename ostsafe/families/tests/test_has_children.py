"""Whether a family has children (the new-family checklist shows only then): the household overview answers it from
the household it has read already, and must give the same answer as the query every other page asks."""

import datetime

import pytest

from ostsafe.families import selectors
from ostsafe.families.models import ChildrenAnswer, MemberRole
from ostsafe.families.tests.factories import (
    AdultMemberFactory,
    ChildContactFactory,
    ChildFactory,
    HouseholdFactory,
    ServiceUserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAST_MONTH = TODAY - datetime.timedelta(days=30)


def nobody(household, service_user):
    pass


def a_child_living_here(household, service_user):
    ChildFactory(household=household)


def a_child_who_has_left(household, service_user):
    ChildFactory(household=household, end_date=LAST_MONTH)


def a_child_not_yet_arrived(household, service_user):
    ChildFactory(household=household, start_date=TODAY + datetime.timedelta(days=7))


def a_child_living_elsewhere(household, service_user):
    ChildFactory(household=household, lives_here=False)


def an_adult_only(household, service_user):
    AdultMemberFactory(household=household, role=MemberRole.PARTNER)


def a_child_seen_elsewhere(household, service_user):
    ChildContactFactory(service_user=service_user)


def a_child_seen_by_someone_discharged(household, service_user):
    service_user.discharged_on = LAST_MONTH
    service_user.save()
    ChildContactFactory(service_user=service_user)


def said_children_live_here(household, service_user):
    service_user.children_answer = ChildrenAnswer.LIVING
    service_user.save()


def said_no_children(household, service_user):
    service_user.children_answer = ChildrenAnswer.NONE
    service_user.save()


@pytest.mark.parametrize(
    "family, expected",
    [
        (nobody, False),
        (a_child_living_here, True),
        (a_child_who_has_left, False),
        (a_child_not_yet_arrived, False),
        (a_child_living_elsewhere, False),
        (an_adult_only, False),
        (a_child_seen_elsewhere, True),
        (a_child_seen_by_someone_discharged, False),
        (said_children_live_here, True),
        (said_no_children, False),
    ],
)
def test_the_overview_answers_has_children_as_the_query_does(family, expected, django_assert_num_queries):
    household = HouseholdFactory()
    family(household, ServiceUserFactory(household=household))
    read = selectors.household_for_page(household.pk)
    with django_assert_num_queries(0):
        answer = selectors.has_children_in(read, TODAY)
    assert answer == selectors.has_children(household, TODAY) == expected
