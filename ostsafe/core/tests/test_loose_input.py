"""Input that used to be stored as it came: limits, impossible combinations, filters, and what the schema says."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from ostsafe.accounts.tests.factories import OrganisationFactory, UserFactory
from ostsafe.core.fields import NOTE_MAX_LENGTH
from ostsafe.core.roles import OrganisationType, Role
from ostsafe.families.models import Household
from ostsafe.pharmacy.models import DispensingRecord
from ostsafe.prescribing.tests.factories import PrescriptionFactory

pytestmark = pytest.mark.django_db


def post(client, world, name, body, actor="keyworker"):
    client.force_login(world.users[actor])
    return client.post(reverse(name), body, content_type="application/json")


def test_a_million_character_note_is_refused_and_nothing_saved(client, world):
    body = {
        "household": world.household.pk,
        "source": "school",
        "category": "other",
        "description": "x" * 1_000_000,
        "received_on": "2026-01-05",
    }
    response = post(client, world, "concern-list", body)
    assert response.status_code == 400
    assert f"{NOTE_MAX_LENGTH:,}".replace(",", "") in json.dumps(response.json()).replace(",", "")
    assert not world.household.concerns.exists()


def test_a_service_refuses_an_over_long_note_from_a_form_too(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("families:member_add", args=[world.household.pk, "adult"]),
        {"role": "partner", "given_name": "Sam", "notes": "y" * (NOTE_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_an_audit_c_score_on_a_urine_test_is_refused(client, world):
    body = {
        "service_user": world.service_user.pk,
        "taken_on": "2026-01-05",
        "substance": "cocaine",
        "method": "urine",
        "positive": False,
        "audit_c_score": 7,
    }
    response = post(client, world, "test-result-list", body)
    assert response.status_code == 400 and "audit_c_score" in response.json()


@pytest.mark.parametrize(("postcode", "stored"), [("!!!!", None), ("12345", None), ("rv11aa", "RV1 1AA")])
def test_a_postcode_must_be_a_real_one(client, world, postcode, stored):
    body = {"name": "New", "address_line_1": "1 High St", "town": "Riverside", "postcode": postcode}
    response = post(client, world, "household-list", body | {"team": world.users["keyworker"].team_id})
    if stored is None:
        assert response.status_code == 400 and "postcode" in response.json()
    else:
        assert response.status_code == 201
        assert Household.objects.get(pk=response.json()["id"]).postcode == stored


def test_api_lists_filter_by_household_and_refuse_unknown_filters(client, world):
    from ostsafe.families.tests.factories import ServiceUserFactory

    other = ServiceUserFactory(household__team=world.household.team)
    client.force_login(world.users["keyworker"])
    url = reverse("service-user-list")
    assert client.get(url).json()["count"] == 2
    only = client.get(url, {"household": world.household.pk}).json()
    assert [row["id"] for row in only["results"]] == [world.service_user.pk]
    assert client.get(url, {"household": other.household_id}).json()["count"] == 1
    unknown = client.get(url, {"colour": "blue"})
    assert unknown.status_code == 400 and "Unknown filter: colour" in unknown.json()["filters"][0]
    bad = client.get(url, {"household": "abc"})
    assert bad.status_code == 400 and "household" in bad.json()


def test_task_list_filters_mine_and_status(client, world):
    client.force_login(world.users["keyworker"])
    assert client.get(reverse("task-list"), {"mine": "1", "status": "open"}).status_code == 200
    assert client.get(reverse("task-list"), {"status": "sideways"}).status_code == 400


def test_pharmacists_read_their_own_pharmacys_dispensing_records_only(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    recently = datetime.date.today() - datetime.timedelta(days=3)  # in the list's default four weeks
    ours = DispensingRecord.objects.create(prescription=world.prescription, expected_on=recently, outcome="missed")
    elsewhere = PrescriptionFactory(
        pharmacy=OrganisationFactory(type=OrganisationType.COMMUNITY_PHARMACY), service_user__household=world.household
    )
    theirs = DispensingRecord.objects.create(prescription=elsewhere, expected_on=recently, outcome="missed")
    client.force_login(pharmacist)
    listed = client.get(reverse("dispensing-list"))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [ours.pk]
    assert client.get(reverse("dispensing-detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("dispensing-detail", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("household-list")).status_code == 403  # still nothing else of the family


def test_schema_shows_only_what_each_endpoint_does_and_its_refusals(tmp_path):
    path = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    paths = json.loads(path.read_text())["paths"]
    assert "post" not in paths["/api/tasks/"]
    assert "put" not in paths["/api/home-visits/{id}/"] and "patch" not in paths["/api/home-visits/{id}/"]
    created = paths["/api/home-visits/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(created)
    assert {"200", "401", "403", "404"} <= set(paths["/api/service-users/{id}/"]["get"]["responses"])
    names = {p["name"] for p in paths["/api/service-users/"]["get"]["parameters"]}
    assert {"household", "page"} <= names
