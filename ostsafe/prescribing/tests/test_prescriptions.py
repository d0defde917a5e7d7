import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ostsafe.prescribing.models import Prescription

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    start = datetime.date.today()
    data = {
        "drug": "methadone_oral_solution",
        "daily_dose": "60",
        "dose_unit": "ml",
        "regime": "take_home",
        "take_home_days": "3",
        "pharmacy": world.prescription.pharmacy_id,
        "prescriber": world.users["prescriber"].pk,
        "start_date-day": start.day,
        "start_date-month": start.month,
        "start_date-year": start.year,
    }
    data.update(overrides)
    return data


def end_current_prescription(world):
    Prescription.objects.filter(pk=world.prescription.pk).update(
        end_date=datetime.date.today() - datetime.timedelta(days=1)
    )


def test_take_home_for_a_parent_needs_a_reason_when_checks_are_not_met(client, world):
    end_current_prescription(world)
    client.force_login(world.users["prescriber"])
    url = reverse("prescribing:add", args=[world.household.pk, world.service_user.pk])
    refused = client.post(url, form_data(world))
    assert refused.status_code == 200
    assert "Not every safeguarding check is met" in refused.content.decode()
    assert Prescription.objects.filter(service_user=world.service_user).count() == 1

    allowed = client.post(url, form_data(world, override_reason="Works nights; supervised pick-up impossible"))
    assert allowed.status_code == 302
    prescription = Prescription.objects.exclude(pk=world.prescription.pk).get(service_user=world.service_user)
    assert prescription.regime_label == "Take-home: 3 days per collection"
    decision = prescription.take_home_decisions.get()
    assert decision.is_override and decision.override_reason.startswith("Works nights")
    assert {c["key"] for c in decision.checks} >= {"current_assessment", "storage_seen", "safety_box"}


@pytest.mark.parametrize("dose", ["0", "-5"])
def test_dose_that_is_not_positive_is_refused(client, world, dose):
    client.force_login(world.users["prescriber"])
    before = Prescription.objects.count()
    response = client.post(
        reverse("prescribing:add", args=[world.household.pk, world.service_user.pk]), form_data(world, daily_dose=dose)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("The daily dose must be more than 0") >= 2
    assert Prescription.objects.count() == before


def test_take_home_without_days_is_refused(client, world):
    client.force_login(world.users["prescriber"])
    response = client.post(
        reverse("prescribing:add", args=[world.household.pk, world.service_user.pk]),
        form_data(world, take_home_days=""),
    )
    assert "Enter how many days of take-home doses" in response.content.decode()


def test_injection_must_be_given_by_the_service(client, world):
    client.force_login(world.users["prescriber"])
    response = client.post(
        reverse("prescribing:add", args=[world.household.pk, world.service_user.pk]),
        form_data(
            world, drug="buprenorphine_prolonged_release", dose_unit="mg", regime="supervised_daily", take_home_days=""
        ),
    )
    assert "Prolonged-release injection is given by the service" in response.content.decode()


def test_api_refuses_non_positive_dose_with_400(client, world):
    client.force_login(world.users["prescriber"])
    response = client.patch(
        reverse("prescription-detail", args=[world.prescription.pk]),
        {"daily_dose": "0"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["daily_dose"] == ["The daily dose must be more than 0"]
    world.prescription.refresh_from_db()
    assert world.prescription.daily_dose == 60


def test_database_refuses_non_positive_dose(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.filter(pk=world.prescription.pk).update(daily_dose=0)


# Every path into the same risk -------------------------------------------------------------------------------------


def take_home_prescription(world, dose="40"):
    from ostsafe.prescribing import services

    end_current_prescription(world)
    return services.record_prescription(
        service_user=world.service_user,
        recorded_by=world.users["prescriber"],
        override_reason="Works nights",
        drug="methadone_oral_solution",
        daily_dose=Decimal(dose),
        dose_unit="ml",
        regime="take_home",
        take_home_days=3,
        pharmacy=world.prescription.pharmacy,
        prescriber=world.users["prescriber"],
        start_date=datetime.date.today(),
    )


def test_raising_the_dose_of_a_take_home_prescription_is_a_take_home_decision(client, world):
    prescription = take_home_prescription(world)
    client.force_login(world.users["prescriber"])
    url = reverse("prescription-detail", args=[prescription.pk])
    refused = client.patch(url, {"daily_dose": "120"}, content_type="application/json")
    assert refused.status_code == 400
    assert "Not every safeguarding check is met" in refused.json()["override_reason"][0]
    prescription.refresh_from_db()
    assert prescription.daily_dose == Decimal("40")

    allowed = client.patch(
        url,
        {"daily_dose": "120", "override_reason": "Titrating; daily checks by phone"},
        content_type="application/json",
    )
    assert allowed.status_code == 200
    decision = prescription.take_home_decisions.order_by("-id").first()
    assert decision.override_reason == "Titrating; daily checks by phone"
    assert prescription.take_home_decisions.count() == 2


def test_lowering_the_dose_is_not_a_new_take_home_decision(world):
    from ostsafe.prescribing import services

    prescription = take_home_prescription(world, dose="60")
    services.change_prescription(
        prescription=prescription, changed_by=world.users["prescriber"], daily_dose=Decimal("50")
    )
    assert prescription.take_home_decisions.count() == 1


@pytest.mark.parametrize(
    "second",
    [
        {"drug": "methadone_oral_solution", "dose_unit": "ml", "regime": "supervised_daily"},
        {"drug": "buprenorphine_prolonged_release", "dose_unit": "mg", "regime": "administered", "pharmacy": None},
    ],
    ids=["methadone at another pharmacy", "injection on top"],
)
def test_a_second_current_prescription_is_refused_until_the_first_is_ended(client, world, second):
    from ostsafe.accounts.tests.factories import OrganisationFactory
    from ostsafe.core.roles import OrganisationType

    client.force_login(world.users["prescriber"])
    other_pharmacy = OrganisationFactory(type=OrganisationType.COMMUNITY_PHARMACY)
    body = {
        "service_user": world.service_user.pk,
        "daily_dose": "30",
        "pharmacy": other_pharmacy.pk,
        "prescriber": world.users["prescriber"].pk,
        "start_date": datetime.date.today().isoformat(),
    } | second
    refused = client.post(reverse("prescription-list"), body, content_type="application/json")
    assert refused.status_code == 400
    assert "already has a prescription over these dates" in refused.json()["start_date"][0]
    assert Prescription.objects.filter(service_user=world.service_user).count() == 1

    end_current_prescription(world)
    assert client.post(reverse("prescription-list"), body, content_type="application/json").status_code == 201


def test_prescription_changes_keep_a_history_shown_on_the_service_users_page(client, world):
    from ostsafe.prescribing import services

    services.change_prescription(
        prescription=world.prescription, changed_by=world.users["prescriber"], daily_dose=Decimal("70")
    )
    services.change_prescription(
        prescription=world.prescription, changed_by=world.users["prescriber"], daily_dose=Decimal("65")
    )
    assert [(c.old_value, c.new_value) for c in world.prescription.changes.order_by("id")] == [
        ("60ml", "70ml"),
        ("70ml", "65ml"),
    ]
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("families:service_user", args=[world.household.pk, world.service_user.pk])).content
    assert "2 changes to this prescription" in html.decode() and "60ml to 70ml" in html.decode()
