"""Recording prescriptions. Each function is one transaction that validates and audits."""

from django.db import transaction

from ostsafe.audit.services import record_change
from ostsafe.core.services import apply_changes

from .models import Prescription


@transaction.atomic
def record_prescription(*, service_user, recorded_by, **fields) -> Prescription:
    """Record a new OST prescription. Fails when the dose is not positive, the dates are reversed, the regime does
    not suit the drug, or a take-home regime has no number of days."""
    prescription = apply_changes(Prescription(service_user=service_user), fields)
    record_change(
        user=recorded_by,
        action="prescription.record",
        household_id=service_user.household_id,
        detail=f"{prescription.pk} {prescription}",
    )
    return prescription


@transaction.atomic
def change_prescription(*, prescription: Prescription, changed_by, **changes) -> Prescription:
    """Change a prescription (dose, regime, dates). Same checks as recording one."""
    apply_changes(prescription, changes)
    record_change(
        user=changed_by,
        action="prescription.change",
        household_id=prescription.service_user.household_id,
        detail=f"{prescription.pk} {prescription}",
    )
    return prescription
