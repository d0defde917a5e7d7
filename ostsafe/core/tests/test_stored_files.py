"""Uploaded files live in the database, not on the app server (issue 15: no state on the app server)."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ostsafe.core.models import StoredFile

pytestmark = pytest.mark.django_db


def test_a_saved_file_is_a_row_read_back_whole_and_never_a_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("agreements/1/scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    assert default_storage.exists(name) and default_storage.size(name) == 13
    assert default_storage.open(name).read() == b"%PDF-1.4 scan"
    again = default_storage.save("agreements/1/scan.pdf", ContentFile(b"%PDF-1.4 other"))
    assert again != name  # never overwritten: a new name
    assert not any(tmp_path.iterdir())
    with pytest.raises(NotImplementedError):
        default_storage.url(name)
    default_storage.delete(name)
    assert not default_storage.exists(name)
    with pytest.raises(FileNotFoundError):
        default_storage.open(name)


def test_files_an_earlier_version_kept_on_disk_are_moved_in_under_the_same_names(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "agreements" / "7").mkdir(parents=True)
    (tmp_path / "agreements" / "7" / "a1.pdf").write_bytes(b"%PDF-old")
    migration = importlib.import_module("ostsafe.core.migrations.0001_stored_files")
    migration.copy_files_from_disk(apps, None)
    migration.copy_files_from_disk(apps, None)  # twice: nothing doubled
    stored = StoredFile.objects.get(name="agreements/7/a1.pdf")
    assert bytes(stored.content) == b"%PDF-old" and StoredFile.objects.count() == 1
