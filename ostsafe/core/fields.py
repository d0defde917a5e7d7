"""Model fields every app shares."""

from django.core import validators
from django.db import models

NOTE_MAX_LENGTH = 10_000


class NoteField(models.TextField):
    """Free text a practitioner writes (a note, a reason, what was found), with a limit met on every path: forms and
    the API offer it as a maximum length, and services' full_clean() refuses more. 10,000 characters is several
    pages; a million is not a note."""

    def __init__(self, *args, max_length=NOTE_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validators.MaxLengthValidator(self.max_length))
