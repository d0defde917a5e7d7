"""Recording what happened at the counter, pharmacists' concerns, and the missed-dose rule."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ostsafe.audit.actions import DISPENSING_BY_OUTCOME, AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.mail import queue_email
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.prescribing.models import Prescription
from ostsafe.sharing import services as sharing_services
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task, TaskStatus

from . import selectors
from .models import (
    DispensingCorrection,
    DispensingRecord,
    Outcome,
    PharmacyConcern,
    PharmacyPolicy,
    RecordsDelayed,
    Source,
)


@transaction.atomic
def record_dispensing(
    *,
    prescription,
    expected_on: date,
    outcome: str,
    quantity=None,
    note: str = "",
    recorded_by,
    source: str = Source.COUNTER,
    prescriber_consulted: bool = False,
) -> DispensingRecord:
    """Record supervised / collected / missed for one expected dose. Fails when no dose was expected that day, when
    the quantity does not fit the outcome or exceeds what is prescribed, or when a different record already exists;
    and, at the counter after a run of missed doses, when a dose is given without the pharmacist confirming they
    spoke to the prescriber first."""
    if not prescription.expects_dose_on(expected_on):
        raise DomainError({"expected_on": "No dose is expected for this prescription on that day"})
    if source == Source.COUNTER:
        _refuse_without_the_prescriber(prescription, expected_on, outcome, prescriber_consulted)
    if quantity and quantity > prescription.dose_per_collection:
        raise DomainError(
            {"quantity": f"More than prescribed: at most {prescription.dose_per_collection:f}{prescription.dose_unit}"}
        )
    existing = (
        DispensingRecord.objects.select_for_update().filter(prescription=prescription, expected_on=expected_on).first()
    )
    if existing:
        if (existing.outcome, existing.quantity) == (outcome, quantity):
            return existing
        raise DomainError(
            "This dose already has a record with different details. Correct it under Done today, with a reason"
        )
    record = apply_changes(
        DispensingRecord(prescription=prescription, expected_on=expected_on, recorded_by=recorded_by, source=source),
        {"outcome": outcome, "quantity": quantity, "note": note, "prescriber_consulted": prescriber_consulted},
    )
    record_change(
        user=recorded_by,
        action=DISPENSING_BY_OUTCOME[outcome],
        household_id=prescription.service_user.household_id,
        detail=f"{record.pk}",
    )
    if outcome == Outcome.MISSED:
        check_missed_doses(prescription=prescription, as_of=expected_on)
    return record


def _refuse_without_the_prescriber(prescription, expected_on: date, outcome: str, prescriber_consulted: bool):
    """Clinical guidance on missed opioid doses: after several, tolerance may have dropped and a full dose can kill.
    The counter asks for the conversation, not only advises it (recording a dose, and correcting a record to one)."""
    if outcome == Outcome.MISSED or prescriber_consulted:
        return
    threshold = PharmacyPolicy.current().missed_doses_for_review
    run = selectors.missed_before(prescription, expected_on, threshold)
    if run >= threshold:
        raise DomainError(
            {
                "prescriber_consulted": f"{run} doses missed in a row: speak to the prescriber before giving "
                "this dose, then tick that you have"
            }
        )


MISSED_DOSES_RULE = "pharmacy.missed_doses"
# An accidental tap at a busy counter is put right by the same pharmacist within minutes without a reason; later, or
# by someone else, a correction with a reason keeps what the record said before.
UNDO_MINUTES = 10


def may_undo(record: DispensingRecord, user, *, corrected: bool, now=None) -> bool:
    """Whether `user` may still undo this record (their own, at the counter, not corrected since, within minutes)."""
    now = now or timezone.now()
    return (
        record.source == Source.COUNTER
        and record.recorded_by_id == user.pk
        and now - record.recorded_at <= timedelta(minutes=UNDO_MINUTES)
        and not corrected
    )


@transaction.atomic
def undo_dispensing(*, record: DispensingRecord, undone_by) -> None:
    """Take back a dose recorded at the counter by the same person in the last ten minutes (the wrong client, the
    wrong button). Fails after that, or for someone else's record: correct it with a reason instead. The access log
    keeps what was undone; a missed dose's review task, if the undone record made one, closes."""
    record = DispensingRecord.objects.select_for_update().select_related("prescription__service_user").get(pk=record.pk)
    if not may_undo(record, undone_by, corrected=record.corrections.exists()):
        raise DomainError(
            f"Only your own record can be undone, within {UNDO_MINUTES} minutes. Correct it with a reason instead"
        )
    prescription = record.prescription
    detail = f"{record.pk} {prescription.pk} {record.expected_on:%-d %B %Y}: {record.get_outcome_display()}"
    if record.quantity:
        detail += f" {record.quantity:f}{prescription.dose_unit}"
    was_missed = record.outcome == Outcome.MISSED
    record.delete()
    if was_missed:
        _close_review_if_no_run(prescription, undone_by)
    record_change(
        user=undone_by,
        action=AuditAction.DISPENSING_UNDONE,
        household_id=prescription.service_user.household_id,
        detail=detail,
    )


@transaction.atomic
def correct_dispensing(
    *, record: DispensingRecord, outcome: str, quantity, reason: str, corrected_by, prescriber_consulted: bool = False
) -> DispensingRecord:
    """Correct a dose recorded wrongly: the new outcome and quantity, with the reason, keeping what it said before.
    The same rules as recording it: a quantity that fits the outcome and the prescription, and after a run of missed
    doses, the prescriber spoken to before a dose is recorded as given."""
    record = DispensingRecord.objects.select_for_update().select_related("prescription__service_user").get(pk=record.pk)
    prescription = record.prescription
    if not reason.strip():
        raise DomainError({"reason": "Say why the record was wrong"})
    quantity = None if outcome == Outcome.MISSED else quantity
    if (record.outcome, record.quantity) == (outcome, quantity):
        raise DomainError({"outcome": "That is what the record already says"})
    _refuse_without_the_prescriber(prescription, record.expected_on, outcome, prescriber_consulted)
    if quantity and quantity > prescription.dose_per_collection:
        raise DomainError(
            {"quantity": f"More than prescribed: at most {prescription.dose_per_collection:f}{prescription.dose_unit}"}
        )
    old_outcome, old_quantity = record.outcome, record.quantity
    apply_changes(record, {"outcome": outcome, "quantity": quantity, "prescriber_consulted": prescriber_consulted})
    apply_changes(
        DispensingCorrection(record=record, corrected_by=corrected_by),
        {
            "old_outcome": old_outcome,
            "old_quantity": old_quantity,
            "new_outcome": outcome,
            "new_quantity": quantity,
            "reason": reason.strip(),
        },
    )
    record_change(
        user=corrected_by,
        action=AuditAction.DISPENSING_CORRECTED,
        household_id=prescription.service_user.household_id,
        detail=f"{record.pk}: {old_outcome} to {outcome}",
    )
    if outcome == Outcome.MISSED:
        check_missed_doses(prescription=prescription, as_of=record.expected_on)
    elif old_outcome == Outcome.MISSED:
        _close_review_if_no_run(prescription, corrected_by)
    return record


def _close_review_if_no_run(prescription, by):
    """A missed dose taken back (undone, or corrected to given): if the run that made the review task is no longer
    there, the task closes, saying why."""
    threshold = PharmacyPolicy.current().missed_doses_for_review
    if selectors.missed_before(prescription, timezone.localdate() + timedelta(days=1), threshold) >= threshold:
        return
    for task in Task.objects.filter(
        rule=MISSED_DOSES_RULE,
        status=TaskStatus.OPEN,
        dedupe_key__startswith=f"{MISSED_DOSES_RULE}:{prescription.pk}:",
    ):
        task_services.complete_task(
            task=task,
            completed_by=by,
            outcome="A missed dose was taken back at the counter: no run of missed doses now",
        )


def check_missed_doses(*, prescription, as_of: date):
    """Guide, "Professional curiosity": changes in attendance. N consecutive missed doses (N configurable, 3 by
    default) make a same-day review task for the keyworker and the prescriber, unless the pharmacy's records are
    delayed in that period."""
    check_missed_runs({prescription: [as_of]})


def check_missed_runs(run_ends: dict):
    """The missed-dose rule for many prescriptions at once (imports, a delayed period closing). `run_ends` maps each
    prescription to the missed dates a run may end on; the latest complete run of N misses, none of them in an open
    delayed period, makes the tasks (one open task per prescription and person). A fixed number of queries, plus the
    tasks it makes."""
    threshold = PharmacyPolicy.current().missed_doses_for_review
    delays = list(RecordsDelayed.objects.filter(closed_at__isnull=True))
    candidates: dict = {}
    for prescription, ends in run_ends.items():
        for as_of in sorted(set(ends), reverse=True):
            dates = selectors.previous_expected_dates(prescription, as_of, threshold)
            if len(dates) < threshold or any(
                period.pharmacy_id in (None, prescription.pharmacy_id) and period.starts_on <= d <= period.ends_on
                for period in delays
                for d in dates
            ):
                continue
            candidates.setdefault(prescription, []).append(dates)
    if not candidates:
        return
    earliest = min(runs[-1][-1] for runs in candidates.values())
    latest = max(runs[0][0] for runs in candidates.values())
    missed = set(
        DispensingRecord.objects.filter(
            prescription__in=candidates, outcome=Outcome.MISSED, expected_on__gte=earliest, expected_on__lte=latest
        ).values_list("prescription_id", "expected_on")
    )
    # The open review tasks of these prescriptions, in one query: a daily feed finds the same runs day after day, and
    # a run already being reviewed needs nothing more.
    open_keys = set(
        Task.objects.filter(
            rule=MISSED_DOSES_RULE,
            status=TaskStatus.OPEN,
            service_user_id__in={p.service_user_id for p in candidates},
        ).values_list("dedupe_key", flat=True)
    )
    for prescription, runs in candidates.items():
        run = next((dates for dates in runs if all((prescription.pk, d) in missed for d in dates)), None)
        if run is not None:
            _missed_run_tasks(prescription, run, threshold, open_keys)


def _missed_run_tasks(prescription, dates: list[date], threshold: int, open_keys: set[str]):
    service_user = prescription.service_user
    prefix = f"{MISSED_DOSES_RULE}:{prescription.pk}:"
    new_run = not any(key.startswith(prefix) for key in open_keys)
    for assignee in {u for u in (service_user.keyworker, prescription.prescriber) if u is not None}:
        if f"{prefix}{assignee.pk}" in open_keys:
            continue  # already open for them (create_task would return it)
        task_services.create_task(
            title=f"{threshold} missed doses in a row: review",
            detail=f"{service_user.full_name} missed {', '.join(f'{d:%-d %b}' for d in reversed(dates))} at "
            f"{prescription.pharmacy}.",
            household=service_user.household,
            service_user=service_user,
            assignee=assignee,
            due_on=dates[0],
            rule=MISSED_DOSES_RULE,
            dedupe_key=f"{prefix}{assignee.pk}",
        )
    if new_run:
        sharing_services.draft_updates(
            household=service_user.household,
            service_user=service_user,
            development=f"{threshold} missed doses in a row at the pharmacy, the last on {dates[0]:%-d %B %Y}",
            drafted_by=None,
        )


@transaction.atomic
def raise_pharmacy_concern(*, pharmacy, service_user, category: str, description: str, raised_by, raised_on: date):
    """A pharmacist's concern: a task and an email for the keyworker; shown on the family's record."""
    concern = apply_changes(
        PharmacyConcern(pharmacy=pharmacy, service_user=service_user, raised_by=raised_by),
        {"category": category, "description": description, "raised_on": raised_on},
    )
    keyworker = service_user.keyworker
    if keyworker is not None:
        task_services.create_task(
            title=f"Pharmacy concern: {concern.get_category_display().lower()}",
            detail=f"{pharmacy}: {description}",
            household=service_user.household,
            service_user=service_user,
            assignee=keyworker,
            due_on=raised_on,
            created_by=raised_by,
            rule="pharmacy.concern",
        )
        queue_email(
            to=keyworker.email,
            subject=f"Pharmacy concern about one of your service users: {concern.get_category_display().lower()}",
            body=f"{pharmacy} raised a concern on {raised_on:%-d %B %Y}. Sign in to OST Safe and open My tasks.",
        )
    record_change(
        user=raised_by,
        action=AuditAction.PHARMACY_CONCERN,
        household_id=service_user.household_id,
        detail=f"{concern.pk}",
    )
    return concern


@transaction.atomic
def mark_records_delayed(*, pharmacy, starts_on: date, ends_on: date, reason: str, recorded_by) -> RecordsDelayed:
    """Records for a pharmacy (or, with `pharmacy` None, the whole feed) will arrive late for this period."""
    period = apply_changes(
        RecordsDelayed(pharmacy=pharmacy, recorded_by=recorded_by),
        {"starts_on": starts_on, "ends_on": ends_on, "reason": reason},
    )
    record_change(
        user=recorded_by, action=AuditAction.PHARMACY_RECORDS_DELAYED, household_id=None, detail=f"{period.pk}"
    )
    return period


@transaction.atomic
def close_records_delayed(*, period: RecordsDelayed, closed_by=None) -> RecordsDelayed:
    """The late records have arrived (or the period has ended): its doses count again, and the missed-dose rule runs
    again for every prescription at that pharmacy (every pharmacy, for the whole feed) with a missed dose since the
    period began, so a run hidden by the delay makes its tasks now."""
    period = RecordsDelayed.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is not None:
        return period
    period.closed_at, period.closed_by = timezone.now(), closed_by
    period.save(update_fields=["closed_at", "closed_by"])
    record_change(user=closed_by, action=AuditAction.PHARMACY_RECORDS_ARRIVED, household_id=None, detail=f"{period.pk}")
    misses = DispensingRecord.objects.filter(outcome=Outcome.MISSED, expected_on__gte=period.starts_on)
    if period.pharmacy_id is not None:
        misses = misses.filter(prescription__pharmacy_id=period.pharmacy_id)
    ends: dict[int, list[date]] = {}
    for pid, on in misses.values_list("prescription_id", "expected_on"):
        ends.setdefault(pid, []).append(on)
    prescriptions = Prescription.objects.filter(pk__in=ends).select_related(
        "service_user__household", "service_user__keyworker", "prescriber", "pharmacy"
    )
    check_missed_runs({p: ends[p.pk] for p in prescriptions})
    return period


def close_ended_delays(on: date) -> int:
    """Close every open delayed period that ended before `on` (run daily: `manage.py close_ended_delays`)."""
    ended = RecordsDelayed.objects.filter(closed_at__isnull=True, ends_on__lt=on)
    for period in ended:
        close_records_delayed(period=period)
    return len(ended)
