"""Dates of things that happened are not in the future and not absurdly old; deadlines move forward only; an unborn
child has a due date near today and no date of birth. One set of validators, met by forms, the API and services."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.core.validators import today
from ostsafe.families.models import HouseholdMember
from ostsafe.plans import services as plan_services
from ostsafe.plans.models import AgreementStatus, GuidanceAgreement
from ostsafe.plans.tests.test_plans import draft
from ostsafe.prescribing import take_home
from ostsafe.storage.models import BoxMovement, MovementKind, SafetyBoxIssue

pytestmark = pytest.mark.django_db

NEXT_YEAR = today() + datetime.timedelta(days=365)
TOMORROW = today() + datetime.timedelta(days=1)


def api(client, world, method, name, body, args=(), actor="keyworker"):
    client.force_login(world.users[actor])
    return getattr(client, method)(reverse(name, args=args), body, content_type="application/json")


def test_an_agreement_cannot_be_signed_next_year(client, world):
    agreement = draft(world)
    response = api(
        client,
        world,
        "post",
        "guidance-agreement-sign",
        {"signed_name": "Jo Bloggs", "confirmed": True, "signed_on": NEXT_YEAR.isoformat()},
        args=[agreement.pk],
    )
    assert response.status_code == 400
    assert response.json()["signed_on"] == ["The date must be today or in the past"]
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_an_agreement_dated_in_the_future_does_not_meet_the_take_home_check(world):
    agreement = draft(world)
    # Written past the validators, as an old row or a clock error might have left it.
    GuidanceAgreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SIGNED, signed_on=NEXT_YEAR)
    checks = {c.key: c for c in take_home.evaluate(service_user=world.service_user, as_of=today())}
    assert not checks["guidance_agreement"].met


def test_a_safety_box_cannot_be_issued_next_year_and_a_real_issue_is_not_blocked(client, world):
    keyworker = world.users["keyworker"]
    BoxMovement.objects.create(
        site=keyworker.organisation, kind=MovementKind.RECEIVED, quantity=2, on=today(), recorded_by=keyworker
    )
    body = {"service_user": world.service_user.pk, "acknowledgement_signed": True}
    refused = api(client, world, "post", "safety-box-list", body | {"issued_on": NEXT_YEAR.isoformat()})
    assert refused.status_code == 400 and "issued_on" in refused.json()
    assert api(client, world, "post", "safety-box-list", body | {"issued_on": today().isoformat()}).status_code == 201
    assert SafetyBoxIssue.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "args", "body", "field"),
    [
        (
            "concern-list",
            lambda w: [],
            lambda w: {
                "household": w.household.pk,
                "source": "school",
                "category": "other",
                "description": "x",
                "received_on": TOMORROW.isoformat(),
            },
            "received_on",
        ),
        (
            "service-user-detail",
            lambda w: [w.service_user.pk],
            lambda w: {"last_contact_on": TOMORROW.isoformat()},
            "last_contact_on",
        ),
        (
            "service-user-detail",
            lambda w: [w.service_user.pk],
            lambda w: {"date_of_birth": "1800-01-01"},
            "date_of_birth",
        ),
        ("household-member-detail", lambda w: [w.child.pk], lambda w: {"date_of_birth": "1899-12-31"}, "date_of_birth"),
        (
            "test-result-list",
            lambda w: [],
            lambda w: {
                "service_user": w.service_user.pk,
                "taken_on": "1999-12-31",
                "substance": "cocaine",
                "method": "urine",
                "positive": True,
            },
            "taken_on",
        ),
        (
            "appointment-list",
            lambda w: [],
            lambda w: {"service_user": w.service_user.pk, "kind": "keywork", "on": "2099-01-01"},
            "on",
        ),
    ],
    ids=["concern tomorrow", "last contact tomorrow", "born 1800", "child born 1899", "test in 1999", "booked 2099"],
)
def test_absurd_dates_are_refused_by_the_api(client, world, name, args, body, field):
    method = "patch" if name.endswith("detail") else "post"
    response = api(client, world, method, name, body(world), args=args(world))
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_prescription_cannot_start_in_2099(client, world):
    body = {
        "service_user": world.service_user.pk,
        "drug": "methadone_oral_solution",
        "daily_dose": "40",
        "dose_unit": "ml",
        "regime": "supervised_daily",
        "pharmacy": world.prescription.pharmacy_id,
        "prescriber": world.users["prescriber"].pk,
        "start_date": "2099-01-01",
    }
    response = api(client, world, "post", "prescription-list", body, actor="prescriber")
    assert response.status_code == 400 and "start_date" in response.json()


def test_a_pre_birth_request_cannot_be_dated_tomorrow(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("assessments:pre_birth_request", args=[world.household.pk]),
        {"service_user": world.service_user.pk, "requested_to": "Children's social care"}
        | {"requested_on-day": TOMORROW.day, "requested_on-month": TOMORROW.month, "requested_on-year": TOMORROW.year},
    )
    assert "The date must be today or in the past" in response.content.decode()
    assert not world.household.pre_birth_requests.exists()


def test_a_deadline_cannot_be_moved_into_the_past(world):
    plan = plan_services.start_safety_plan(
        household=world.household, created_by=world.users["keyworker"], created_on=today()
    )
    action = plan_services.add_plan_action(
        plan=plan,
        expectation="Box on the top shelf",
        why="Ella climbs",
        owner="Sam",
        added_by=world.users["keyworker"],
        as_of=today(),
        due_on=today() + datetime.timedelta(days=14),
    )
    with pytest.raises(plan_services.DomainError, match="only be moved to today or later"):
        plan_services.change_plan_action(
            action=action,
            changed_by=world.users["keyworker"],
            reason="Family asked",
            on=today(),
            due_on=today() - datetime.timedelta(days=1),
        )
    action.refresh_from_db()
    assert action.due_on == today() + datetime.timedelta(days=14)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expected_due_date": today() - datetime.timedelta(days=30)}, "more than 2 weeks ago"),
        ({"expected_due_date": today() + datetime.timedelta(days=400)}, "within 10 months"),
        (
            {"expected_due_date": today() + datetime.timedelta(days=30), "date_of_birth": datetime.date(2020, 1, 1)},
            "clear the due date",
        ),
    ],
    ids=["due date long past", "due date too far ahead", "born and unborn"],
)
def test_an_unborn_childs_due_date_is_near_today_and_alone(client, world, fields, message):
    body = {"household": world.household.pk, "role": "child", "given_name": "", "lives_here": True} | {
        k: v.isoformat() for k, v in fields.items()
    }
    response = api(client, world, "post", "household-member-list", body)
    assert response.status_code == 400
    assert message in response.json()["expected_due_date"][0]
    assert not HouseholdMember.objects.filter(expected_due_date__isnull=False).exists()
