"""Putting a counter record right: the same pharmacist undoes a slip within ten minutes; later, or anyone else at the
pharmacy, corrects it with a reason that is kept with what the record said before."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.audit.models import AccessEvent
from ostsafe.core.roles import Role
from ostsafe.pharmacy import services
from ostsafe.pharmacy.models import DispensingCorrection, DispensingRecord, Outcome
from ostsafe.pharmacy.tests.test_pharmacy import miss
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def pharmacist(world):
    return UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)


def supervised_today(world, pharmacist):
    return services.record_dispensing(
        prescription=world.prescription,
        expected_on=TODAY,
        outcome=Outcome.SUPERVISED,
        quantity=Decimal("60"),
        recorded_by=pharmacist,
    )


def test_pharmacist_undoes_their_own_record_within_ten_minutes_and_the_log_keeps_it(client, world, pharmacist):
    record = supervised_today(world, pharmacist)
    client.force_login(pharmacist)
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert "Done today (1)" in page and reverse("pharmacy:undo", args=[record.pk]) in page
    response = client.post(reverse("pharmacy:undo", args=[record.pk]), {"q": "x"})
    assert response.url == f"{reverse('pharmacy:counter')}?q=x#to-do"
    assert not DispensingRecord.objects.exists()
    event = AccessEvent.objects.get(action="dispensing.undone")
    assert "Supervised consumption 60.00ml" in event.detail


def test_undo_is_refused_after_ten_minutes_and_for_someone_elses_record(world, pharmacist):
    record = supervised_today(world, pharmacist)
    colleague = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    with pytest.raises(ValidationError, match="Correct it with a reason"):
        services.undo_dispensing(record=record, undone_by=colleague)
    DispensingRecord.objects.filter(pk=record.pk).update(recorded_at=timezone.now() - datetime.timedelta(minutes=11))
    with pytest.raises(ValidationError, match="within 10 minutes"):
        services.undo_dispensing(record=record, undone_by=pharmacist)
    assert DispensingRecord.objects.filter(pk=record.pk).exists()


def test_a_correction_needs_a_reason_and_keeps_what_the_record_said(client, world, pharmacist):
    record = supervised_today(world, pharmacist)
    colleague = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(colleague)
    url = reverse("pharmacy:correct", args=[record.pk])
    assert "Say why the record was wrong" in client.post(url, {"outcome": "missed"}).content.decode()
    response = client.post(url, {"outcome": "missed", "reason": "Wrong client: Jo did not come in"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.outcome == Outcome.MISSED and record.quantity is None
    correction = DispensingCorrection.objects.get()
    assert (correction.old_outcome, correction.old_quantity) == (Outcome.SUPERVISED, Decimal("60"))
    assert correction.corrected_by == colleague
    assert AccessEvent.objects.filter(action="dispensing.corrected", user=colleague).exists()


def test_correcting_to_what_the_record_already_says_is_refused(world, pharmacist):
    record = supervised_today(world, pharmacist)
    with pytest.raises(ValidationError, match="already says"):
        services.correct_dispensing(
            record=record, outcome=Outcome.SUPERVISED, quantity=Decimal("60"), reason="x", corrected_by=pharmacist
        )
    assert not DispensingCorrection.objects.exists()


def test_correcting_a_missed_dose_to_given_after_a_run_needs_the_prescriber(world, pharmacist):
    miss(world, pharmacist, 3, 2, 1, 0)
    record = DispensingRecord.objects.get(expected_on=TODAY)
    with pytest.raises(ValidationError, match="speak to the prescriber"):
        services.correct_dispensing(
            record=record,
            outcome=Outcome.SUPERVISED,
            quantity=Decimal("60"),
            reason="Came late",
            corrected_by=pharmacist,
        )
    services.correct_dispensing(
        record=record,
        outcome=Outcome.SUPERVISED,
        quantity=Decimal("60"),
        reason="Came late",
        corrected_by=pharmacist,
        prescriber_consulted=True,
    )


def test_undoing_the_missed_dose_that_made_the_review_closes_it(world, pharmacist):
    miss(world, pharmacist, 2, 1, 0)
    assert Task.objects.filter(rule="pharmacy.missed_doses", status=TaskStatus.OPEN).count() == 2
    services.undo_dispensing(record=DispensingRecord.objects.get(expected_on=TODAY), undone_by=pharmacist)
    assert not Task.objects.filter(rule="pharmacy.missed_doses", status=TaskStatus.OPEN).exists()


def test_another_pharmacy_cannot_undo_or_correct_and_is_audited(client, world, pharmacist):
    record = supervised_today(world, pharmacist)
    client.force_login(world.users["pharmacist"])  # another pharmacy
    assert client.post(reverse("pharmacy:undo", args=[record.pk])).status_code == 403
    assert (
        client.post(reverse("pharmacy:correct", args=[record.pk]), {"outcome": "missed", "reason": "x"}).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.outcome == Outcome.SUPERVISED
    assert AccessEvent.objects.filter(user=world.users["pharmacist"], outcome="refused").count() >= 2


def test_counter_offers_correct_not_undo_for_an_older_record(client, world, pharmacist):
    record = supervised_today(world, pharmacist)
    DispensingRecord.objects.filter(pk=record.pk).update(recorded_at=timezone.now() - datetime.timedelta(minutes=30))
    client.force_login(pharmacist)
    page = client.get(reverse("pharmacy:counter")).content.decode()
    assert reverse("pharmacy:undo", args=[record.pk]) not in page
    assert reverse("pharmacy:correct", args=[record.pk]) in page
