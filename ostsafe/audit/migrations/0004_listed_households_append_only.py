"""The list of families an event names is append-only too (see 0002_append_only)."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_listedhousehold_no_update BEFORE UPDATE ON audit_listedhousehold
       BEGIN SELECT RAISE(ABORT, 'The access log is append-only: events cannot be changed'); END;""",
    """CREATE TRIGGER audit_listedhousehold_no_delete BEFORE DELETE ON audit_listedhousehold
       BEGIN SELECT RAISE(ABORT, 'The access log is append-only: events cannot be deleted'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_listedhousehold_no_update;",
    "DROP TRIGGER IF EXISTS audit_listedhousehold_no_delete;",
]
POSTGRES_FORWARD = [
    # The function written by 0002 raises for any row: the same one guards this table.
    """CREATE TRIGGER audit_listedhousehold_append_only BEFORE UPDATE OR DELETE ON audit_listedhousehold
       FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_listedhousehold_append_only ON audit_listedhousehold;",
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
    dependencies = [("audit", "0003_listed_households")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
