import datetime

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


def test_take_home_for_a_parent_needs_a_reason_when_checks_are_not_met(client, world):
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
