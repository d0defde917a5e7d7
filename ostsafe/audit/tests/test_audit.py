import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from ostsafe.audit import selectors
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
    events = list(response.context["page"].events)
    assert events and all(e.user_id == prescriber.pk and e.household_id == world.household.pk for e in events)
    tomorrow = today + datetime.timedelta(days=1)
    later = client.get(
        reverse("audit:events"),
        {"date_from-day": tomorrow.day, "date_from-month": tomorrow.month, "date_from-year": tomorrow.year},
    )
    assert not later.context["page"].events


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
    assert not response.context["page"].events


def test_access_log_query_count_is_constant(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["manager"])
    an_event(world)
    client.get(reverse("audit:events"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:events"))
    few = list(few)  # frozen now: the next request clears the log it reads
    for _ in range(20):
        an_event(world)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:events"))
    many = list(many)  # frozen now: the next request clears the log it reads
    assert len(few) == len(many)


def test_api_reads_are_audited_including_lists(client, world):
    client.force_login(world.users["keyworker"])
    client.get(reverse("household-list"))
    client.get(reverse("household-detail", args=[world.household.pk]))
    about = selectors.about_household(AccessEvent.objects.all(), world.household.pk)
    actions = set(about.values_list("action", flat=True))
    assert {"api.household.list", "api.household.retrieve"} <= actions


def _logged_ip(client, world, **headers):
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("families:household", args=[world.household.pk]), **headers)
    assert response.status_code == 200
    return AccessEvent.objects.filter(user=world.users["keyworker"]).latest("id").ip_address


def test_forwarded_header_is_ignored_unless_a_proxy_is_trusted(client, world):
    assert _logged_ip(client, world, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="6.6.6.6") == "192.0.2.10"


def test_behind_one_trusted_proxy_the_address_it_saw_is_logged_not_what_the_client_wrote(client, world, settings):
    settings.OSTSAFE_TRUSTED_PROXY_HOPS = 1
    forged = "6.6.6.6, 198.51.100.23"  # the client wrote 6.6.6.6; the proxy appended the address it saw
    assert _logged_ip(client, world, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged) == "198.51.100.23"


@pytest.mark.parametrize("header", ["unknown", "1.2.3.4:5678", "", "<script>", "999.1.1.1", ", ,"])
def test_an_unreadable_forwarded_address_never_fails_the_request(client, world, settings, header):
    settings.OSTSAFE_TRUSTED_PROXY_HOPS = 1
    assert _logged_ip(client, world, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header) is None


# Refusals that used to go unrecorded ---------------------------------------------------------------------------------


def test_anonymous_api_requests_are_audited_as_refusals(client, world):
    response = client.get(reverse("household-list"), REMOTE_ADDR="192.0.2.44")
    assert response.status_code in (401, 403)
    event = AccessEvent.objects.get(action="api.anonymous")
    assert (event.user_id, event.outcome, event.ip_address) == (None, Outcome.REFUSED, "192.0.2.44")


def test_a_bad_api_token_is_audited_as_a_refusal(client, world):
    client.get(reverse("household-list"), HTTP_AUTHORIZATION="Bearer ost_guess_guess")
    assert AccessEvent.objects.filter(action="api.anonymous", outcome=Outcome.REFUSED).exists()


def test_issuing_a_box_in_person_without_the_role_is_audited(client, world):
    user = world.users["prescriber"]
    client.force_login(user)
    response = client.post(
        reverse("safety-box-issue-in-person"),
        {"nhs_number": world.service_user.nhs_number, "date_of_birth": "1990-01-01", "issued_on": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert AccessEvent.objects.filter(user=user, outcome=Outcome.REFUSED, action__contains="issue_in_person").exists()


def test_batch_rows_for_another_pharmacy_are_audited(client, world):
    from ostsafe.accounts.tests.factories import UserFactory
    from ostsafe.core.roles import Role
    from ostsafe.pharmacy.tests.test_import import row

    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    records = [row(world, 1), row(world, 0, pharmacy=999999), row(world, 2, pharmacy=999998)]
    assert (
        client.post(reverse("dispensing-batch"), {"records": records}, content_type="application/json").json()[
            "rejected"
        ]
        == 2
    )
    refusal = AccessEvent.objects.get(user=pharmacist, outcome=Outcome.REFUSED)
    assert refusal.detail.startswith("2 row(s)")


def test_reading_the_access_log_is_itself_audited(client, world):
    manager = world.users["manager"]
    client.force_login(manager)
    client.get(reverse("audit:events"), {"household": world.household.pk})
    event = AccessEvent.objects.get(user=manager, action="audit.log.view")
    assert f"household={world.household.pk}" in event.detail
    client.get(reverse("audit:household", args=[world.household.pk]))
    assert AccessEvent.objects.filter(user=manager, household_id=world.household.pk, action="audit.view").exists()
