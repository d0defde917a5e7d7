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

from django.db import connection, transaction
from django.utils import timezone

from ostsafe.audit.models import AccessEvent
from ostsafe.audit.models import Outcome as AuditOutcome
from ostsafe.core.validators import today
from ostsafe.prescribing.models import Prescription

from . import selectors, services
from .models import DispensingRecord, Outcome, RecordsDelayed, Source

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
    # PostgreSQL checks and inserts each batch as sets, from a COPY into a staging table (the benchmark's figure is
    # this path against plain COPY); other databases (SQLite) check row by row in Python. Same rules, same report.
    import_batch = _import_batch_postgres if connection.vendor == "postgresql" else _import_batch
    for batch in _batches(rows, batch_size):
        import_batch(batch, report, imported_by, source, allowed_pharmacy_ids, as_of)
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
    _after_insert([(r.prescription_id, r.expected_on, r.outcome) for r in new], imported_by=imported_by, source=source)


def _after_insert(inserted: list[tuple[int, date, str]], *, imported_by, source):
    """Audit one event per household touched, and run the missed-dose rule once per prescription with new misses."""
    if not inserted:
        return
    prescriptions = {
        p.pk: p
        for p in Prescription.objects.filter(pk__in={pid for pid, _, _ in inserted}).select_related(
            "service_user__household", "service_user__keyworker", "prescriber", "pharmacy"
        )
    }
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
        for h in {p.service_user.household_id for p in prescriptions.values()}
    )
    latest_missed: dict[int, date] = {}
    for pid, on, outcome in inserted:
        if outcome == Outcome.MISSED and on > latest_missed.get(pid, date.min):
            latest_missed[pid] = on
    delays = list(RecordsDelayed.objects.all())
    for pid, on in latest_missed.items():
        services.check_missed_doses(prescription=prescriptions[pid], as_of=on, delays=delays)


STAGE = "pharmacy_dispensing_stage"
CHECKED = "pharmacy_dispensing_checked"


@transaction.atomic
def _import_batch_postgres(batch, report, imported_by, source, allowed_pharmacy_ids, as_of):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (row_no int, nhs_number text, pharmacy int, day date, "
            "outcome text, quantity numeric, note text) ON COMMIT DELETE ROWS"
        )
        # Empty it explicitly too: inside an outer transaction (a test, or a caller's) ON COMMIT has not run yet.
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
            for number, row in batch:
                try:
                    copy.write_row((number, *_parse(row)))
                except ValueError as error:
                    report.reject(number, str(error))
        cursor.execute(f"ANALYZE {STAGE}")  # fresh statistics, so the joins below are planned for this batch
        # Every rule of the Python path, as one set-based classification: reason is NULL for a valid row.
        cursor.execute(f"DROP TABLE IF EXISTS {CHECKED}")
        cursor.execute(
            f"""
            CREATE TEMP TABLE {CHECKED} ON COMMIT DROP AS
            WITH matched AS (
                -- Hash joins, not a per-row lookup: the newest prescription current on the day wins.
                SELECT DISTINCT ON (s.row_no)
                       s.*, p.id AS pid, p.regime, p.start_date, p.take_home_days, p.dose_unit,
                       p.daily_dose * (CASE WHEN p.regime = 'take_home' THEN coalesce(p.take_home_days, 1) ELSE 1 END)
                           AS expected
                FROM {STAGE} s
                LEFT JOIN families_serviceuser su ON su.nhs_number = s.nhs_number
                LEFT JOIN prescribing_prescription p
                       ON p.service_user_id = su.id AND p.pharmacy_id = s.pharmacy
                      AND p.start_date <= s.day AND (p.end_date IS NULL OR p.end_date >= s.day)
                ORDER BY s.row_no, p.start_date DESC NULLS LAST, p.id DESC
            ),
            classified AS (
                SELECT m.*, CASE
                    WHEN %(allowed)s::int[] IS NOT NULL AND NOT (m.pharmacy = ANY(%(allowed)s::int[]))
                        THEN 'not your pharmacy'
                    WHEN m.day > %(as_of)s THEN 'date is in the future'
                    WHEN m.pid IS NULL
                        THEN 'unknown client: no prescription dispensed at this pharmacy on that date'
                    WHEN m.regime = 'administered'
                      OR (m.regime = 'take_home' AND (m.day - m.start_date) %% coalesce(m.take_home_days, 1) <> 0)
                        THEN 'no dose expected for this client on that date'
                    WHEN m.outcome = 'missed' AND coalesce(m.quantity, 0) <> 0 THEN 'a missed dose has no quantity'
                    WHEN m.outcome <> 'missed' AND m.quantity IS DISTINCT FROM m.expected
                        THEN 'dose does not match the prescription (' || m.expected::text || m.dose_unit || ')'
                    END AS reason
                FROM matched m
            )
            SELECT c.*,
                   row_number() OVER (PARTITION BY c.pid, c.day ORDER BY c.row_no) AS occurrence,
                   d.outcome AS existing_outcome, d.quantity AS existing_quantity, d.id AS existing_id
            FROM classified c
            LEFT JOIN pharmacy_dispensingrecord d ON d.prescription_id = c.pid AND d.expected_on = c.day
            """,
            {"allowed": sorted(allowed_pharmacy_ids) if allowed_pharmacy_ids is not None else None, "as_of": as_of},
        )
        cursor.execute(
            f"""
            UPDATE {CHECKED} SET reason = CASE
                WHEN existing_id IS NOT NULL
                     AND (existing_outcome <> outcome OR existing_quantity IS DISTINCT FROM quantity)
                    THEN 'duplicate with different values: a record for this dose already exists'
                WHEN existing_id IS NULL AND occurrence > 1 THEN 'the same dose appears twice in this file'
                END
            WHERE reason IS NULL AND (existing_id IS NOT NULL OR occurrence > 1)
              AND NOT (existing_id IS NOT NULL AND existing_outcome = outcome
                       AND existing_quantity IS NOT DISTINCT FROM quantity)
            """
        )
        cursor.execute(f"SELECT count(*) FROM {CHECKED} WHERE reason IS NULL AND existing_id IS NOT NULL")
        report.unchanged += cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO pharmacy_dispensingrecord
                (prescription_id, expected_on, outcome, quantity, note, source, recorded_by_id, recorded_at)
            SELECT pid, day, outcome, quantity, coalesce(note, ''), %(source)s, %(user)s, %(now)s
            FROM {CHECKED} WHERE reason IS NULL AND existing_id IS NULL AND occurrence = 1
            ON CONFLICT (prescription_id, expected_on) DO NOTHING
            RETURNING prescription_id, expected_on, outcome
            """,
            {"source": source, "user": imported_by.pk if imported_by else None, "now": timezone.now()},
        )
        inserted = cursor.fetchall()
        report.created += len(inserted)
        cursor.execute(f"SELECT count(*) FROM {CHECKED} WHERE reason IS NOT NULL")
        rejected = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT row_no, reason FROM {CHECKED} WHERE reason IS NOT NULL ORDER BY row_no LIMIT %s",
            [max(KEEP_REJECTIONS - len(report.rejections), 0)],
        )
        kept = cursor.fetchall()
        for number, reason in kept:
            report.reject(number, reason)
        report.rejected += rejected - len(kept)  # counted, not listed, beyond the first KEEP_REJECTIONS
    _after_insert(inserted, imported_by=imported_by, source=source)


def read_csv(handle) -> Iterator[dict]:
    reader = csv.DictReader(handle)
    missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"The file has no column {', '.join(missing)}. Columns needed: {', '.join(FIELDS)}")
    yield from reader
