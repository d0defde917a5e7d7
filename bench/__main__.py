"""Benchmarks (`make bench`). Targets live here, never in unit tests.

Dispensing import on PostgreSQL: rows per second for the import command's code path and for the REST batch API,
beside the rate of a plain PostgreSQL COPY of the same records into the same table, with no checks, in the same
run. The ratio import/COPY is the figure
(target: at least 0.30). Results are appended to docs/benchmarks.md with the machine and date.
"""

import csv
import datetime
import io
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ostsafe_bench"
ROUNDS = int(os.environ.get("OSTSAFE_BENCH_ROUNDS", "5"))
API_BATCH = 10_000


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


PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_memory_mib(env, *args) -> float:
    """Peak resident memory of one `manage.py` run, measured by a wrapper process that has no other children."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


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
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from ostsafe.accounts.models import User
    from ostsafe.pharmacy.imports import DEFAULT_BATCH_SIZE, FIELDS
    from ostsafe.pharmacy.models import DispensingRecord

    with open(csv_path, newline="") as handle:
        rows = sum(1 for _ in handle) - 1
    print(f"{rows} rows", flush=True)

    def clear():
        DispensingRecord.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE pharmacy_dispensingrecord")  # every round starts from the same table

    def run_command() -> float:
        clear()
        start = time.perf_counter()
        out = io.StringIO()
        call_command("import_dispensing", str(csv_path), stdout=out)
        seconds = time.perf_counter() - start
        assert f"Created {rows}, unchanged 0, rejected 0" in out.getvalue(), out.getvalue()[-500:]
        return seconds

    admin = User.objects.filter(role="administrator").first()
    client = APIClient()
    client.force_authenticate(admin)
    with open(csv_path, newline="") as handle:
        all_rows = list(csv.DictReader(handle))
    bodies = []  # what a pharmacy system sends, prepared before the clock starts
    for i in range(0, len(all_rows), API_BATCH):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(all_rows[i : i + API_BATCH])
        bodies.append(buffer.getvalue())
    del all_rows

    def run_api() -> float:
        clear()
        start = time.perf_counter()
        for body in bodies:
            response = client.post("/api/dispensing-batches/", body, content_type="text/csv")
            assert response.status_code == 200 and response.json()["rejected"] == 0, response.content[:500]
        return time.perf_counter() - start

    # The floor: the same records COPYed straight into the same table (same indexes and constraints), with no
    # checks at all. The rows are resolved to prescriptions by an untimed first import (which also warms the caches).
    run_command()
    client.post("/api/dispensing-batches/", ",".join(FIELDS) + "\n", content_type="text/csv")  # loads the URLconf
    resolved = list(
        DispensingRecord.objects.values_list("prescription_id", "expected_on", "outcome", "quantity", "note")
    )
    assert len(resolved) == rows
    now = datetime.datetime.now(datetime.UTC)

    def run_copy() -> float:
        clear()
        with connection.cursor() as cursor:
            start = time.perf_counter()
            with cursor.copy(
                "COPY pharmacy_dispensingrecord (prescription_id, expected_on, outcome, quantity, note, source, "
                "recorded_at) FROM STDIN"
            ) as copy:
                for pid, on, outcome, quantity, note in resolved:
                    copy.write_row((pid, on, outcome, quantity, note, "import", now))
            return time.perf_counter() - start

    # Rounds interleave the three paths, so a busy moment on the machine falls on all of them; each figure is the
    # median of its rounds.
    timings = {"command": [], "api": [], "copy": []}
    for round_number in range(1, ROUNDS + 1):
        for name, run in (("command", run_command), ("api", run_api), ("copy", run_copy)):
            timings[name].append(run())
        print(f"round {round_number}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in timings.items()), flush=True)
    command_seconds, api_seconds, copy_seconds = (statistics.median(timings[k]) for k in ("command", "api", "copy"))

    command_rate, api_rate, copy_rate = rows / command_seconds, rows / api_seconds, rows / copy_seconds

    # Bounded memory: the command's peak memory on a tenth of the file and on a file of at least 100,000 rows.
    per_day = rows / days
    sizes = {}
    for target in (10_000, 100_000):
        path = csv_path.with_name(f"dispensing-{target}.csv")
        span = math.ceil(target / per_day) + 1
        while True:  # prescriptions start on different days: widen the span until the file is big enough
            manage(env, "make_dispensing_csv", str(path), "--days", str(span))
            with open(path) as handle:
                sizes[target] = sum(1 for _ in handle) - 1
            if sizes[target] >= target or span > 40 * days:
                break
            span = math.ceil(span * 1.2)
        clear()
        sizes[target] = (sizes[target], peak_memory_mib(env, "import_dispensing", str(path)))
        print(f"{sizes[target][0]} rows: peak memory {sizes[target][1]:.0f} MiB", flush=True)

    def row(path, seconds, rate):
        return f"| {path} | {seconds:.2f} | {rate:,.0f} | {rate / copy_rate:.1%} |"

    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: dispensing import on PostgreSQL",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Rows: {rows} (demo service, {days} days). Median of {ROUNDS} "
        "interleaved rounds.",
        "",
        "| path | seconds | rows per second | share of COPY's rate |",
        "|---|---|---|---|",
        row(f"`manage.py import_dispensing` ({DEFAULT_BATCH_SIZE:,}-row batches)", command_seconds, command_rate),
        row(f"REST batch API ({API_BATCH:,}-row requests)", api_seconds, api_rate),
        row("plain COPY of the same records into the same table, no checks", copy_seconds, copy_rate),
        "",
        "| `manage.py import_dispensing` on | peak memory (whole process) |",
        "|---|---|",
        *(f"| {n:,} rows | {mib:.0f} MiB |" for n, mib in sizes.values()),
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
