"""Helpers every app's services share."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models


class DomainError(ValidationError):
    """A refusal a practitioner can act on. Carries field messages like a form's errors."""


class OutOfReach(DomainError):
    """A refusal because the input touches a family beyond the caller's reach (an NHS number already registered in
    another team, say). Its message says nothing about that family. The page or API endpoint that called the service
    writes the refusal to the access log against `household_id`, after the service's transaction has rolled back."""

    def __init__(self, message, *, household_id: int, audit_action: str):
        super().__init__(message)
        self.household_id = household_id
        self.audit_action = audit_action


M = TypeVar("M", bound=models.Model)


def apply_changes(instance: M, changes: dict) -> M:
    """Set `changes` on `instance`, validate the whole object, and save it. Raises ValidationError, saving nothing."""
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance
