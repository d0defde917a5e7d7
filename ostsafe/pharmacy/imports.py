"""Bulk dispensing records from pharmacy systems: the CSV import command and the REST batch endpoint share this.

Format (docs/dispensing-import.md): nhs_number, pharmacy (the pharmacy's organisation id), date (YYYY-MM-DD),
outcome (supervised | collected | missed), quantity, note. The natural key is (prescription, date): sending the same
file again changes nothing. Rows are validated in batches; each batch is one transaction, so a stopped import leaves
whole batches only, and a re-run completes it. Memory stays bounded: rows stream through in batches and the report
keeps the first rejections verbatim and counts the rest.

A record is a tuple of the six cells as text, in FIELDS order (`read_csv` and `records_from_dicts` make them).
`CellParser` types the cells (one definition of each format, below). On PostgreSQL each batch is COPYed into a
staging table and checked and inserted as sets; elsewhere (SQLite) `_import_batch` applies the same rules in Python.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_bulk_change
from ostsafe.core import imports as core_imports
from ostsafe.core.imports import WHITESPACE, ImportReport, numbered_batches
from ostsafe.core.imports import parse_date as _date
from ostsafe.core.validators import today
from ostsafe.families.models import ServiceUser
from ostsafe.prescribing.models import Prescription

from . import services
from .models import DispensingRecord, Outcome, Source

# A row for a pharmacy the sender does not work for. The set-based check in SQL below uses the same words.
NOT_YOUR_PHARMACY = "not your pharmacy"

FIELDS = ["nhs_number", "pharmacy", "date", "outcome", "quantity", "note"]
OPTIONAL_FIELDS = ["note"]
RECENT_RUN_DAYS = 14  # an imported run of missed doses that ended longer ago than this makes no task
DEFAULT_BATCH_SIZE = 5000  # rows per transaction: bounded memory, and few enough commits to keep the import fast
NOTE_LENGTH = 500
OUTCOMES = frozenset(Outcome.values)

PHARMACY_FORMAT = r"^[0-9]{1,9}$"
QUANTITY_FORMAT = r"^([0-9]{1,6}(\.[0-9]*)?|\.[0-9]+)$"

BAD_PHARMACY = "pharmacy must be the pharmacy's number"
BAD_OUTCOME = "outcome must be supervised, collected or missed"
BAD_QUANTITY = "quantity must be a number, like 60 or 8.5"
NEGATIVE_QUANTITY = "quantity must be 0 or more"

Record = tuple[str, str, str, str, str, str]


def records_from_dicts(rows: Iterable[Mapping]) -> Iterator[Record]:
    """Records from mappings keyed by FIELDS (JSON from the API, the demo, tests); missing keys are empty cells."""
    return core_imports.records_from_dicts(rows, FIELDS)


def read_csv(handle) -> Iterator[Record]:
    """Records from a dispensing CSV file (columns in any order; see core.imports.read_csv)."""
    return core_imports.read_csv(handle, FIELDS, OPTIONAL_FIELDS)


def _pharmacy(cell: str) -> int:
    cell = cell.strip(WHITESPACE)
    if not re.match(PHARMACY_FORMAT, cell):
        raise ValueError(BAD_PHARMACY)
    return int(cell)


def _outcome(cell: str) -> str:
    outcome = cell.strip(WHITESPACE).lower()
    if outcome not in OUTCOMES:
        raise ValueError(BAD_OUTCOME)
    return outcome


def _quantity(cell: str) -> Decimal | None:
    cell = cell.strip(WHITESPACE)
    if not cell:
        return None
    if not re.match(QUANTITY_FORMAT, cell):
        raise ValueError(NEGATIVE_QUANTITY if re.match(r"^-[0-9.]+$", cell) else BAD_QUANTITY)
    return Decimal(cell)


class CellParser:
    """Types a record's cells, remembering each distinct cell: a pharmacy file has few distinct pharmacies, dates,
    outcomes and quantities, so most rows cost a few dictionary lookups. Each memory is capped (bounded memory)."""

    LIMIT = 50_000

    def __init__(self):
        self.memory = {parse: {} for parse in (_pharmacy, _date, _outcome, _quantity)}

    def _cell(self, parse, cell):
        memory = self.memory[parse]
        try:
            result = memory[cell]
        except KeyError:
            try:
                result = parse(cell)
            except ValueError as error:
                result = error
            if len(memory) < self.LIMIT:
                memory[cell] = result
        if isinstance(result, ValueError):
            raise result
        return result

    def parse(self, record: Record) -> tuple[str, int, date, str, Decimal | None, str]:
        """The typed record; ValueError with the practitioner's message for the first cell that is wrong."""
        nhs, pharmacy, on, outcome, quantity, note = record
        if len(note) > NOTE_LENGTH:
            # Reported, never cut short: a pharmacist's note may carry the point at its end.
            raise ValueError(f"note is longer than {NOTE_LENGTH} characters ({len(note):,})")
        return (
            nhs.replace(" ", ""),
            self._cell(_pharmacy, pharmacy),
            self._cell(_date, on),
            self._cell(_outcome, outcome),
            self._cell(_quantity, quantity),
            note,
        )


def import_rows(
    records: Iterable[Record],
    *,
    imported_by=None,
    source: str = Source.IMPORT,
    allowed_pharmacy_ids: set[int] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate and store dispensing records batch by batch. See the module docstring for the rules."""
    report = ImportReport(refusal_reasons=frozenset({NOT_YOUR_PHARMACY}))
    as_of = today()
    import_batch = _batch_importer()
    parser = CellParser()
    for batch in numbered_batches(records, batch_size):
        import_batch(batch, parser, report, imported_by, source, allowed_pharmacy_ids, as_of)
        report.batches += 1
        if on_batch:
            on_batch(report)
    return report


def _batch_importer():
    """PostgreSQL checks and inserts each batch as sets, from a COPY into a staging table (the benchmark's figure is
    this path against plain COPY); other databases (SQLite) check row by row in Python. Same rules, same report."""
    return _import_batch_postgres if connection.vendor == "postgresql" else _import_batch


@transaction.atomic
def _import_batch(batch, parser, report, imported_by, source, allowed_pharmacy_ids, as_of):
    parsed, rejected = [], []
    for number, record in batch:
        try:
            parsed.append((number, *parser.parse(record)))
        except ValueError as error:
            rejected.append((number, str(error)))
    prescriptions: dict[tuple[str, int], list[Prescription]] = {}
    for p in Prescription.objects.filter(
        service_user__nhs_number__in={r[1] for r in parsed}, pharmacy_id__in={r[2] for r in parsed}
    ).select_related("service_user"):
        prescriptions.setdefault((p.service_user.nhs_number, p.pharmacy_id), []).append(p)
    candidates = []
    for number, nhs, pharmacy, on, outcome, quantity, note in parsed:
        if allowed_pharmacy_ids is not None and pharmacy not in allowed_pharmacy_ids:
            rejected.append((number, NOT_YOUR_PHARMACY))
            continue
        if on > as_of:
            rejected.append((number, "date is in the future"))
            continue
        prescription = next((p for p in prescriptions.get((nhs, pharmacy), []) if p.is_current(on)), None)
        if prescription is None:
            rejected.append((number, "unknown client: no prescription dispensed at this pharmacy on that date"))
            continue
        if not prescription.expects_dose_on(on):
            rejected.append((number, "no dose expected for this client on that date"))
            continue
        expected = prescription.dose_per_collection
        if outcome == Outcome.MISSED and quantity:
            rejected.append((number, "a missed dose has no quantity"))
            continue
        if outcome != Outcome.MISSED and quantity != expected:
            rejected.append((number, f"dose does not match the prescription ({expected:f}{prescription.dose_unit})"))
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
                rejected.append((number, "duplicate with different values: a record for this dose already exists"))
            continue
        if key in seen:
            rejected.append((number, "the same dose appears twice in this file"))
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
    report.reject_all(rejected)
    _after_insert(
        [(r.prescription_id, r.expected_on, r.outcome) for r in new],
        {r.prescription.service_user.household_id for r in new},
        imported_by=imported_by,
        source=source,
    )


def _after_insert(inserted: list[tuple[int, date, str]], household_ids: set[int], *, imported_by, source):
    """Audit one event naming every household touched, and run the missed-dose rule once per prescription with new
    recent misses. Only those prescriptions are loaded: a day's feed touches every client, and few have missed."""
    if not inserted:
        return
    record_bulk_change(
        user=imported_by, action=AuditAction.DISPENSING_IMPORT, household_ids=household_ids, detail=f"{source} batch"
    )
    # A run of missed doses found by an import makes tasks when it is recent enough to act on; older runs (a backfill
    # of history) stay history, visible on the family's Pharmacy tab.
    recent = today() - timedelta(days=RECENT_RUN_DAYS)
    run_ends: dict[int, list[date]] = {}
    for pid, on, outcome in inserted:
        if outcome == Outcome.MISSED and on >= recent:
            run_ends.setdefault(pid, []).append(on)
    if run_ends:
        prescriptions = Prescription.objects.filter(pk__in=run_ends).select_related(
            "service_user__household", "service_user__keyworker", "prescriber", "pharmacy"
        )
        services.check_missed_runs({p: run_ends[p.pk] for p in prescriptions})


STAGE = "pharmacy_dispensing_stage"
RACE_ATTEMPTS = 3
# Tables named from the models, so a renamed model cannot leave the statement pointing at nothing.
SERVICE_USERS = ServiceUser._meta.db_table
PRESCRIPTIONS = Prescription._meta.db_table
RECORDS = DispensingRecord._meta.db_table

# One statement per batch: every rule of the Python path as one set-based classification of the typed batch (reason
# is NULL for a row to store), the insert, and the report. The cells were typed on the way in (CellParser), so format
# errors never reach the database. It restates Prescription.expects_dose_on and dose_per_collection in SQL because
# the import is benchmarked at a share of a plain COPY; test_set_based_and_row_by_row_checks_give_the_same_report
# holds the two together.
# Only table names from the models are formatted in; every value is a query parameter.
CHECK_AND_INSERT_BATCH = f"""
WITH matched AS (
    -- Hash joins, not a per-row lookup: the newest prescription current on the day wins.
    SELECT DISTINCT ON (s.row_no)
           s.*, p.id AS pid, su.household_id, p.regime, p.start_date, p.take_home_days, p.dose_unit,
           p.daily_dose * (CASE WHEN p.regime = 'take_home' THEN coalesce(p.take_home_days, 1) ELSE 1 END)
               AS expected
    FROM {STAGE} s
    LEFT JOIN {SERVICE_USERS} su ON su.nhs_number = s.nhs_number
    LEFT JOIN {PRESCRIPTIONS} p
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
),
checked AS MATERIALIZED (
    SELECT c.row_no, c.pid, c.household_id, c.day, c.outcome, c.quantity, c.note, d.id IS NOT NULL AS stored, CASE
        WHEN c.reason IS NOT NULL THEN c.reason
        WHEN d.id IS NOT NULL AND (d.outcome <> c.outcome OR d.quantity IS DISTINCT FROM c.quantity)
            THEN 'duplicate with different values: a record for this dose already exists'
        -- among this batch's valid rows for one dose, the first is stored and any later one refused
        WHEN d.id IS NULL AND row_number() OVER (PARTITION BY c.pid, c.day, c.reason IS NULL ORDER BY c.row_no) > 1
            THEN 'the same dose appears twice in this file'
        END AS reason
    FROM classified c
    -- One index lookup per row on the natural key (LIMIT 1 keeps it one): the table holds years of records, and a
    -- batch touches a sliver of them.
    LEFT JOIN LATERAL (
        SELECT r.id, r.outcome, r.quantity FROM {RECORDS} r
        WHERE r.prescription_id = c.pid AND r.expected_on = c.day LIMIT 1
    ) d ON true
),
inserted AS (
    INSERT INTO {RECORDS}
        (prescription_id, expected_on, outcome, quantity, note, source, recorded_by_id, recorded_at)
    SELECT pid, day, outcome, quantity, coalesce(note, ''), %(source)s, %(user)s, %(now)s
    FROM checked WHERE reason IS NULL AND NOT stored
    -- A plain insert, the cheapest: a dose recorded at the counter since the check fails it, and the batch is
    -- checked again (_import_batch_postgres).
    RETURNING prescription_id, expected_on, outcome
)
-- One answer for the whole batch: what was created, the households it touched (for the audit; the rows the insert
-- took are exactly these), how many were already there, and every rejection.
SELECT 'created' AS kind, prescription_id AS number, expected_on, outcome AS detail FROM inserted
UNION ALL
SELECT DISTINCT 'household', household_id, NULL::date, NULL::text FROM checked WHERE reason IS NULL AND NOT stored
UNION ALL
SELECT 'unchanged', count(*), NULL, NULL FROM checked WHERE reason IS NULL AND stored
UNION ALL
(SELECT 'rejected', row_no, NULL, reason FROM checked WHERE reason IS NOT NULL ORDER BY row_no)
"""  # nosec B608


@transaction.atomic
def _import_batch_postgres(batch, parser, report, imported_by, source, allowed_pharmacy_ids, as_of):
    rejected = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (row_no int, nhs_number text, pharmacy int, day date, "
            "outcome text, quantity numeric, note text) ON COMMIT DELETE ROWS"
        )
        # Empty it explicitly too: inside an outer transaction (a test, or a caller's) ON COMMIT has not run yet.
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
            for number, record in batch:
                try:
                    copy.write_row((number, *parser.parse(record)))
                except ValueError as error:
                    rejected.append((number, str(error)))
        parameters = {
            "allowed": sorted(allowed_pharmacy_ids) if allowed_pharmacy_ids is not None else None,
            "as_of": as_of,
            "source": source,
            "user": imported_by.pk if imported_by else None,
            "now": timezone.now(),
        }
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                with transaction.atomic():  # a savepoint: a lost race rolls back this statement only
                    cursor.execute(CHECK_AND_INSERT_BATCH, parameters)
                break
            except IntegrityError as error:
                # Someone recorded one of these doses between the check and the insert: check again, now seeing it.
                if attempt == RACE_ATTEMPTS or not isinstance(error.__cause__, UniqueViolation):
                    raise
        inserted, household_ids = [], set()
        for kind, number, expected_on, detail in cursor.fetchall():
            if kind == "created":
                inserted.append((number, expected_on, detail))
            elif kind == "household":
                household_ids.add(number)
            elif kind == "unchanged":
                report.unchanged += number
            else:
                rejected.append((number, detail))
        report.created += len(inserted)
    report.reject_all(rejected)
    _after_insert(inserted, household_ids, imported_by=imported_by, source=source)
