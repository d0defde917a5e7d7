"""Appointments from a booking or case-management system: `manage.py import_appointments FILE` and
`POST /api/appointment-batches/` share this (docs/appointments-import.md).

Columns: nhs_number, date (YYYY-MM-DD), kind (keywork | prescriber_review | group | home_visit), outcome (attended |
did_not_attend | cancelled_by_client | cancelled_by_service, or empty while the appointment is still to come). The
natural key is (client, kind, date), as on screen. A row for an appointment already recorded without an outcome
records its outcome (updated); the same outcome again is unchanged; a different outcome is refused, because changing
what happened is a correction for a person on screen, not for a file. Each batch is one transaction.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_changes
from ostsafe.core import access
from ostsafe.core import imports as core_imports
from ostsafe.core.imports import WHITESPACE, ImportReport, numbered_batches, parse_date
from ostsafe.core.validators import today, validate_plannable
from ostsafe.families.models import ServiceUser

from .models import Appointment, AppointmentKind, AppointmentOutcome

FIELDS = ["nhs_number", "date", "kind", "outcome"]
OPTIONAL_FIELDS = ["outcome"]  # booked appointments have none yet
DEFAULT_BATCH_SIZE = 2000
KINDS = frozenset(AppointmentKind.values)
OUTCOMES = frozenset(AppointmentOutcome.values)
UNKNOWN_CLIENT = "unknown client: no service user with this NHS number in your service's families"


def records_from_dicts(rows: Iterable[Mapping]) -> Iterator[tuple[str, ...]]:
    return core_imports.records_from_dicts(rows, FIELDS)


def read_csv(handle) -> Iterator[tuple[str, ...]]:
    return core_imports.read_csv(handle, FIELDS, OPTIONAL_FIELDS)


def _parse(record):
    nhs, on, kind, outcome = record
    day = parse_date(on)
    kind = kind.strip(WHITESPACE).lower()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(AppointmentKind.values)}")
    outcome = outcome.strip(WHITESPACE).lower()
    if outcome and outcome not in OUTCOMES:
        raise ValueError(f"outcome must be empty or one of {', '.join(AppointmentOutcome.values)}")
    return nhs.replace(" ", ""), day, kind, outcome


def import_appointments(
    records: Iterable[tuple[str, ...]],
    *,
    imported_by=None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate and store appointments batch by batch. With `imported_by`, only the families that user reaches
    (core.access); without (the command line, run by the service), every family."""
    report = ImportReport()
    families = access.household_q(imported_by, prefix="household__") if imported_by is not None else Q()
    for batch in numbered_batches(records, batch_size):
        _import_batch(batch, report, families, imported_by, today())
        report.batches += 1
        if on_batch:
            on_batch(report)
    return report


@transaction.atomic
def _import_batch(batch, report: ImportReport, families: Q, imported_by, as_of):
    parsed, rejected = [], []
    for number, record in batch:
        try:
            parsed.append((number, *_parse(record)))
        except ValueError as error:
            rejected.append((number, str(error)))
    clients = {
        su.nhs_number: su
        for su in ServiceUser.objects.filter(families, nhs_number__in={p[1] for p in parsed}).only(
            "id", "nhs_number", "household_id"
        )
    }
    existing = {
        (a.service_user_id, a.kind, a.on): a
        for a in Appointment.objects.select_for_update().filter(
            service_user__in=clients.values(), on__in={p[2] for p in parsed}
        )
    }
    new, changed, seen, households = [], [], set(), set()
    for number, nhs, day, kind, outcome in parsed:
        client = clients.get(nhs)
        if client is None:
            rejected.append((number, UNKNOWN_CLIENT))
            continue
        if outcome and day > as_of:
            rejected.append((number, "an appointment in the future has no outcome yet"))
            continue
        try:
            validate_plannable(day)
        except ValidationError as error:
            rejected.append((number, error.messages[0]))
            continue
        key = (client.pk, kind, day)
        current = existing.get(key)
        if current is not None and (current.outcome == outcome or not outcome):
            report.unchanged += 1  # already there (a row without an outcome leaves a recorded outcome alone)
            continue
        if key in seen:
            rejected.append((number, "the same appointment appears twice in this file"))
            continue
        seen.add(key)
        if current is None:
            new.append(Appointment(service_user=client, kind=kind, on=day, outcome=outcome, recorded_by=imported_by))
        elif not current.outcome:
            current.outcome, current.recorded_by = outcome, imported_by
            changed.append(current)
        else:
            rejected.append(
                (number, f"duplicate with different values: already recorded as {current.get_outcome_display()}")
            )
            continue
        households.add(client.household_id)
    Appointment.objects.bulk_create(new)
    Appointment.objects.bulk_update(changed, ["outcome", "recorded_by"])
    report.created += len(new)
    report.updated += len(changed)
    report.reject_all(rejected)
    record_changes(user=imported_by, action=AuditAction.APPOINTMENT_IMPORT, household_ids=households, detail="batch")
