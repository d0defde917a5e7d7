"""A pharmacy feed into the region (`make bench-region`), on PostgreSQL.

The realistic shape: each day's file holds one day of records across every client of the region's 31 pharmacies,
ordered by pharmacy and, within a pharmacy, by the time of day the dose was handed over (shuffled, seeded). The last
FEED_DAYS days of the region's own history are taken out of the table and fed back, one daily file after another,
through `manage.py import_dispensing`; the same rows are then COPYed straight into the same table (same indexes and
constraints, millions of rows already there) with no checks. Target: the import at least 30% of COPY's rate.

Every round starts from the same table (the feed's days deleted, the table vacuumed); the first import is an untimed
warm-up (it also raises the missed-dose tasks that later rounds find already open). Rounds interleave the two paths;
each figure is the median of its rounds. Results are appended to docs/benchmarks.md.
"""

import datetime
import io
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.__main__ import ROOT, manage
from bench.warning_signs import BASE_URL, build, setup_django

ROUNDS = int(os.environ.get("OSTSAFE_BENCH_ROUNDS", "5"))
FEED_DAYS = int(os.environ.get("OSTSAFE_BENCH_FEED_DAYS", "7"))
SIZE = 10_000
COLUMNS = ["prescription_id", "expected_on", "outcome", "quantity", "note", "source", "recorded_at"]


def region_url(size: int = SIZE) -> str:
    """A region of `size` service users, built unless it is already there (OSTSAFE_BENCH_REUSE_REGION=1 keeps it),
    its statistics fresh (VACUUM ANALYZE, as autovacuum would have after a load): a plan made on the statistics of an
    emptier table reads a page's few rows by scanning millions. The change numbers' table is rewritten compact, as
    it stands in a service that grew over time."""
    import psycopg

    url = BASE_URL + f"_region_{size}"
    found = False
    if os.environ.get("OSTSAFE_BENCH_REUSE_REGION") == "1":
        try:
            with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
                found = conn.execute("SELECT count(*) FROM families_serviceuser").fetchone()[0] >= size
        except psycopg.Error:
            pass
    if found:  # kept from an earlier run: brought up to this checkout's migrations
        manage(os.environ | {"DATABASE_URL": url, "DJANGO_DEBUG": "false"}, "migrate", "--noinput")
    else:
        build(size)
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        # The families' change numbers (core.marks) are rewritten by every marked insert: a region built in a minute
        # leaves some 25 dead versions of each row, which two years of autovacuum would have reused as they came
        # (on the region: 11 MB for 9,400 rows, 0.4 MB rewritten). Scanned whole by the dashboard on every request.
        conn.execute("VACUUM (FULL, ANALYZE) core_householdmark")
        conn.execute("VACUUM ANALYZE")
    return url


def main():
    url = region_url()
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from ostsafe.core.validators import today
    from ostsafe.pharmacy.imports import FIELDS
    from ostsafe.pharmacy.models import DispensingRecord

    first_day = today() - datetime.timedelta(days=FEED_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT su.nhs_number, p.pharmacy_id, d.expected_on, d.outcome, d.quantity, d.note, d.prescription_id
            FROM {DispensingRecord._meta.db_table} d
            JOIN prescribing_prescription p ON p.id = d.prescription_id
            JOIN families_serviceuser su ON su.id = p.service_user_id
            WHERE d.expected_on >= %s ORDER BY d.expected_on, p.pharmacy_id, d.id""",
            [first_day],
        )
        feed = cursor.fetchall()
        cursor.execute(f"SELECT count(*) FROM {DispensingRecord._meta.db_table}")
        table_rows = cursor.fetchone()[0]
    assert feed, "the region has no dispensing records in the feed's days"
    rng = random.Random(2026)
    by_day: dict[datetime.date, list] = {}
    for row in feed:
        by_day.setdefault(row[2], []).append(row)
    folder = Path(tempfile.mkdtemp())
    files, resolved = [], []
    for day, rows in sorted(by_day.items()):
        by_pharmacy: dict[int, list] = {}
        for row in rows:
            by_pharmacy.setdefault(row[1], []).append(row)
        path = folder / f"feed-{day:%Y-%m-%d}.csv"
        with open(path, "w", newline="") as handle:
            handle.write(",".join(FIELDS) + "\n")
            for pharmacy in sorted(by_pharmacy):
                counter = by_pharmacy[pharmacy]
                rng.shuffle(counter)  # the order the clients came to the counter that day
                for nhs, _, on, outcome, quantity, note, pid in counter:
                    handle.write(f"{nhs},{pharmacy},{on:%Y-%m-%d},{outcome},{quantity if quantity else ''},{note}\n")
                    resolved.append((pid, on, outcome, quantity, note))
        files.append(path)
    rows = len(feed)
    print(
        f"Feed: {rows:,} rows in {len(files)} daily files ({rows // len(files):,} a day) into a table of "
        f"{table_rows:,} records",
        flush=True,
    )
    now = datetime.datetime.now(datetime.UTC)

    def clear():
        DispensingRecord.objects.filter(expected_on__gte=first_day).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {DispensingRecord._meta.db_table}")

    def run_import() -> float:
        clear()
        start = time.perf_counter()
        for path in files:
            out = io.StringIO()
            call_command("import_dispensing", str(path), stdout=out)
            assert "rejected 0" in out.getvalue(), out.getvalue()[-800:]
        return time.perf_counter() - start

    def run_copy() -> float:
        clear()
        with connection.cursor() as cursor:
            start = time.perf_counter()
            with cursor.copy(f"COPY {DispensingRecord._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for pid, on, outcome, quantity, note in resolved:
                    copy.write_row((pid, on, outcome, quantity, note, "import", now))
            return time.perf_counter() - start

    timings: dict[str, list[float]] = {"import": [], "copy": []}
    try:
        warm_up = run_import()
        print(f"warm-up import {warm_up:.2f}s", flush=True)
        for round_number in range(1, ROUNDS + 1):
            for name, run in (("import", run_import), ("copy", run_copy)):
                timings[name].append(run())
            print(f"round {round_number}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in timings.items()), flush=True)
    finally:
        run_copy()  # the region ends as it began, whatever happened: its feed days back in the table
    import_seconds, copy_seconds = (statistics.median(timings[k]) for k in ("import", "copy"))
    import_rate, copy_rate = rows / import_seconds, rows / copy_seconds
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: a pharmacy feed into the region (PostgreSQL)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Region of {SIZE:,} service users; the table held "
        f"{table_rows:,} dispensing records. Feed: the last {len(files)} days, {rows:,} rows, one file a day ordered "
        f"by pharmacy and time. Median of {ROUNDS} interleaved rounds.",
        "",
        "| path | seconds | rows per second | share of COPY's rate |",
        "|---|---|---|---|",
        f"| `manage.py import_dispensing`, one daily file after another | {import_seconds:.2f} | {import_rate:,.0f} | "
        f"{import_rate / copy_rate:.1%} |",
        f"| plain COPY of the same records into the same table, no checks | {copy_seconds:.2f} | {copy_rate:,.0f} | "
        "100% |",
        "",
    ]
    print("\n".join(lines))
    with open(ROOT / "docs" / "benchmarks.md", "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
