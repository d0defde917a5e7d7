"""Recording appointments, test results and concerns. Each function is one transaction with its audit event."""

from django.db import transaction

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.sharing import services as sharing_services

from .models import Appointment, Concern, TestResult


@transaction.atomic
def record_appointment(*, service_user, kind: str, on, outcome: str = "", recorded_by) -> Appointment:
    """An appointment, with its outcome once it has happened. Fails on an outcome for a future appointment."""
    if outcome and on > today():
        raise DomainError({"outcome": "An appointment in the future has no outcome yet"})
    appointment = Appointment.objects.filter(service_user=service_user, kind=kind, on=on).first()
    appointment = apply_changes(
        appointment or Appointment(service_user=service_user, kind=kind, on=on),
        {"outcome": outcome, "recorded_by": recorded_by},
    )
    record_change(
        user=recorded_by,
        action=AuditAction.APPOINTMENT_RECORD,
        household_id=service_user.household_id,
        detail=f"{appointment.pk} {outcome}",
    )
    return appointment


@transaction.atomic
def record_test_result(*, service_user, recorded_by, **fields) -> TestResult:
    """A drug or alcohol test result, or an AUDIT-C score. Fails on a date in the future or a score outside 0-12."""
    if fields.get("taken_on") and fields["taken_on"] > today():
        raise DomainError({"taken_on": "The test date must be today or in the past"})
    result = apply_changes(TestResult(service_user=service_user, recorded_by=recorded_by), fields)
    record_change(
        user=recorded_by,
        action=AuditAction.TEST_RESULT_RECORD,
        household_id=service_user.household_id,
        detail=f"{result.pk}",
    )
    return result


@transaction.atomic
def record_concern(*, household, recorded_by, **fields) -> Concern:
    """A concern about the family from anyone, with where it came from."""
    service_user = fields.get("service_user")
    if service_user is not None and service_user.household_id != household.pk:
        raise DomainError({"service_user": "Choose someone who lives in this household"})
    concern = apply_changes(Concern(household=household, recorded_by=recorded_by), fields)
    sharing_services.draft_updates(
        household=household,
        service_user=service_user,
        development=f"a concern was raised ({concern})",
        drafted_by=recorded_by,
    )
    record_change(
        user=recorded_by, action=AuditAction.CONCERN_RECORD, household_id=household.pk, detail=f"{concern.pk}"
    )
    return concern
