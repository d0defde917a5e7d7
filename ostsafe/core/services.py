"""Helpers every app's services share."""

from django.core.exceptions import ValidationError
from django.db import models


class DomainError(ValidationError):
    """A refusal a practitioner can act on. Carries field messages like a form's errors."""


def apply_changes(instance: models.Model, changes: dict) -> models.Model:
    """Set `changes` on `instance`, validate the whole object, and save it. Raises ValidationError, saving nothing."""
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance
