import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.audit.models import AccessEvent
from ostsafe.families.models import MemberRole
from ostsafe.families.tests.factories import (
    AdultMemberFactory,
    ChildContactFactory,
    ChildFactory,
    HouseholdFactory,
    InvolvementFactory,
    ServiceUserFactory,
)
from ostsafe.prescribing.models import Regime
from ostsafe.prescribing.tests.factories import PrescriptionFactory

pytestmark = pytest.mark.django_db


def make_families(team, keyworker, prescriber, n):
    """n households, each with what the caseload row shows: children, a contact, a lead, a prescription."""
    for i in range(n):
        household = HouseholdFactory(team=team)
        service_user = ServiceUserFactory(household=household, keyworker=keyworker)
        ChildFactory(household=household)
        ChildFactory(household=household)
        ChildContactFactory(service_user=service_user)
        InvolvementFactory(household=household, is_lead=True)
        if i % 2:
            PrescriptionFactory(service_user=service_user, prescriber=prescriber)
        else:
            PrescriptionFactory(service_user=service_user, prescriber=prescriber, regime="take_home", take_home_days=7)
        if i % 2:
            ServiceUserFactory(household=household, keyworker=keyworker)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


def test_caseload_query_count_does_not_grow_with_rows(client, world):
    keyworker, prescriber = world.users["keyworker"], world.users["prescriber"]
    client.force_login(keyworker)
    make_families(world.household.team, keyworker, prescriber, 3)
    few = count_queries(client, reverse("families:caseload"))
    make_families(world.household.team, keyworker, prescriber, 15)
    many = count_queries(client, reverse("families:caseload"))
    assert few == many
    # session, user, count, rows (ordered by what needs attention first, in SQL), 5 prefetches, one query per
    # registered caseload flag (home visit needed, team discussion needed, warning signs) and column (regime, risk,
    # next due), the take-home checks of those on take-home doses (children involved, one per check and policy),
    # the audit event and the families it names, savepoints
    assert many <= 29


def test_household_page_query_count_does_not_grow_with_members(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("families:household", args=[world.household.pk])
    few = count_queries(client, url)
    for _ in range(6):
        ChildFactory(household=world.household)
        AdultMemberFactory(household=world.household)
        InvolvementFactory(household=world.household)
        su = ServiceUserFactory(household=world.household)
        PrescriptionFactory(service_user=su, prescriber=world.users["prescriber"])
        ChildContactFactory(service_user=su)
    assert count_queries(client, url) == few


def test_caseload_row_shows_children_contacts_regime_and_lead(client, world):
    world.child.date_of_birth = datetime.date.today() - datetime.timedelta(days=365 * 3 + 10)
    world.child.save()
    world.involvement.is_lead = True
    world.involvement.save()
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("families:caseload")).content.decode()
    assert "1: 3 years" in html
    assert "1, with overnight stays" in html
    assert "Supervised consumption, daily" in html
    assert world.involvement.name in html


def test_a_caseload_row_changed_since_it_was_last_drawn_shows_as_it_is_now(client, world):
    # Caseload rows are kept once drawn for their values (ostsafe/core/templatetags/rows.py): never as they were.
    world.involvement.is_lead = True
    world.involvement.save()
    client.force_login(world.users["keyworker"])
    before = client.get(reverse("families:caseload")).content.decode()
    assert "1: " in before and world.involvement.name in before
    world.child.child_status = "child_protection_plan"
    world.child.save()
    ChildFactory(household=world.household, date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 9 + 30))
    world.involvement.is_lead = False
    world.involvement.save()
    world.service_user.given_name = "Renamed"
    world.service_user.save()
    after = client.get(reverse("families:caseload")).content.decode()
    assert "2: " in after and "9 years" in after and "Child protection plan" in after
    assert "Renamed" in after and world.involvement.name not in after and "Not set" in after


def test_caseload_search_by_name_and_nhs_number(client, world):
    other = ServiceUserFactory(
        household=HouseholdFactory(team=world.household.team), given_name="Zebedee", keyworker=world.users["keyworker"]
    )
    client.force_login(world.users["keyworker"])
    by_name = client.get(reverse("families:caseload"), {"q": "zebedee"}).content.decode()
    assert "Zebedee" in by_name and world.service_user.full_name not in by_name
    nhs = world.service_user.nhs_number
    by_number = client.get(reverse("families:caseload"), {"q": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"}).content.decode()
    assert world.service_user.full_name in by_number and other.full_name not in by_number


def test_caseload_filters_children_living_contact_only_and_other_ost_user(client, world):
    keyworker = world.users["keyworker"]
    alone = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=keyworker)
    contact_only = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=keyworker)
    ChildContactFactory(service_user=contact_only)
    partner = ServiceUserFactory(household=world.household, keyworker=keyworker)
    client.force_login(keyworker)

    def names(**params):
        html = client.get(reverse("families:caseload"), params).content.decode()
        return {su.full_name for su in (world.service_user, alone, contact_only, partner) if su.full_name in html}

    assert names(children="living") == {world.service_user.full_name, partner.full_name}
    assert names(children="contact") == {contact_only.full_name}
    assert names(children="none") == {alone.full_name}
    assert names(other_ost="yes") == {world.service_user.full_name, partner.full_name}


def test_caseload_filter_by_regime(client, world):
    take_home = ServiceUserFactory(
        household=HouseholdFactory(team=world.household.team), keyworker=world.users["keyworker"]
    )
    PrescriptionFactory(service_user=take_home, regime=Regime.TAKE_HOME, take_home_days=3)
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("families:caseload"), {"regime": "take_home"}).content.decode()
    assert take_home.full_name in html and world.service_user.full_name not in html


def test_my_caseload_shows_only_my_service_users_until_i_ask_for_everyone(client, world):
    colleague_client = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=None)
    client.force_login(world.users["keyworker"])
    mine = client.get(reverse("families:caseload")).content.decode()
    everyone = client.get(reverse("families:caseload"), {"scope": "all"}).content.decode()
    assert colleague_client.full_name not in mine
    assert colleague_client.full_name in everyone


def test_caseload_paginates_25_a_page(client, world):
    keyworker = world.users["keyworker"]
    for _ in range(30):
        ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=keyworker)
    client.force_login(keyworker)
    first = client.get(reverse("families:caseload"))
    second = client.get(reverse("families:caseload"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 6
    assert "Page 1 of 2" in first.content.decode()


def test_caseload_audits_one_event_naming_every_household_shown(client, world):
    keyworker = world.users["keyworker"]
    extra = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=keyworker)
    client.force_login(keyworker)
    client.get(reverse("families:caseload"))
    [event] = AccessEvent.objects.filter(user=keyworker, action="caseload.view")
    assert event.household_id is None and event.detail == "2 families shown"
    assert set(event.listed.values_list("household_id", flat=True)) == {world.household.pk, extra.household_id}


def test_household_page_shows_members_contacts_network_and_prescriptions(client, world):
    world.child.school_or_nursery = "Riverside Nursery"
    world.child.child_status = "child_protection_plan"
    world.child.save()
    unknown = AdultMemberFactory(
        household=world.household,
        role=MemberRole.UNKNOWN_ADULT,
        given_name="",
        family_name="",
        notes="Neighbour saw a man staying",
    )
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("families:household", args=[world.household.pk])).content.decode()
    for text in [
        "Riverside Nursery",
        "Child protection plan",
        "Unknown adult reported",
        unknown.notes,
        world.child_contact.given_name,
        world.involvement.name,
        "Methadone oral solution",
        world.adult.given_name,
        "moj-sub-navigation",
    ]:
        assert text in html, text


def test_partner_also_on_ost_is_linked_and_both_pages_say_so(client, world):
    from ostsafe.families import services

    partner = ServiceUserFactory(household=world.household, given_name="Tom")
    services.add_household_member(
        household=world.household,
        added_by=world.users["keyworker"],
        role=MemberRole.PARTNER,
        service_user=partner,
        lives_here=True,
    )
    client.force_login(world.users["keyworker"])
    first_page = client.get(reverse("families:service_user", args=[world.household.pk, world.service_user.pk]))
    partner_page = client.get(reverse("families:service_user", args=[world.household.pk, partner.pk]))
    household_page = client.get(reverse("families:household", args=[world.household.pk]))
    assert "Someone else in this home is also on OST" in first_page.content.decode()
    assert partner.full_name in first_page.content.decode()
    assert world.service_user.full_name in partner_page.content.decode()
    assert "Recorded in this household as partner" in partner_page.content.decode()
    assert "Also in treatment here" in household_page.content.decode()


def test_member_cannot_be_linked_to_a_service_user_of_another_household(world):
    from django.core.exceptions import ValidationError

    from ostsafe.families import services

    stranger = ServiceUserFactory()
    with pytest.raises(ValidationError) as error:
        services.add_household_member(
            household=world.household, added_by=world.users["keyworker"], role=MemberRole.PARTNER, service_user=stranger
        )
    assert "lives in another household" in str(error.value)


def test_keyworker_adds_a_child_and_sees_it_listed(client, world):
    client.force_login(world.users["keyworker"])
    born = datetime.date.today() - datetime.timedelta(days=400)
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "child"]),
        {
            "given_name": "Poppy",
            "family_name": "Hale",
            "child_status": "child_in_need",
            "school_or_nursery": "",
            "date_of_birth-day": born.day,
            "date_of_birth-month": born.month,
            "date_of_birth-year": born.year,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Poppy Hale" in page
    assert "Child in need" in page
    assert "13 months" in page
    assert AccessEvent.objects.filter(action="member.add", household_id=world.household.pk).exists()


def test_unborn_child_recorded_with_due_date(client, world):
    client.force_login(world.users["keyworker"])
    due = datetime.date.today() + datetime.timedelta(days=60)
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "child"]),
        {
            "child_status": "none",
            "expected_due_date-day": due.day,
            "expected_due_date-month": due.month,
            "expected_due_date-year": due.year,
        },
    )
    assert response.status_code == 302
    assert "Unborn (due" in client.get(response["Location"]).content.decode()


def test_names_with_apostrophes_are_shown_safely(client, world):
    world.service_user.family_name = "O'Brien <script>"
    world.service_user.save()
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("families:household", args=[world.household.pk])).content.decode()
    assert "O&#x27;Brien &lt;script&gt;" in html
