"""Keeping the directory of local services: every write is one of these, in one transaction, audited."""

from datetime import date

from django.db import transaction

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today

from .models import LocalService

# What the people who keep the directory fill in (the rest is recorded for them).
FIELDS = [
    "name",
    "kind",
    "what_they_do",
    "area",
    "phone",
    "email",
    "website",
    "address",
    "referral_route",
    "hours",
    "out_of_hours",
    "link_name",
    "link_role",
    "link_phone",
    "link_email",
    "part_of",
]


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError({"__all__": f"These are not details of a local service: {', '.join(sorted(unknown))}"})
    part_of = fields.get("part_of")
    if part_of is not None and not part_of.is_current:
        raise DomainError({"part_of": f"{part_of} no longer runs: choose a current group"})


@transaction.atomic
def add_local_service(*, added_by, **fields) -> LocalService:
    """A service or strategic group added to the directory. Fails (saving nothing) if a detail is missing or one of
    that kind already has the name."""
    _check_fields(fields)
    service = apply_changes(LocalService(), {**fields, "updated_by": added_by, "updated_on": today()})
    record_change(user=added_by, action=AuditAction.DIRECTORY_CHANGE, household_id=None, detail=f"added {service.pk}")
    return service


@transaction.atomic
def change_local_service(*, service: LocalService, changed_by, **fields) -> LocalService:
    """New details for a directory entry (a new link person, new hours). Records that name it keep naming it."""
    _check_fields(fields)
    if fields.get("part_of") is not None and fields["part_of"].pk == service.pk:
        raise DomainError({"part_of": "A group cannot be a subgroup of itself"})
    service = apply_changes(service, {**fields, "updated_by": changed_by, "updated_on": today()})
    record_change(
        user=changed_by, action=AuditAction.DIRECTORY_CHANGE, household_id=None, detail=f"changed {service.pk}"
    )
    return service


@transaction.atomic
def retire_local_service(*, service: LocalService, retired_by, retired_on: date) -> LocalService:
    """A service that no longer runs: kept (the records that name it still say who it was), offered no more. Fails
    if it is already retired or a current group still has it as its parent."""
    if not service.is_current:
        raise DomainError({"retired_on": f"{service} is already marked as no longer running"})
    if service.subgroups.filter(retired_on__isnull=True).exists():
        raise DomainError({"retired_on": "Its subgroups still run: retire them or move them to another group first"})
    service = apply_changes(service, {"retired_on": retired_on, "updated_by": retired_by, "updated_on": today()})
    record_change(
        user=retired_by, action=AuditAction.DIRECTORY_CHANGE, household_id=None, detail=f"retired {service.pk}"
    )
    return service
