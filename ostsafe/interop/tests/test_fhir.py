"""The FHIR export of one family: a valid R4 Bundle (parsed again with fhir.resources' R4B models), UK Core profiles,
the NHS number under its system, every kind of resource the record holds, references that resolve inside the
Bundle; the gate and the access log like every read."""

import datetime
import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from ostsafe.audit.models import AccessEvent
from ostsafe.core.testing import refusals_for
from ostsafe.curiosity import services as curiosity
from ostsafe.pharmacy import services as pharmacy
from ostsafe.pharmacy.models import Outcome
from ostsafe.plans import services as plans

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def export(client, world, user="manager"):
    client.force_login(world.users[user])
    return client.get(reverse("fhir-household", args=[world.household.pk]))


def full_record(world):
    keyworker = world.users["keyworker"]
    plan = plans.start_safety_plan(household=world.household, created_by=keyworker, created_on=TODAY)
    plans.add_plan_action(
        plan=plan,
        added_by=keyworker,
        as_of=TODAY,
        expectation="Keep the box locked, out of sight and reach",
        why="The children are small",
        owner=world.service_user.full_name,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    curiosity.raise_by_hand(
        household=world.household, sign_key="unknown_adults", reason="A man answered the door", raised_by=keyworker
    )


def test_the_bundle_is_valid_fhir_r4_with_uk_core_profiles_and_the_nhs_number(client, world):
    response = export(client, world)
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)  # parses again: the export is valid R4
    assert bundle.type == "collection"
    patient = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Patient")
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert patient.identifier[0].value == world.service_user.nhs_number
    assert patient.meta.profile == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]


def test_every_kind_of_record_is_in_the_bundle_and_references_resolve(client, world):
    full_record(world)
    pharmacy.record_dispensing(
        prescription=world.prescription,
        expected_on=TODAY,
        outcome=Outcome.MISSED,
        recorded_by=world.users["administrator"],
    )
    data = json.loads(export(client, world).content)
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert {
        "Patient",
        "RelatedPerson",
        "MedicationRequest",
        "MedicationDispense",
        "Flag",
        "CarePlan",
        "Consent",
    } <= kinds
    urls = {e["fullUrl"] for e in data["entry"]}
    for entry in data["entry"]:
        resource = entry["resource"]
        for key in ("subject", "patient"):
            if key in resource and "reference" in resource[key]:
                assert resource[key]["reference"] in urls
    child = next(
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "RelatedPerson" and e["resource"]["relationship"][0].get("coding")
    )
    assert child["relationship"][0]["coding"][0]["code"] in {"CHILD", "SIGOTHR", "FTH", "EXT"}
    consent = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Consent")
    assert consent["status"] == "active" and consent["provision"]["type"] == "permit"


def test_two_exports_name_the_same_resources_alike(client, world):
    first = [e["fullUrl"] for e in json.loads(export(client, world).content)["entry"]]
    second = [e["fullUrl"] for e in json.loads(export(client, world).content)["entry"]]
    assert first == second and len(set(first)) == len(first)


def test_the_export_is_audited_and_refused_to_a_keyworker_and_another_service(client, world):
    assert export(client, world).status_code == 200
    assert (
        AccessEvent.objects.filter(
            user=world.users["manager"], action="interop.fhir", household_id=world.household.pk, outcome="allowed"
        ).count()
        == 1
    )
    for user in ("keyworker", "manager_other_service", "commissioner"):
        assert export(client, world, user).status_code == 403
        assert refusals_for(world.users[user], world.household.pk).exists()
    client.force_login(world.users["manager"])
    assert client.get(reverse("fhir-household", args=[999999999])).status_code == 404
