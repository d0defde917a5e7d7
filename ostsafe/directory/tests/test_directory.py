"""The local map of services (guide, "Managing practice": "identify all relevant strategic groups and operational
services"): kept by managers, read by everyone, picked from by the professional network and referrals, and a
manager sees which services the families work with and which they never contact."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.accounts.tests.factories import TeamFactory
from ostsafe.audit.models import AccessEvent
from ostsafe.directory import services
from ostsafe.directory.models import LocalService, ServiceKind
from ostsafe.families import services as family_services
from ostsafe.families.models import Involvement
from ostsafe.families.tests.factories import HouseholdFactory, InvolvementFactory
from ostsafe.management import selectors as management
from ostsafe.sharing import services as sharing
from ostsafe.sharing.models import Referral

from .factories import FrontDoorFactory, LocalServiceFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def entry(**fields):
    return {
        "name": "Rainbow Family Centre",
        "kind": ServiceKind.FAMILY_SUPPORT,
        "what_they_do": "Parenting groups and one-to-one support for carers",
        "phone": "01632 960 555",
        **fields,
    }


def test_a_manager_adds_a_service_and_the_change_is_audited(world):
    manager = world.users["manager"]
    service = services.add_local_service(added_by=manager, **entry(link_name="Priya Shah", link_role="Centre lead"))
    assert service.updated_by == manager and service.updated_on == TODAY and service.is_current
    assert AccessEvent.objects.filter(user=manager, action="directory.change", detail=f"added {service.pk}").exists()


def test_a_service_needs_a_way_to_reach_it(world):
    with pytest.raises(ValidationError) as error:
        services.add_local_service(added_by=world.users["manager"], **entry(phone=""))
    assert "at least one way to reach them" in str(error.value)
    assert not LocalService.objects.exists()


def test_the_front_door_needs_its_referral_route_hours_and_out_of_hours(world):
    with pytest.raises(ValidationError) as error:
        services.add_local_service(added_by=world.users["manager"], **entry(kind=ServiceKind.FRONT_DOOR))
    assert set(error.value.message_dict) == {"referral_route", "hours", "out_of_hours"}


def test_the_same_name_of_the_same_kind_is_refused_whatever_its_case(world):
    services.add_local_service(added_by=world.users["manager"], **entry())
    with pytest.raises(ValidationError):
        services.add_local_service(added_by=world.users["manager"], **entry(name="RAINBOW family centre"))
    assert LocalService.objects.count() == 1


def test_only_a_strategic_group_is_a_subgroup_and_of_a_strategic_group(world):
    manager = world.users["manager"]
    partnership = services.add_local_service(
        added_by=manager,
        **entry(name="Safeguarding Children Partnership", kind=ServiceKind.SAFEGUARDING_PARTNERSHIP),
    )
    subgroup = services.add_local_service(
        added_by=manager,
        **entry(name="Neglect subgroup", kind=ServiceKind.PARTNERSHIP_SUBGROUP, part_of=partnership),
    )
    assert list(partnership.subgroups.all()) == [subgroup]
    with pytest.raises(ValidationError) as error:
        services.add_local_service(added_by=manager, **entry(part_of=partnership))
    assert "Only a strategic group" in str(error.value)
    with pytest.raises(ValidationError):
        services.change_local_service(service=partnership, changed_by=manager, part_of=partnership)


def test_a_group_whose_subgroups_still_run_cannot_be_retired(world):
    manager = world.users["manager"]
    partnership = LocalServiceFactory(kind=ServiceKind.SAFEGUARDING_PARTNERSHIP)
    LocalServiceFactory(kind=ServiceKind.PARTNERSHIP_SUBGROUP, part_of=partnership)
    with pytest.raises(ValidationError) as error:
        services.retire_local_service(service=partnership, retired_by=manager, retired_on=TODAY)
    assert "subgroups still run" in str(error.value)


def test_a_retirement_date_in_the_future_is_refused(client, world):
    service = LocalServiceFactory()
    client.force_login(world.users["manager"])
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(
        reverse("directory:retire", args=[service.pk]),
        {"retired_on-day": tomorrow.day, "retired_on-month": tomorrow.month, "retired_on-year": tomorrow.year},
    )
    assert response.status_code == 200 and "today or in the past" in response.content.decode()
    service.refresh_from_db()
    assert service.is_current


def test_the_manager_keeps_the_directory_through_its_pages(client, world):
    client.force_login(world.users["manager"])
    form = client.get(reverse("directory:add"))
    assert form.status_code == 200
    response = client.post(
        reverse("directory:add"),
        {
            "name": "Northfield Front Door",
            "kind": ServiceKind.FRONT_DOOR,
            "what_they_do": "All referrals about a child's safety",
            "phone": "01632 960 100",
            "referral_route": "Phone, then the online form within a day",
            "hours": "Monday to Friday 9 to 5",
            "out_of_hours": "Emergency duty team 01632 960 999",
        },
    )
    service = LocalService.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("directory:service", args=[service.pk])
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "Phone, then the online form within a day" in page and "Emergency duty team" in page
    client.post(
        reverse("directory:change", args=[service.pk]),
        {
            "name": "Northfield Front Door",
            "kind": ServiceKind.FRONT_DOOR,
            "what_they_do": "All referrals about a child's safety",
            "phone": "01632 960 100",
            "referral_route": "Phone, then the online form within a day",
            "hours": "Every day 8 to 8",
            "out_of_hours": "Emergency duty team 01632 960 999",
            "link_name": "Sam Okafor",
        },
    )
    service.refresh_from_db()
    assert service.hours == "Every day 8 to 8" and service.link_name == "Sam Okafor"
    client.post(
        reverse("directory:retire", args=[service.pk]),
        {"retired_on-day": TODAY.day, "retired_on-month": TODAY.month, "retired_on-year": TODAY.year},
    )
    service.refresh_from_db()
    assert service.retired_on == TODAY
    listing = client.get(reverse("directory:directory")).content.decode()
    assert "Northfield Front Door" not in listing  # retired: offered no more


def test_everyone_reads_the_directory_and_searches_it(client, world):
    LocalServiceFactory(name="Rainbow Family Centre", area="Northfield")
    LocalServiceFactory(name="Harbour Needle Exchange", kind=ServiceKind.NEEDLE_EXCHANGE)
    client.force_login(world.users["health_visitor"])
    page = client.get(reverse("directory:directory"), {"q": "northfield"}).content.decode()
    assert "Rainbow Family Centre" in page and "Harbour Needle Exchange" not in page
    assert "Add a service or group" not in page  # reading, not keeping


def test_the_directory_reads_in_the_same_queries_however_long(client, world):
    client.force_login(world.users["keyworker"])
    LocalServiceFactory.create_batch(3)
    client.get(reverse("directory:directory"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("directory:directory"))
    LocalServiceFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("directory:directory"))
    assert len(many) == len(few)


def test_a_network_entry_from_the_directory_fills_in_the_organisation_phone_and_email(world):
    service = LocalServiceFactory(name="Rainbow Family Centre", phone="01632 960 555", email="hello@rainbow.example")
    involvement = family_services.add_involvement(
        household=world.household,
        added_by=world.users["keyworker"],
        name="Dee Morgan",
        service=service,
        role_in_family="Family support worker for the grandmother",
    )
    assert involvement.organisation_name == "Rainbow Family Centre"
    assert (involvement.phone, involvement.email) == ("01632 960 555", "hello@rainbow.example")


def test_what_the_practitioner_typed_is_kept_over_the_directorys_details(world):
    service = LocalServiceFactory(phone="01632 960 555")
    involvement = family_services.add_involvement(
        household=world.household,
        added_by=world.users["keyworker"],
        name="Dee Morgan",
        service=service,
        phone="07700 900 123",
        role_in_family="Family support worker",
    )
    assert involvement.phone == "07700 900 123"


def test_a_service_that_no_longer_runs_is_not_offered_and_cannot_be_newly_chosen(client, world):
    retired = LocalServiceFactory(name="Closed Family Centre", retired_on=TODAY)
    client.force_login(world.users["keyworker"])
    form = client.get(reverse("families:involvement_add", args=[world.household.pk])).content.decode()
    assert "Closed Family Centre" not in form
    with pytest.raises(ValidationError):
        family_services.add_involvement(
            household=world.household,
            added_by=world.users["keyworker"],
            name="Dee Morgan",
            service=retired,
            role_in_family="Family support worker",
        )
    assert not Involvement.objects.filter(service=retired).exists()


def test_the_network_api_refuses_a_strategic_group_as_someones_service(client, world):
    group = LocalServiceFactory(kind=ServiceKind.HEALTH_AND_WELLBEING_BOARD)
    client.force_login(world.users["keyworker"])
    response = client.post(
        "/api/network/",
        {"household": world.household.pk, "name": "Dee", "service": group.pk, "role_in_family": "Board member"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "service" in response.json()


def test_the_referral_form_offers_the_front_door_with_its_route_and_hours(client, world):
    door = FrontDoorFactory(name="Northfield Front Door")
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("sharing:referral_add", args=[world.household.pk])).content.decode()
    assert f'value="{door.pk}" selected' in page  # the only one, chosen already
    assert door.referral_route in page and door.hours in page and door.out_of_hours in page


def test_a_referral_to_the_directorys_front_door_records_its_name(world):
    door = FrontDoorFactory(name="Northfield Front Door")
    referral = sharing.record_referral(
        household=world.household,
        children=[world.child],
        made_by=world.users["keyworker"],
        made_on=TODAY,
        service=door,
        concerns="Methadone bottle found open in the child's bedroom",
        how_concerns_arose="Seen at a home visit",
        first_hand="The open bottle",
        parents_know=True,
        whereabouts="At home with grandmother",
        referrer_contact="01632 960 000",
    )
    assert referral.sent_to == "Northfield Front Door" and referral.service == door


def test_a_referral_needs_the_front_door_or_who_it_goes_to(world):
    with pytest.raises(ValidationError) as error:
        sharing.record_referral(
            household=world.household,
            children=[world.child],
            made_by=world.users["keyworker"],
            made_on=TODAY,
            concerns="x",
            how_concerns_arose="x",
            first_hand="x",
            parents_know=True,
            whereabouts="x",
            referrer_contact="x",
        )
    assert "sent_to" in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_manager_sees_which_services_the_families_work_with_and_which_they_never_contact(client, world):
    rainbow = LocalServiceFactory(name="Rainbow Family Centre")
    harbour = LocalServiceFactory(name="Harbour Needle Exchange", kind=ServiceKind.NEEDLE_EXCHANGE)
    group = LocalServiceFactory(name="Health and Wellbeing Board", kind=ServiceKind.HEALTH_AND_WELLBEING_BOARD)
    InvolvementFactory(household=world.household, service=rainbow, organisation_name="Rainbow Family Centre")
    # Another service's family with the needle exchange in its network: not this manager's to count.
    other = HouseholdFactory(team=TeamFactory(organisation=world.users["manager_other_service"].organisation))
    InvolvementFactory(household=other, service=harbour, organisation_name="Harbour Needle Exchange")
    rows = {row.service.name: row for row in management.services_in_use(world.users["manager"], TODAY)}
    assert rows["Rainbow Family Centre"].families == 1 and rows["Rainbow Family Centre"].contacted
    assert not rows["Harbour Needle Exchange"].contacted
    assert group.name not in rows  # strategic groups are not contacted about families
    client.force_login(world.users["manager"])
    page = client.get(reverse("management:services_in_use")).content.decode()
    never = page.split('id="never"')[1]
    assert "Harbour Needle Exchange" in never and "Rainbow Family Centre" not in never
    assert AccessEvent.objects.filter(user=world.users["manager"], action="directory.used").exists()


def test_a_partner_system_reads_the_directory_through_the_api(client, world):
    door = FrontDoorFactory(name="Northfield Front Door")
    LocalServiceFactory(name="Closed Centre", retired_on=TODAY)
    client.force_login(world.users["social_worker"])
    listing = client.get("/api/local-services/").json()
    assert [row["name"] for row in listing["results"]] == ["Northfield Front Door"]
    detail = client.get(f"/api/local-services/{door.pk}/").json()
    assert detail["kind_label"] == "Children's social care front door" and detail["out_of_hours"]
    everything = client.get("/api/local-services/", {"include_retired": "true"}).json()
    assert {row["name"] for row in everything["results"]} == {"Northfield Front Door", "Closed Centre"}


def test_a_duplicate_name_is_explained_on_the_form(client, world):
    LocalServiceFactory(name="Rainbow Family Centre")
    client.force_login(world.users["manager"])
    response = client.post(reverse("directory:add"), entry(name="rainbow family centre"))
    assert response.status_code == 200
    assert "already has a service of this kind with this name" in response.content.decode()
    assert LocalService.objects.count() == 1


def test_the_managers_services_page_reads_in_the_same_queries_however_many_services(client, world):
    client.force_login(world.users["manager"])
    LocalServiceFactory.create_batch(2)
    url = reverse("management:services_in_use")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for service in LocalServiceFactory.create_batch(15):
        InvolvementFactory(household=world.household, service=service, organisation_name=service.name)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
