import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from ostsafe.audit.models import AccessEvent, Outcome

pytestmark = pytest.mark.django_db


def an_event(world):
    return AccessEvent.objects.create(
        user=world.users["keyworker"],
        household_id=world.household.pk,
        action="household.view",
        path="/x/",
        outcome=Outcome.ALLOWED,
    )


def test_database_refuses_to_change_an_access_event(world):
    event = an_event(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(outcome=Outcome.REFUSED)
    event.refresh_from_db()
    assert event.outcome == Outcome.ALLOWED


def test_database_refuses_to_delete_an_access_event(world):
    event = an_event(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_refused_attempt_by_partner_role_is_audited_and_shown_to_the_manager(client, world):
    intruder = world.users["pharmacist"]
    client.force_login(intruder)
    assert client.get(reverse("families:household", args=[world.household.pk])).status_code == 403
    client.force_login(world.users["manager"])
    html = client.get(reverse("audit:household", args=[world.household.pk])).content.decode()
    assert intruder.full_name in html
    assert "Refused" in html


def test_manager_filters_access_log_by_user_household_and_date(client, world):
    keyworker, prescriber = world.users["keyworker"], world.users["prescriber"]
    for user in (keyworker, prescriber):
        client.force_login(user)
        client.get(reverse("families:household", args=[world.household.pk]))
    client.force_login(world.users["manager"])
    today = datetime.date.today()
    response = client.get(
        reverse("audit:events"),
        {
            "user": prescriber.pk,
            "household": world.household.pk,
            "date_from-day": today.day,
            "date_from-month": today.month,
            "date_from-year": today.year,
        },
    )
    events = list(response.context["page"].object_list)
    assert events and all(e.user_id == prescriber.pk and e.household_id == world.household.pk for e in events)
    tomorrow = today + datetime.timedelta(days=1)
    later = client.get(
        reverse("audit:events"),
        {"date_from-day": tomorrow.day, "date_from-month": tomorrow.month, "date_from-year": tomorrow.year},
    )
    assert later.context["page"].paginator.count == 0


def test_access_log_date_range_backwards_is_refused_clearly(client, world):
    client.force_login(world.users["manager"])
    response = client.get(
        reverse("audit:events"),
        {
            "date_from-day": 5,
            "date_from-month": 5,
            "date_from-year": 2026,
            "date_to-day": 1,
            "date_to-month": 5,
            "date_to-year": 2026,
        },
    )
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in response.content.decode()


def test_manager_of_another_service_does_not_see_this_services_events(client, world):
    client.force_login(world.users["keyworker"])
    client.get(reverse("families:household", args=[world.household.pk]))
    client.force_login(world.users["manager_other_service"])
    response = client.get(reverse("audit:events"), {"household": world.household.pk})
    assert response.context["page"].paginator.count == 0


def test_access_log_query_count_is_constant(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["manager"])
    an_event(world)
    client.get(reverse("audit:events"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:events"))
    for _ in range(20):
        an_event(world)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:events"))
    assert len(few) == len(many)


def test_api_reads_are_audited_including_lists(client, world):
    client.force_login(world.users["keyworker"])
    client.get(reverse("household-list"))
    client.get(reverse("household-detail", args=[world.household.pk]))
    actions = set(AccessEvent.objects.filter(household_id=world.household.pk).values_list("action", flat=True))
    assert {"api.household.list", "api.household.retrieve"} <= actions
