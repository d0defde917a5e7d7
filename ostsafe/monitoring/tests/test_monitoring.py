import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.core.testing import ACTORS, VIEW, allowed
from ostsafe.monitoring import services
from ostsafe.monitoring.models import Appointment

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("basename", ["appointment", "test-result", "concern"])
def test_monitoring_api_lists_follow_the_role_table(client, world, actor, basename):
    services.record_appointment(
        service_user=world.service_user,
        kind="keywork",
        on=TODAY,
        outcome="attended",
        recorded_by=world.users["keyworker"],
    )
    services.record_test_result(
        service_user=world.service_user,
        taken_on=TODAY,
        substance="alcohol",
        method="audit_c",
        audit_c_score=5,
        recorded_by=world.users["keyworker"],
    )
    services.record_concern(
        household=world.household,
        source="school",
        category="child_welfare",
        description="Arrives hungry",
        received_on=TODAY,
        recorded_by=world.users["keyworker"],
    )
    client.force_login(world.users[actor])
    response = client.get(reverse(f"{basename}-list"))
    if response.status_code == 403:
        assert not allowed(actor, VIEW)
    else:
        assert (response.json()["count"] > 0) == allowed(actor, VIEW)


def test_appointment_outcome_is_recorded_once_it_has_happened(world):
    with pytest.raises(ValidationError, match="no outcome yet"):
        services.record_appointment(
            service_user=world.service_user,
            kind="keywork",
            on=TODAY + datetime.timedelta(days=2),
            outcome="attended",
            recorded_by=world.users["keyworker"],
        )
    services.record_appointment(
        service_user=world.service_user, kind="keywork", on=TODAY, outcome="", recorded_by=world.users["keyworker"]
    )
    services.record_appointment(
        service_user=world.service_user,
        kind="keywork",
        on=TODAY,
        outcome="did_not_attend",
        recorded_by=world.users["keyworker"],
    )
    assert Appointment.objects.get().outcome == "did_not_attend"


def test_audit_c_is_for_alcohol_and_scores_0_to_12(world):
    with pytest.raises(ValidationError, match="from 0 to 12"):
        services.record_test_result(
            service_user=world.service_user,
            taken_on=TODAY,
            substance="alcohol",
            method="audit_c",
            audit_c_score=13,
            recorded_by=world.users["keyworker"],
        )
    with pytest.raises(ValidationError, match="choose alcohol"):
        services.record_test_result(
            service_user=world.service_user,
            taken_on=TODAY,
            substance="cocaine",
            method="audit_c",
            audit_c_score=3,
            recorded_by=world.users["keyworker"],
        )


def test_concerns_tests_and_appointments_show_on_the_household_tab(client, world):
    client.force_login(world.users["keyworker"])
    client.post(
        reverse("monitoring:concern", args=[world.household.pk]),
        {
            "source": "family_member",
            "source_detail": "Grandmother",
            "category": "unknown_adults",
            "description": "A man has been staying most nights",
            "received_on-day": TODAY.day,
            "received_on-month": TODAY.month,
            "received_on-year": TODAY.year,
        },
    )
    client.post(
        reverse("monitoring:test_result", args=[world.household.pk]),
        {
            "service_user": world.service_user.pk,
            "taken_on-day": TODAY.day,
            "taken_on-month": TODAY.month,
            "taken_on-year": TODAY.year,
            "substance": "cocaine",
            "method": "oral_fluid",
            "positive": "True",
        },
    )
    page = client.get(reverse("pharmacy:tab", args=[world.household.pk])).content.decode()
    assert "A man has been staying most nights" in page and "Grandmother" in page
    assert "Cocaine" in page and "Positive" in page


def test_api_records_an_appointment_outcome(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(
        reverse("appointment-list"),
        {
            "service_user": world.service_user.pk,
            "kind": "prescriber_review",
            "on": TODAY.isoformat(),
            "outcome": "did_not_attend",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Appointment.objects.get().outcome == "did_not_attend"


def test_the_only_service_user_is_already_chosen_on_the_forms(client, world):
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("monitoring:appointment", args=[world.household.pk])).content.decode()
    assert f'<option value="{world.service_user.pk}" selected>' in page
    assert "Choose a service user" in page
