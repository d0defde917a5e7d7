"""Bulk dispensing records from pharmacy systems: the CSV import command and the REST batch endpoint share this.

Format (docs/dispensing-import.md): nhs_number, pharmacy (the pharmacy's organisation id), date (YYYY-MM-DD),
outcome (supervised | collected | missed), quantity, note. The natural key is (prescription, date): sending the same
file again changes nothing. Rows are validated in batches; each batch is one transaction, so a stopped import leaves
whole batches only, and a re-run completes it. Memory stays bounded: rows stream through in batches and the report
keeps the first rejections verbatim and counts the rest.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.db import transaction

from ostsafe.audit.models import AccessEvent
from ostsafe.audit.models import Outcome as AuditOutcome
from ostsafe.core.validators import today
from ostsafe.prescribing.models import Prescription

from . import selectors, services
from .models import DispensingRecord, Outcome, Source

FIELDS = ["nhs_number", "pharmacy", "date", "outcome", "quantity", "note"]
KEEP_REJECTIONS = 1000


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    rejected: int = 0
    batches: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, row_number: int, reason: str):
        self.rejected += 1
        if len(self.rejections) < KEEP_REJECTIONS:
            self.rejections.append((row_number, reason))

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejections": [{"row": n, "reason": r} for n, r in self.rejections],
        }


def _parse(row: dict) -> tuple[str, int, date, str, Decimal | None, str]:
    nhs = (row.get("nhs_number") or "").replace(" ", "")
    try:
        pharmacy = int(row.get("pharmacy") or "")
    except ValueError:
        raise ValueError("pharmacy must be the pharmacy's number") from None
    try:
        on = date.fromisoformat((row.get("date") or "").strip())
    except ValueError:
        raise ValueError("date must be a real date, like 2026-11-23") from None
    outcome = (row.get("outcome") or "").strip().lower()
    if outcome not in Outcome.values:
        raise ValueError("outcome must be supervised, collected or missed")
    raw_quantity = (row.get("quantity") or "").strip()
    try:
        quantity = Decimal(raw_quantity) if raw_quantity else None
    except InvalidOperation:
        raise ValueError("quantity must be a number") from None
    return nhs, pharmacy, on, outcome, quantity, (row.get("note") or "")[:500]


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[tuple[int, dict]]]:
    numbered = enumerate(rows, start=2)  # row 1 is the header
    while batch := list(islice(numbered, size)):
        yield batch


def import_rows(
    rows: Iterable[dict],
    *,
    imported_by=None,
    source: str = Source.IMPORT,
    allowed_pharmacy_ids: set[int] | None = None,
    batch_size: int = 2000,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate and store dispensing rows batch by batch. See the module docstring for the rules."""
    report = ImportReport()
    as_of = today()
    for batch in _batches(rows, batch_size):
        _import_batch(batch, report, imported_by, source, allowed_pharmacy_ids, as_of)
        report.batches += 1
        if on_batch:
            on_batch(report)
    return report


@transaction.atomic
def _import_batch(batch, report, imported_by, source, allowed_pharmacy_ids, as_of):
    parsed = []
    for number, row in batch:
        try:
            parsed.append((number, *_parse(row)))
        except ValueError as error:
            report.reject(number, str(error))
    prescriptions: dict[tuple[str, int], list[Prescription]] = {}
    for p in Prescription.objects.filter(
        service_user__nhs_number__in={r[1] for r in parsed}, pharmacy_id__in={r[2] for r in parsed}
    ).select_related("service_user"):
        prescriptions.setdefault((p.service_user.nhs_number, p.pharmacy_id), []).append(p)
    candidates = []
    for number, nhs, pharmacy, on, outcome, quantity, note in parsed:
        if allowed_pharmacy_ids is not None and pharmacy not in allowed_pharmacy_ids:
            report.reject(number, "not your pharmacy")
            continue
        if on > as_of:
            report.reject(number, "date is in the future")
            continue
        prescription = next((p for p in prescriptions.get((nhs, pharmacy), []) if p.is_current(on)), None)
        if prescription is None:
            report.reject(number, "unknown client: no prescription dispensed at this pharmacy on that date")
            continue
        if not selectors.is_expected_on(prescription, on):
            report.reject(number, "no dose expected for this client on that date")
            continue
        expected = selectors.expected_quantity(prescription)
        if outcome == Outcome.MISSED and quantity:
            report.reject(number, "a missed dose has no quantity")
            continue
        if outcome != Outcome.MISSED and quantity != expected:
            report.reject(number, f"dose does not match the prescription ({expected:f}{prescription.dose_unit})")
            continue
        candidates.append((number, prescription, on, outcome, quantity, note))
    existing = {
        (r.prescription_id, r.expected_on): r
        for r in DispensingRecord.objects.filter(
            prescription_id__in={c[1].pk for c in candidates}, expected_on__in={c[2] for c in candidates}
        )
    }
    new, seen = [], set()
    for number, prescription, on, outcome, quantity, note in candidates:
        key = (prescription.pk, on)
        current = existing.get(key)
        if current is not None:
            if (current.outcome, current.quantity) == (outcome, quantity):
                report.unchanged += 1
            else:
                report.reject(number, "duplicate with different values: a record for this dose already exists")
            continue
        if key in seen:
            report.reject(number, "the same dose appears twice in this file")
            continue
        seen.add(key)
        new.append(
            DispensingRecord(
                prescription=prescription,
                expected_on=on,
                outcome=outcome,
                quantity=quantity,
                note=note,
                source=source,
                recorded_by=imported_by,
            )
        )
    DispensingRecord.objects.bulk_create(new)
    report.created += len(new)
    households = {r.prescription.service_user.household_id for r in new}
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=imported_by,
            household_id=h,
            action="dispensing.import",
            path="",
            method="WRITE",
            outcome=AuditOutcome.ALLOWED,
            detail=f"{source} batch",
        )
        for h in households
    )
    missed = {(r.prescription_id, r.expected_on): r.prescription for r in new if r.outcome == Outcome.MISSED}
    latest_missed: dict[int, tuple[date, Prescription]] = {}
    for (pk, on), prescription in missed.items():
        if pk not in latest_missed or on > latest_missed[pk][0]:
            latest_missed[pk] = (on, prescription)
    for on, prescription in latest_missed.values():
        services.check_missed_doses(prescription=prescription, as_of=on)


def read_csv(handle) -> Iterator[dict]:
    reader = csv.DictReader(handle)
    missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"The file has no column {', '.join(missing)}. Columns needed: {', '.join(FIELDS)}")
    yield from reader
