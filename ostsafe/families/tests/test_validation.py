"""Refusals a practitioner sees: clear message on the form (GOV.UK error summary + inline) and nothing saved."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.core.validators import nhs_number_is_valid
from ostsafe.families.models import HouseholdMember, Involvement, ServiceUser
from ostsafe.families.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def date_parts(name, value: datetime.date):
    return {f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year}


def assert_refused_on_form(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html, "error summary missing"
    assert html.count(message) >= 2, f"'{message}' should be in the summary and beside the field"


@pytest.mark.parametrize(
    ("number", "valid"),
    [("9434765919", True), ("943 476 5919", True), ("9434765918", False), ("1234567890", False), ("943476591", False)],
)
def test_nhs_number_modulus_11_check(number, valid):
    assert nhs_number_is_valid(number.replace(" ", "")) is valid


def test_nhs_number_failing_modulus_11_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users["keyworker"])
    before = ServiceUser.objects.count()
    response = client.post(
        reverse("families:service_user_add", args=[world.household.pk]),
        {"given_name": "Sam", "family_name": "Hale", "nhs_number": "943 476 5918", "sex": "male"}
        | date_parts("date_of_birth", datetime.date(1990, 5, 1)),
    )
    assert_refused_on_form(response, "This is not a valid NHS number")
    assert ServiceUser.objects.count() == before


def test_register_with_invalid_nhs_number_saves_neither_household_nor_service_user(client, world):
    user = world.users["keyworker"]
    client.force_login(user)
    households_before = world.household.__class__.objects.count()
    response = _register(client, user, "1234567890")
    assert_refused_on_form(response, "This is not a valid NHS number")
    assert world.household.__class__.objects.count() == households_before


def test_registering_a_service_user_creates_household_and_opens_it(client, world):
    user = world.users["keyworker"]
    client.force_login(user)
    response = client.post(
        reverse("families:register"),
        {
            "given_name": "Sam",
            "family_name": "Hale",
            "nhs_number": "943 476 5919",
            "sex": "male",
            "household_name": "Hale household",
            "children_answer": "none",
            "address_line_1": "1 Mill Lane",
            "town": "Riverside",
            "postcode": "RV1 1AA",
            "team": user.team_id,
            "keyworker": user.pk,
        }
        | date_parts("date_of_birth", datetime.date(1990, 5, 1)),
    )
    service_user = ServiceUser.objects.get(nhs_number="9434765919")
    assert response.status_code == 302
    assert response["Location"] == reverse("families:household", args=[service_user.household_id])
    assert service_user.household.team == user.team


def test_child_born_in_the_future_is_refused(client, world):
    client.force_login(world.users["keyworker"])
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "child"]),
        {"given_name": "Ella", "child_status": "none"} | date_parts("date_of_birth", tomorrow),
    )
    assert_refused_on_form(response, "Date of birth must be today or in the past")
    assert not HouseholdMember.objects.filter(given_name="Ella").exists()


def test_impossible_date_is_refused_with_govuk_message(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "child"]),
        {
            "given_name": "Ella",
            "child_status": "none",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2020",
        },
    )
    assert_refused_on_form(response, "Date of birth must be a real date")


def test_membership_that_ends_before_it_starts_is_refused(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "adult"]),
        {"role": "regular_visitor", "given_name": "Dan", "lives_here": ""}
        | date_parts("start_date", datetime.date(2026, 3, 1))
        | date_parts("end_date", datetime.date(2026, 2, 1)),
    )
    assert_refused_on_form(response, "The date this person left must be the same as or after the date they arrived")
    assert not HouseholdMember.objects.filter(given_name="Dan").exists()


def test_second_lead_practitioner_is_refused(client, world):
    world.involvement.is_lead = True
    world.involvement.save()
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("families:involvement_add", args=[world.household.pk]),
        {
            "name": "Priya Shah",
            "organisation_name": "Children's Social Care",
            "role_in_family": "Social worker",
            "is_lead": "on",
        },
    )
    assert_refused_on_form(response, "is already the lead practitioner for this family")
    assert Involvement.objects.filter(household=world.household, is_lead=True).count() == 1


def test_database_also_refuses_a_second_current_lead(world):
    from django.db import IntegrityError, transaction

    world.involvement.is_lead = True
    world.involvement.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(
            household=world.household, name="X", organisation_name="Y", role_in_family="Z", is_lead=True
        )


def test_a_former_lead_does_not_block_a_new_one(world):
    from ostsafe.families import services

    world.involvement.is_lead = True
    world.involvement.start_date = datetime.date(2025, 1, 1)
    world.involvement.end_date = datetime.date(2026, 1, 1)
    world.involvement.save()
    services.add_involvement(
        household=world.household,
        added_by=world.users["keyworker"],
        name="New lead",
        organisation_name="Riverside",
        role_in_family="Keyworker",
        is_lead=True,
    )
    assert world.household.network.filter(is_lead=True, end_date__isnull=True).count() == 1


def test_api_refuses_invalid_nhs_number_with_a_field_message(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("service-user-list"),
        {
            "household": world.household.pk,
            "given_name": "Sam",
            "family_name": "Hale",
            "date_of_birth": "1990-05-01",
            "nhs_number": "9434765918",
            "sex": "male",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "not a valid NHS number" in response.json()["nhs_number"][0]
    assert not ServiceUser.objects.filter(given_name="Sam", family_name="Hale").exists()


def test_api_refuses_child_born_in_future(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("household-member-list"),
        {
            "household": world.household.pk,
            "role": "child",
            "given_name": "Ella",
            "date_of_birth": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()


def test_api_refuses_second_lead(client, world):
    world.involvement.is_lead = True
    world.involvement.save()
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("involvement-list"),
        {
            "household": world.household.pk,
            "name": "P",
            "organisation_name": "O",
            "role_in_family": "R",
            "is_lead": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already the lead practitioner" in response.json()["is_lead"][0]


def _register(client, user, nhs_number):
    return client.post(
        reverse("families:register"),
        {
            "given_name": "Sam",
            "family_name": "Hale",
            "nhs_number": nhs_number,
            "sex": "male",
            "household_name": "Hale household",
            "children_answer": "none",
            "address_line_1": "1 Mill Lane",
            "town": "Riverside",
            "postcode": "RV1 1AA",
            "team": user.team_id,
        }
        | date_parts("date_of_birth", datetime.date(1990, 5, 1)),
    )


def test_an_nhs_number_registered_beyond_reach_gets_a_neutral_refusal_that_is_audited(client, world):
    intruder = world.users["keyworker_other_team"]
    client.force_login(intruder)
    response = _register(client, intruder, world.service_user.nhs_number)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This NHS number cannot be registered by you" in html
    assert "already" not in html and world.service_user.full_name not in html and world.household.name not in html
    refusal = AccessEvent.objects.get(user=intruder, household_id=world.household.pk, outcome=Outcome.REFUSED)
    assert refusal.action == "service_user.register.duplicate"
    assert ServiceUser.objects.filter(nhs_number=world.service_user.nhs_number).count() == 1


def test_an_nhs_number_already_in_reach_points_to_the_record(client, world):
    keyworker = world.users["keyworker"]
    client.force_login(keyworker)
    response = _register(client, keyworker, world.service_user.nhs_number)
    assert f"{world.service_user.full_name} already has this NHS number" in response.content.decode()


def test_api_gives_the_same_neutral_refusal_for_an_nhs_number_beyond_reach(client, world):
    intruder = world.users["keyworker_other_team"]
    other = HouseholdFactory(team=intruder.team)
    client.force_login(intruder)
    response = client.post(
        reverse("service-user-list"),
        {
            "household": other.pk,
            "given_name": "Sam",
            "family_name": "Hale",
            "date_of_birth": "1990-05-01",
            "sex": "male",
            "nhs_number": world.service_user.nhs_number,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["nhs_number"][0].startswith("This NHS number cannot be registered by you")
    assert AccessEvent.objects.filter(user=intruder, household_id=world.household.pk, outcome=Outcome.REFUSED).exists()


def test_registration_asks_about_children_every_time_so_none_is_never_a_default(client, world):
    user = world.users["keyworker"]
    client.force_login(user)
    form = client.get(reverse("families:register")).context["form"]
    assert not form.initial.get("children_answer")
    response = client.post(
        reverse("families:register"),
        {
            "given_name": "Sam",
            "family_name": "Hale",
            "sex": "male",
            "household_name": "Hale household",
            "address_line_1": "1 Mill Lane",
            "town": "Riverside",
            "postcode": "RV1 1AA",
            "team": user.team_id,
        }
        | date_parts("date_of_birth", datetime.date(1990, 5, 1)),
    )
    assert "Select whether they have children living with them, or contact with children" in response.content.decode()
    assert not ServiceUser.objects.filter(given_name="Sam", family_name="Hale").exists()
