"""Django file storage in the database (core.models.StoredFile): no state on the app server."""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible


@deconstructible(path="ostsafe.core.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """Uploaded files as rows (the scans are at most 5 MB each, a few per family). Names are the service's own
    (plans.uploads.stored_name); there is no URL, since no file is served without an access check."""

    def _model(self):
        from .models import StoredFile

        return StoredFile

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("Stored files are written through save(), not opened for writing")
        stored = self._model().objects.filter(name=name).values_list("content", flat=True).first()
        if stored is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(stored), name=name)

    def _save(self, name, content):
        content.seek(0)
        data = b"".join(content.chunks())
        self._model().objects.create(name=name, content=data, size=len(data))
        return name

    def exists(self, name):
        return self._model().objects.filter(name=name).exists()

    def delete(self, name):
        self._model().objects.filter(name=name).delete()

    def size(self, name):
        size = self._model().objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def url(self, name):
        raise NotImplementedError("Stored files have no URL: the views that check access serve them")
