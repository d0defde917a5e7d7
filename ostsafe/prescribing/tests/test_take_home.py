import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.assessments import services as assessment_services
from ostsafe.assessments.tests.test_assessments import safe_answers
from ostsafe.families.tests.factories import ServiceUserFactory
from ostsafe.plans import services as plan_services
from ostsafe.prescribing import services
from ostsafe.prescribing.models import Regime
from ostsafe.prescribing.take_home import evaluate
from ostsafe.storage import services as storage_services
from ostsafe.storage.models import MovementKind
from ostsafe.visits import services as visit_services
from ostsafe.visits.models import StorageVerification

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def meet_every_check(world):
    keyworker = world.users["keyworker"]
    assessment = assessment_services.start_assessment(
        household=world.household, service_user=world.service_user, started_by=keyworker
    )
    assessment_services.save_answers(assessment=assessment, answers=safe_answers(), saved_by=keyworker)
    assessment_services.complete_assessment(
        assessment=assessment, practitioner_level="low", rationale="", completed_by=keyworker, completed_on=TODAY
    )
    visit = visit_services.record_home_visit(
        household=world.household,
        visited_on=TODAY,
        recorded_by=keyworker,
        visitors=[keyworker],
        service_users_seen=[world.service_user],
        child_observations=[(world.child, True, "")],
    )
    visit_services.record_storage_check(
        visit=visit,
        service_user=world.service_user,
        checked_by=keyworker,
        verification=StorageVerification.SEEN,
        location="Locked box in the wardrobe",
        out_of_sight_and_reach=True,
        locked_box_in_use=True,
        box_locked=True,
        other_substances_safe=True,
        empty_bottles_disposed=True,
        compliment_given=True,
        satisfied=True,
    )
    storage_services.record_box_movement(
        site=keyworker.organisation, kind=MovementKind.RECEIVED, quantity=1, on=TODAY, recorded_by=keyworker
    )
    storage_services.issue_safety_box(
        service_user=world.service_user,
        site=keyworker.organisation,
        issued_on=TODAY,
        issued_by=keyworker,
        acknowledgement_signed=True,
    )
    agreement = plan_services.draft_agreement(
        household=world.household,
        service_user=world.service_user,
        expectations="Box locked, up high",
        drafted_by=keyworker,
        drafted_on=TODAY,
    )
    plan_services.sign_agreement_on_screen(
        agreement=agreement,
        signed_name=world.service_user.full_name,
        confirmed=True,
        signed_on=TODAY,
        recorded_by=keyworker,
    )


def to_take_home(world, days=3, reason=""):
    return services.change_prescription(
        prescription=world.prescription,
        changed_by=world.users["prescriber"],
        regime=Regime.TAKE_HOME,
        take_home_days=days,
        override_reason=reason,
    )


def test_checks_show_each_item_with_its_evidence(world):
    results = {r.key: r for r in evaluate(service_user=world.service_user, as_of=TODAY)}
    assert set(results) == {"current_assessment", "storage_seen", "safety_box", "guidance_agreement"}
    assert not any(r.met for r in results.values())
    assert results["current_assessment"].evidence == "No completed whole-family assessment"


def test_take_home_allowed_without_a_reason_when_every_check_is_met(world):
    meet_every_check(world)
    prescription = to_take_home(world)
    decision = prescription.take_home_decisions.get()
    assert decision.all_checks_met and decision.override_reason == ""
    assert all(c["met"] for c in decision.checks)


def test_take_home_refused_without_reason_when_a_check_is_not_met(world):
    with pytest.raises(ValidationError, match="Not every safeguarding check is met"):
        to_take_home(world)
    world.prescription.refresh_from_db()
    assert world.prescription.regime == Regime.SUPERVISED_DAILY


def test_lengthening_take_home_is_decided_again(world):
    meet_every_check(world)
    to_take_home(world, days=2)
    to_take_home(world, days=2)
    to_take_home(world, days=7)
    assert world.prescription.take_home_decisions.count() == 2


def test_overdue_assessment_fails_its_check(world):
    meet_every_check(world)
    results = {r.key: r for r in evaluate(service_user=world.service_user, as_of=TODAY + datetime.timedelta(days=200))}
    assert not results["current_assessment"].met and results["current_assessment"].evidence.startswith("Review overdue")
    assert not results["storage_seen"].met


def test_no_children_no_safeguarding_decision(world):
    alone = ServiceUserFactory()
    from ostsafe.prescribing.tests.factories import PrescriptionFactory

    prescription = PrescriptionFactory(service_user=alone)
    services.change_prescription(
        prescription=prescription, changed_by=world.users["administrator"], regime=Regime.TAKE_HOME, take_home_days=7
    )
    assert prescription.take_home_decisions.count() == 0


def test_manager_sees_overrides_with_the_reason(client, world):
    to_take_home(world, reason="Carer for her mother; cannot attend daily")
    client.force_login(world.users["manager"])
    page = client.get(reverse("prescribing:overrides")).content.decode()
    assert "Carer for her mother" in page and "No safety box issued" in page


def test_prescription_form_shows_checks_and_the_drug_risk_to_children(client, world):
    client.force_login(world.users["prescriber"])
    page = client.get(reverse("prescribing:edit", args=[world.household.pk, world.prescription.pk])).content.decode()
    assert "Safeguarding checks for take-home doses" in page
    assert "Not met" in page
    assert "nothing is kept at home" in page


def test_api_override_needs_a_reason(client, world):
    client.force_login(world.users["prescriber"])
    url = reverse("prescription-detail", args=[world.prescription.pk])
    refused = client.patch(url, {"regime": "take_home", "take_home_days": 3}, content_type="application/json")
    assert refused.status_code == 400 and "override_reason" in refused.json()
    allowed = client.patch(
        url,
        {"regime": "take_home", "take_home_days": 3, "override_reason": "Travels for work"},
        content_type="application/json",
    )
    assert allowed.status_code == 200
    decisions = client.get(reverse("take-home-decision-list")).json()
    assert decisions["count"] == 1 and decisions["results"][0]["override_reason"] == "Travels for work"
