import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.audit.models import AccessEvent
from ostsafe.core.roles import Role
from ostsafe.core.testing import ACTORS
from ostsafe.pharmacy import selectors, services
from ostsafe.pharmacy.models import Outcome
from ostsafe.prescribing.models import Regime
from ostsafe.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def pharmacist(world):
    return UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_pharmacist_marks_records_delayed_with_a_reason_from_and_to_today_by_default(client, world, pharmacist):
    client.force_login(pharmacist)
    initial = client.get(reverse("pharmacy:records_delayed")).context["form"].initial
    assert initial == {"starts_on": TODAY, "ends_on": TODAY}
    day = {"day": TODAY.day, "month": TODAY.month, "year": TODAY.year}
    form = {f"starts_on-{k}": v for k, v in day.items()} | {f"ends_on-{k}": v for k, v in day.items()}
    refused = client.post(reverse("pharmacy:records_delayed"), form)
    assert "Enter why the records are late" in refused.content.decode()
    client.post(reverse("pharmacy:records_delayed"), form | {"reason": "Platform outage"})
    assert selectors.delayed_on(world.prescription.pharmacy_id, TODAY)


def test_pharmacist_sees_todays_doses_at_their_own_pharmacy_only(client, world, pharmacist):
    client.force_login(pharmacist)
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert world.service_user.full_name in page
    assert "Children at home or visiting" in page
    assert AccessEvent.objects.filter(
        user=pharmacist, listed__household_id=world.household.pk, action="dispensing.counter"
    ).exists()
    client.force_login(world.users["pharmacist"])  # another pharmacy
    assert world.service_user.full_name not in client.get(reverse("pharmacy:counter")).content.decode()


def test_pharmacist_cannot_open_the_familys_record(client, world, pharmacist):
    client.force_login(pharmacist)
    assert client.get(reverse("families:household", args=[world.household.pk])).status_code == 403
    assert client.get(reverse("assessments:tab", args=[world.household.pk])).status_code == 403


def test_recording_at_another_pharmacy_is_refused_and_audited(client, world):
    other = world.users["pharmacist"]
    client.force_login(other)
    response = client.post(reverse("pharmacy:record"), {"prescription": world.prescription.pk, "outcome": "missed"})
    assert response.status_code == 403
    assert AccessEvent.objects.filter(user=other, household_id=world.household.pk, outcome="refused").exists()
    assert not world.prescription.dispensing.exists()


def test_take_home_collections_are_expected_every_n_days(world):
    world.prescription.regime, world.prescription.take_home_days = Regime.TAKE_HOME, 3
    world.prescription.start_date = days_ago(9)
    world.prescription.save()
    expected = [d for d in range(10) if world.prescription.expects_dose_on(days_ago(d))]
    assert expected == [0, 3, 6, 9]
    assert world.prescription.dose_per_collection == Decimal("180")


def test_pharmacist_records_supervised_dose_at_the_counter(client, world, pharmacist):
    client.force_login(pharmacist)
    client.post(
        reverse("pharmacy:record"),
        {"prescription": world.prescription.pk, "outcome": "supervised", "quantity": "60", "note": ""},
    )
    record = world.prescription.dispensing.get()
    assert (record.outcome, record.quantity, record.expected_on) == (Outcome.SUPERVISED, Decimal("60"), TODAY)
    assert "Supervised consumption" in client.get(reverse("pharmacy:counter")).content.decode()


def test_quantity_above_the_prescription_is_refused(world, pharmacist):
    with pytest.raises(ValidationError, match="More than prescribed"):
        services.record_dispensing(
            prescription=world.prescription,
            expected_on=TODAY,
            outcome="supervised",
            quantity=Decimal("90"),
            recorded_by=pharmacist,
        )


def test_same_record_twice_changes_nothing_and_a_different_one_is_refused(world, pharmacist):
    first = services.record_dispensing(
        prescription=world.prescription, expected_on=TODAY, outcome="missed", recorded_by=pharmacist
    )
    again = services.record_dispensing(
        prescription=world.prescription, expected_on=TODAY, outcome="missed", recorded_by=pharmacist
    )
    assert first.pk == again.pk
    with pytest.raises(ValidationError, match="already has a record"):
        services.record_dispensing(
            prescription=world.prescription,
            expected_on=TODAY,
            outcome="supervised",
            quantity=Decimal("60"),
            recorded_by=pharmacist,
        )


def miss(world, pharmacist, *days):
    for d in days:
        services.record_dispensing(
            prescription=world.prescription, expected_on=days_ago(d), outcome="missed", recorded_by=pharmacist
        )


def test_three_missed_doses_in_a_row_make_same_day_tasks_for_keyworker_and_prescriber(world, pharmacist):
    miss(world, pharmacist, 2, 1)
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()
    miss(world, pharmacist, 0)
    tasks = Task.objects.filter(rule="pharmacy.missed_doses")
    assert {t.assignee for t in tasks} == {world.users["keyworker"], world.users["prescriber"]}
    assert all(t.due_on == TODAY for t in tasks)


def supervise(world, pharmacist, n):
    services.record_dispensing(
        prescription=world.prescription,
        expected_on=days_ago(n),
        outcome="supervised",
        quantity=Decimal("60"),
        recorded_by=pharmacist,
    )


def test_a_dose_taken_in_between_breaks_the_run(world, pharmacist):
    miss(world, pharmacist, 3, 2)
    supervise(world, pharmacist, 1)
    miss(world, pharmacist, 0)
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()


def test_no_missed_dose_alert_while_records_are_delayed(world, pharmacist):
    services.mark_records_delayed(
        pharmacy=None,
        starts_on=days_ago(1),
        ends_on=days_ago(1),
        reason="National platform outage; paper records",
        recorded_by=world.users["manager"],
    )
    miss(world, pharmacist, 2, 1, 0)
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()


def test_concern_gives_the_keyworker_a_task_and_an_email_and_shows_on_the_record(
    client, world, pharmacist, django_capture_on_commit_callbacks
):
    client.force_login(pharmacist)
    with django_capture_on_commit_callbacks(execute=True):  # the email goes only once the concern is saved
        response = client.post(
            reverse("pharmacy:concern", args=[world.prescription.pk]),
            {"category": "child_present", "description": "Toddler in the shop, handed the bottle"},
        )
    assert response.status_code == 302
    task = Task.objects.get(rule="pharmacy.concern")
    assert task.assignee == world.users["keyworker"]
    assert mail.outbox and mail.outbox[0].to == [world.users["keyworker"].email]
    assert "Toddler" not in mail.outbox[0].body  # details stay behind the sign-in
    client.force_login(world.users["keyworker"])
    page = client.get(reverse("pharmacy:tab", args=[world.household.pk])).content.decode()
    assert "Toddler in the shop" in page


def test_missed_at_the_counter_ignores_the_prefilled_quantity(client, world, pharmacist):
    client.force_login(pharmacist)
    client.post(
        reverse("pharmacy:record"), {"prescription": world.prescription.pk, "outcome": "missed", "quantity": "60"}
    )
    record = world.prescription.dispensing.get()
    assert (record.outcome, record.quantity) == (Outcome.MISSED, None)


def test_counter_says_speak_to_the_prescriber_after_the_missed_run(client, world, pharmacist):
    client.force_login(pharmacist)
    miss(world, pharmacist, 2, 1)
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert "Missed before today" in page and "2 in a row" in page
    assert "Speak to the prescriber" not in page
    miss(world, pharmacist, 3)
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert "Missed the last 3 doses. Speak to the prescriber before giving today's dose" in page


def test_after_the_missed_run_a_dose_needs_the_prescriber_confirmed_first(client, world, pharmacist):
    miss(world, pharmacist, 3, 2, 1)
    client.force_login(pharmacist)
    form = {"prescription": world.prescription.pk, "outcome": "supervised", "quantity": "60"}
    refused = client.post(reverse("pharmacy:record"), form, follow=True)
    assert "speak to the prescriber before giving this dose" in refused.content.decode()
    assert not world.prescription.dispensing.filter(expected_on=TODAY).exists()
    client.post(reverse("pharmacy:record"), form | {"prescriber_consulted": "on"})
    record = world.prescription.dispensing.get(expected_on=TODAY)
    assert record.outcome == Outcome.SUPERVISED and record.prescriber_consulted


def test_an_import_of_yesterdays_doses_is_not_held_up_by_the_counter_rule(world, pharmacist):
    miss(world, pharmacist, 4, 3, 2)
    services.record_dispensing(
        prescription=world.prescription,
        expected_on=days_ago(1),
        outcome="supervised",
        quantity=Decimal("60"),
        recorded_by=pharmacist,
        source="import",
    )
    assert world.prescription.dispensing.filter(expected_on=days_ago(1)).exists()


def test_a_dose_given_breaks_the_missed_run_at_the_counter(world, pharmacist):
    miss(world, pharmacist, 2)
    supervise(world, pharmacist, 1)
    (row,) = selectors.counter_rows(world.prescription.pharmacy, TODAY)
    assert row.missed_before == 0 and not row.speak_to_prescriber


def test_counter_page_queries_do_not_grow_with_the_number_of_clients(client, world, pharmacist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ostsafe.prescribing.tests.factories import PrescriptionFactory

    client.force_login(pharmacist)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("pharmacy:counter")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(4):
        other = PrescriptionFactory(pharmacy=world.prescription.pharmacy)
        services.record_dispensing(
            prescription=other, expected_on=days_ago(1), outcome="missed", recorded_by=pharmacist
        )
    assert count() == few


def delayed_period(world, pharmacist, starts, ends):
    return services.mark_records_delayed(
        pharmacy=world.prescription.pharmacy,
        starts_on=days_ago(starts),
        ends_on=days_ago(ends),
        reason="Platform outage",
        recorded_by=pharmacist,
    )


def test_a_missed_run_held_back_by_a_delay_alerts_when_the_late_records_arrive(client, world, pharmacist):
    period = delayed_period(world, pharmacist, 3, 0)
    miss(world, pharmacist, 3, 2, 1)
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()
    client.force_login(pharmacist)
    page = client.get(reverse("pharmacy:records_delayed")).content.decode()
    assert "Records delayed now" in page and "Platform outage" in page
    response = client.post(reverse("pharmacy:records_arrived", args=[period.pk]))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.closed_at is not None and period.closed_by == pharmacist
    tasks = Task.objects.filter(rule="pharmacy.missed_doses")
    assert {t.assignee for t in tasks} == {world.users["keyworker"], world.users["prescriber"]}
    assert not selectors.delayed_on(world.prescription.pharmacy_id, days_ago(2))


def test_delayed_periods_that_have_ended_are_closed_daily_and_their_runs_alert(world, pharmacist):
    from django.core.management import call_command

    delayed_period(world, pharmacist, 6, 2)
    miss(world, pharmacist, 5, 4, 3)
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()
    call_command("close_ended_delays")
    assert Task.objects.filter(rule="pharmacy.missed_doses").count() == 2
    delayed_period(world, pharmacist, 1, 0)  # still running: stays open
    call_command("close_ended_delays")
    assert selectors.delayed_on(world.prescription.pharmacy_id, TODAY)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_pharmacy_or_an_administrator_says_late_records_arrived(client, world, actor, pharmacist):
    period = delayed_period(world, pharmacist, 2, 0)
    user = world.users[actor]  # the "pharmacist" actor works at another pharmacy
    client.force_login(user)
    response = client.post(reverse("pharmacy:records_arrived", args=[period.pk]))
    period.refresh_from_db()
    if actor == "administrator":
        assert response.status_code == 302 and period.closed_at is not None
    else:
        assert response.status_code == 403 and period.closed_at is None
        assert AccessEvent.objects.filter(user=user, outcome="refused").exists()


def test_the_counter_puts_clients_needing_attention_first_and_those_done_last(client, world, pharmacist):
    from ostsafe.prescribing.tests.factories import PrescriptionFactory

    missed = PrescriptionFactory(pharmacy=world.prescription.pharmacy, regime="supervised_daily")
    services.record_dispensing(prescription=missed, expected_on=days_ago(1), outcome="missed", recorded_by=pharmacist)
    done = PrescriptionFactory(pharmacy=world.prescription.pharmacy, regime="supervised_daily")
    services.record_dispensing(
        prescription=done, expected_on=TODAY, outcome="supervised", quantity=done.daily_dose, recorded_by=pharmacist
    )
    client.force_login(pharmacist)
    context = client.get(reverse("pharmacy:counter")).context
    assert [row.prescription for row in context["attention"]] == [missed]
    assert done not in [row.prescription for row in context["to_do"]]
    assert [row.prescription for row in context["done"]] == [done]
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert page.index("Look at these first") < page.index("Everyone else") < page.index("Done today")


def test_the_counter_finds_a_client_by_name_or_date_of_birth_without_javascript(client, world, pharmacist):
    service_user = world.prescription.service_user
    client.force_login(pharmacist)
    by_name = client.get(reverse("pharmacy:counter"), {"q": service_user.family_name.upper()}).context
    assert [row.prescription for row in by_name["to_do"] + by_name["attention"]] == [world.prescription]
    born = service_user.date_of_birth
    by_birth = client.get(reverse("pharmacy:counter"), {"q": f"{born.day} {born.month} {born.year}"}).context
    assert [row.prescription for row in by_birth["to_do"] + by_birth["attention"]] == [world.prescription]
    nobody = client.get(reverse("pharmacy:counter"), {"q": "Nobody Atall"})
    assert "Nobody expected today matches" in nobody.content.decode()


def test_recording_a_dose_keeps_the_search_and_the_place(client, world, pharmacist):
    client.force_login(pharmacist)
    response = client.post(
        reverse("pharmacy:record"),
        {
            "prescription": world.prescription.pk,
            "outcome": "missed",
            "quantity": "",
            "q": world.prescription.service_user.family_name,
        },
    )
    from urllib.parse import parse_qs, urlsplit

    assert response.status_code == 302
    back = urlsplit(response["Location"])
    assert back.fragment == "to-do"
    assert parse_qs(back.query)["q"] == [world.prescription.service_user.family_name]


# The API's dispensing list: bounded by date ---------------------------------------------------------------------------


def _records_on(world, *days_ago):
    from ostsafe.pharmacy.models import DispensingRecord

    today = datetime.date.today()
    return DispensingRecord.objects.bulk_create(
        DispensingRecord(
            prescription=world.prescription,
            expected_on=today - datetime.timedelta(days=n),
            outcome=Outcome.MISSED,
            source="import",
        )
        for n in days_ago
    )


def test_api_dispensing_list_is_the_last_four_weeks_unless_dates_are_given(client, world):
    _records_on(world, 0, 27, 28, 400)
    client.force_login(world.users["keyworker"])
    today = datetime.date.today()
    dates = [r["expected_on"] for r in client.get(reverse("dispensing-list")).json()["results"]]
    assert dates == [today.isoformat(), (today - datetime.timedelta(days=27)).isoformat()]
    old = (today - datetime.timedelta(days=400)).isoformat()
    answer = client.get(reverse("dispensing-list"), {"from": old, "to": old}).json()
    assert [r["expected_on"] for r in answer["results"]] == [old]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"from": "30/11/2026"}, "from", "Give the date as YYYY-MM-DD"),
        ({"to": "2026-02-30"}, "to", "Give the date as YYYY-MM-DD"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "from", "on or before the 'to' date"),
        ({"from": "2024-01-01", "to": "2026-11-30"}, "from", "at most 366 days"),
    ],
)
def test_api_dispensing_list_refuses_dates_it_cannot_use_with_a_message(client, world, query, field, message):
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("dispensing-list"), query)
    assert response.status_code == 400
    assert message in response.json()[field][0]
