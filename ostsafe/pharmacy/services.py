"""Recording what happened at the counter, pharmacists' concerns, and the missed-dose rule."""

from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ostsafe.audit.actions import DISPENSING_BY_OUTCOME, AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.prescribing.models import Prescription
from ostsafe.sharing import services as sharing_services
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task, TaskStatus

from . import selectors
from .models import DispensingRecord, Outcome, PharmacyConcern, PharmacyPolicy, RecordsDelayed, Source


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
    if source == Source.COUNTER and outcome != Outcome.MISSED and not prescriber_consulted:
        # Clinical guidance on missed opioid doses: after several, tolerance may have dropped and a full dose can
        # kill. The counter asks for the conversation, not only advises it.
        threshold = PharmacyPolicy.current().missed_doses_for_review
        run = selectors.missed_before(prescription, expected_on, threshold)
        if run >= threshold:
            raise DomainError(
                {
                    "prescriber_consulted": f"{run} doses missed in a row: speak to the prescriber before giving "
                    "this dose, then tick that you have"
                }
            )
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
        raise DomainError("This dose already has a record with different details. Speak to the keyworker to correct it")
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
    for prescription, runs in candidates.items():
        run = next((dates for dates in runs if all((prescription.pk, d) in missed for d in dates)), None)
        if run is not None:
            _missed_run_tasks(prescription, run, threshold)


def _missed_run_tasks(prescription, dates: list[date], threshold: int):
    service_user = prescription.service_user
    new_run = not Task.objects.filter(
        rule="pharmacy.missed_doses",
        status=TaskStatus.OPEN,
        dedupe_key__startswith=f"pharmacy.missed_doses:{prescription.pk}:",
    ).exists()
    for assignee in {u for u in (service_user.keyworker, prescription.prescriber) if u is not None}:
        task_services.create_task(
            title=f"{threshold} missed doses in a row: review",
            detail=f"{service_user.full_name} missed {', '.join(f'{d:%-d %b}' for d in reversed(dates))} at "
            f"{prescription.pharmacy}.",
            household=service_user.household,
            service_user=service_user,
            assignee=assignee,
            due_on=dates[0],
            rule="pharmacy.missed_doses",
            dedupe_key=f"pharmacy.missed_doses:{prescription.pk}:{assignee.pk}",
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
        transaction.on_commit(
            lambda: send_mail(
                f"Pharmacy concern about one of your service users: {concern.get_category_display().lower()}",
                f"{pharmacy} raised a concern on {raised_on:%-d %B %Y}. Sign in to OST Safe and open My tasks.",
                None,
                [keyworker.email],
            )
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
