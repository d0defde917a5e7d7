"""Backup and restore as docs/operations.md gives them: pg_dump of the demo service, pg_restore into an empty
database, the same rows in every table, and the access log still append-only (its triggers are part of the dump).
PostgreSQL only (the PostgreSQL pass of CI); databases of its own, beside the test database."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _admin(url):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def _fresh(url):
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _row_counts(url) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.postgres
@pytest.mark.slow
def test_a_dump_of_the_demo_service_restores_every_row_and_the_append_only_log(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore: PostgreSQL only")
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    source, restored = f"{base}/ostsafe_backup_source", f"{base}/ostsafe_backup_restored"
    _fresh(source)
    env = os.environ | {"DATABASE_URL": source, "DJANGO_DEBUG": "false", "OSTSAFE_ALLOW_DEMO": "true"}
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    dump = tmp_path / "ostsafe.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    _fresh(restored)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True)

    before, after = _row_counts(source), _row_counts(restored)
    assert before == after
    assert before["audit_accessevent"] > 0 and before["families_serviceuser"] > 0 and before["core_storedfile"] >= 0
    import psycopg

    with psycopg.connect(restored) as conn:
        for statement in ("DELETE FROM audit_accessevent", "UPDATE audit_listedhousehold SET household_id = 0"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
            conn.rollback()
        # And every family's change number still moves with its records (core.marks): a restored service keeps
        # its caseload's kept values honest.
        household = conn.execute("SELECT min(id) FROM families_household").fetchone()[0]
        number = "SELECT coalesce(max(version), 0) FROM core_householdmark WHERE household_id = %s"
        was = conn.execute(number, [household]).fetchone()[0]
        conn.execute("UPDATE families_household SET name = name WHERE id = %s", [household])
        assert conn.execute(number, [household]).fetchone()[0] > was
        conn.rollback()
    migrations = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env | {"DATABASE_URL": restored},
        capture_output=True,
    )
    assert migrations.returncode == 0, migrations.stdout[-500:]
    for url in (source, restored):
        with _admin(url) as conn:
            conn.execute(f'DROP DATABASE "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')
