"""The access log is append-only, enforced by the database itself: UPDATE and DELETE are refused by triggers.

TRUNCATE (an administrator's operation, used by test-database flushes on PostgreSQL) is not a row change and is not
blocked; no application code issues it.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
       BEGIN SELECT RAISE(ABORT, 'The access log is append-only: events cannot be changed'); END;""",
    """CREATE TRIGGER audit_accessevent_no_delete BEFORE DELETE ON audit_accessevent
       BEGIN SELECT RAISE(ABORT, 'The access log is append-only: events cannot be deleted'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_accessevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_accessevent_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'The access log is append-only: events cannot be changed or deleted';
       END;
       $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_accessevent_append_only BEFORE UPDATE OR DELETE ON audit_accessevent
       FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;",
    "DROP FUNCTION IF EXISTS audit_accessevent_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"OST Safe supports SQLite and PostgreSQL; the append-only audit trigger is not written for "
                f"{schema_editor.connection.vendor}"
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
