"""Whether a family has children (the new-family checklist shows only then), and the children and take-home status
at the top of the page: the household overview answers them from the household it has read already, and must give
the same answers as the queries every other tab asks."""

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
from ostsafe.prescribing.models import Regime
from ostsafe.prescribing.selectors import take_home_summary
from ostsafe.prescribing.tests.factories import PrescriptionFactory

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


FAMILIES = [
    nobody,
    a_child_living_here,
    a_child_who_has_left,
    a_child_not_yet_arrived,
    a_child_living_elsewhere,
    an_adult_only,
    a_child_seen_elsewhere,
    a_child_seen_by_someone_discharged,
    said_children_live_here,
    said_no_children,
]


@pytest.mark.parametrize("family", FAMILIES)
def test_the_overview_gives_the_summary_at_the_top_as_every_other_tab_does(family):
    household = HouseholdFactory()
    service_user = ServiceUserFactory(household=household)
    PrescriptionFactory(service_user=service_user, regime=Regime.TAKE_HOME, take_home_days=7)
    other = ServiceUserFactory(household=household)
    PrescriptionFactory(service_user=other, regime=Regime.TAKE_HOME, take_home_days=3)
    ChildContactFactory(service_user=other, overnight_stays=True)
    family(household, service_user)
    read = selectors.household_for_page(household.pk)
    assert selectors.loaded_for_page(read) and not selectors.loaded_for_page(household)

    def status(rows):
        return [(r.service_user.pk, r.prescription.pk, r.checked, [c.key for c in r.unmet]) for r in rows]

    assert selectors.children_summary(read, TODAY) == selectors.children_summary(household, TODAY)
    assert status(take_home_summary(read, TODAY)) == status(take_home_summary(household, TODAY))
    assert take_home_summary(household, TODAY)  # the people are on take-home doses: there is a status to compare


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
