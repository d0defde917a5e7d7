"""Recording prescriptions, with the take-home safeguarding decision. Each function is one transaction."""

from django.db import transaction

from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today

from . import take_home
from .models import Prescription, TakeHomeDecision

OVERRIDE_NEEDED = (
    "Not every safeguarding check is met. Record your reason for allowing take-home doses anyway, or choose a "
    "supervised regime"
)


def _take_home_decision(*, previous, prescription: Prescription, decided_by, override_reason: str):
    """Guide: safeguarding is a primary factor in whether to permit take-home doses."""
    as_of = today()
    if not take_home.starts_or_lengthens_take_home(
        previous, regime=prescription.regime, take_home_days=prescription.take_home_days
    ) or not take_home.children_involved(prescription.service_user, as_of):
        return None
    results = take_home.evaluate(service_user=prescription.service_user, as_of=as_of)
    all_met = all(r.met for r in results)
    if not all_met and not override_reason.strip():
        raise DomainError({"override_reason": OVERRIDE_NEEDED})
    return TakeHomeDecision(
        decided_by=decided_by,
        decided_on=as_of,
        checks=[r.as_dict() for r in results],
        all_checks_met=all_met,
        override_reason=override_reason.strip() if not all_met else "",
    )


def _save_decision(decision, prescription):
    if decision is not None:
        decision.prescription = prescription
        apply_changes(decision, {})


@transaction.atomic
def record_prescription(*, service_user, recorded_by, override_reason: str = "", **fields) -> Prescription:
    """Record a new OST prescription. Fails when the dose is not positive, the dates are reversed, the regime does
    not suit the drug, or a take-home regime has no number of days; and, for take-home doses for someone who lives
    with or sees children, when a safeguarding check is not met and no reason is recorded."""
    prescription = Prescription(service_user=service_user)
    for field, value in fields.items():
        setattr(prescription, field, value)
    prescription.full_clean()
    decision = _take_home_decision(
        previous=None, prescription=prescription, decided_by=recorded_by, override_reason=override_reason
    )
    apply_changes(prescription, {})
    _save_decision(decision, prescription)
    record_change(
        user=recorded_by,
        action="prescription.record",
        household_id=service_user.household_id,
        detail=f"{prescription.pk} {prescription}",
    )
    return prescription


@transaction.atomic
def change_prescription(*, prescription: Prescription, changed_by, override_reason: str = "", **changes):
    """Change a prescription (dose, regime, dates). Same checks as recording one."""
    previous = Prescription.objects.get(pk=prescription.pk)
    for field, value in changes.items():
        setattr(prescription, field, value)
    prescription.full_clean()
    decision = _take_home_decision(
        previous=previous, prescription=prescription, decided_by=changed_by, override_reason=override_reason
    )
    apply_changes(prescription, {})
    _save_decision(decision, prescription)
    record_change(
        user=changed_by,
        action="prescription.change",
        household_id=prescription.service_user.household_id,
        detail=f"{prescription.pk} {prescription}",
    )
    return prescription
