"""Benchmarks (`make bench`). Targets live here, never in unit tests.

Dispensing import on PostgreSQL: rows per second for the import command's code path and for the REST batch API,
beside the rate of a plain PostgreSQL COPY of the same records into the same table, with no checks, in the same
run. The ratio import/COPY is the figure
(target: at least 0.30). Results are appended to docs/benchmarks.md with the machine and date.
"""

import csv
import datetime
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ostsafe_bench"


def fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    url = os.environ.get("OSTSAFE_BENCH_DATABASE_URL", DEFAULT_URL)
    days = int(os.environ.get("OSTSAFE_BENCH_DAYS", "1100"))
    env = os.environ | {"DATABASE_URL": fresh_postgres(url), "DJANGO_DEBUG": "false"}
    print(f"Setting up {url} (migrate, demo service)...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    csv_path = Path(tempfile.mkdtemp()) / "dispensing.csv"
    manage(env, "make_dispensing_csv", str(csv_path), "--days", str(days))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostsafe.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from rest_framework.test import APIClient

    from ostsafe.accounts.models import User
    from ostsafe.pharmacy.imports import FIELDS, import_rows, read_csv
    from ostsafe.pharmacy.models import DispensingRecord

    with open(csv_path, newline="") as handle:
        rows = sum(1 for _ in handle) - 1
    print(f"{rows} rows", flush=True)

    def clear():
        DispensingRecord.objects.all().delete()

    clear()
    start = time.perf_counter()
    with open(csv_path, newline="") as handle:
        report = import_rows(read_csv(handle), batch_size=2000)
    command_seconds = time.perf_counter() - start
    assert report.created + report.unchanged + report.rejected == rows, report.as_dict()

    clear()
    admin = User.objects.filter(role="administrator").first()
    client = APIClient()
    client.force_authenticate(admin)
    with open(csv_path, newline="") as handle:
        all_rows = list(csv.DictReader(handle))
    start = time.perf_counter()
    for i in range(0, len(all_rows), 10_000):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(all_rows[i : i + 10_000])
        response = client.post("/api/dispensing-batches/", buffer.getvalue(), content_type="text/csv")
        assert response.status_code == 200, response.content[:500]
    api_seconds = time.perf_counter() - start

    # The floor: the same records COPYed straight into the same table (same indexes and constraints), with no
    # checks at all. The rows are resolved to prescriptions beforehand, outside the timing.
    resolved = list(
        DispensingRecord.objects.values_list("prescription_id", "expected_on", "outcome", "quantity", "note")
    )
    clear()
    now = datetime.datetime.now(datetime.UTC)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        with cursor.copy(
            "COPY pharmacy_dispensingrecord (prescription_id, expected_on, outcome, quantity, note, source, "
            "recorded_at) FROM STDIN"
        ) as copy:
            for pid, on, outcome, quantity, note in resolved:
                copy.write_row((pid, on, outcome, quantity, note, "import", now))
        copy_seconds = time.perf_counter() - start
    rows_copied = len(resolved)

    command_rate, api_rate, copy_rate = rows / command_seconds, rows / api_seconds, rows_copied / copy_seconds
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: dispensing import on PostgreSQL",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Rows: {rows} (demo service, {days} days).",
        "",
        "| path | seconds | rows per second | share of COPY's rate |",
        "|---|---|---|---|",
        f"| import command code path | {command_seconds:.2f} | {command_rate:,.0f} | {command_rate / copy_rate:.1%} |",
        f"| REST batch API (10,000-row batches) | {api_seconds:.2f} | {api_rate:,.0f} | {api_rate / copy_rate:.1%} |",
        f"| plain COPY of the same records into the same table, no checks | {copy_seconds:.2f} | {copy_rate:,.0f} "
        "| 100% |",
        "",
    ]
    print("\n".join(lines))
    docs = ROOT / "docs" / "benchmarks.md"
    if not docs.exists():
        docs.write_text(
            "# Benchmarks\n\nWritten by `make bench`; newest last. Target: the import reaches at least "
            "30% of COPY's rate.\n\n"
        )
    with open(docs, "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
