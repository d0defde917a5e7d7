"""Uploaded files in the database (core.storage.DatabaseStorage). Files an earlier version kept under MEDIA_ROOT
(OSTSAFE_UPLOADS_DIR, var/uploads) are copied in under the same names, so the records that name them still find
them; the folder is left as it was, for the service to remove once it has checked."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def copy_files_from_disk(apps, schema_editor):
    stored_file = apps.get_model("core", "StoredFile")
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if not stored_file.objects.filter(name=name).exists():
            data = path.read_bytes()
            stored_file.objects.create(name=name, content=data, size=len(data))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=255, unique=True)),
                ("content", models.BinaryField()),
                ("size", models.PositiveIntegerField()),
                ("stored_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(copy_files_from_disk, migrations.RunPython.noop),
    ]
