"""The access log read by keyset (audit.selectors.page_of_events): an index range for each filter, newest first by
the event's number. The single-column household indexes give way to (household, number) ones that serve the same
lookups.

The single-column indexes that composite ones now cover (households, the person, the listing's event) are dropped by
name, not by AlterField: on SQLite, AlterField rebuilds the table, and the rebuild would drop the append-only triggers
(0002, 0004). On a log of millions of rows the new indexes take a
few minutes to build, with writes to the log waiting (docs/operations.md).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COVERED = [
    ("AccessEvent", "household_id"),
    ("AccessEvent", "user"),
    ("ListedHousehold", "household_id"),
    ("ListedHousehold", "event"),
]


def _drop_single_column_indexes(apps, schema_editor):
    for model_name, field in COVERED:
        model = apps.get_model("audit", model_name)
        column = model._meta.get_field(field).column
        name = schema_editor._create_index_name(model._meta.db_table, [column], suffix="")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def _restore_single_column_indexes(apps, schema_editor):
    for model_name, field in COVERED:
        model = apps.get_model("audit", model_name)
        table, column = model._meta.db_table, model._meta.get_field(field).column
        name = schema_editor._create_index_name(table, [column], suffix="")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {schema_editor.quote_name(table)} "
            f"({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_listed_households_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(name="accessevent", options={"ordering": ["-id"]}),
        migrations.RemoveIndex(model_name="accessevent", name="audit_user_at"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accessevent", name="household_id", field=models.BigIntegerField(null=True)
                ),
                migrations.AlterField(
                    model_name="listedhousehold", name="household_id", field=models.BigIntegerField()
                ),
                migrations.AlterField(
                    model_name="accessevent",
                    name="user",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="listedhousehold",
                    name="event",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="listed",
                        to="audit.accessevent",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_drop_single_column_indexes, _restore_single_column_indexes)],
        ),
        migrations.AddIndex(model_name="accessevent", index=models.Index(fields=["user", "id"], name="audit_user_id")),
        migrations.AddIndex(
            model_name="accessevent", index=models.Index(fields=["household_id", "id"], name="audit_household_id")
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(condition=models.Q(outcome="refused"), fields=["id"], name="audit_refused"),
        ),
        migrations.AddIndex(
            model_name="listedhousehold",
            index=models.Index(fields=["household_id", "event"], name="audit_listed_household_event"),
        ),
    ]
