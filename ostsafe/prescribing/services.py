"""Recording prescriptions, with the take-home safeguarding decision. Each function is one transaction."""

from django.db import transaction
from django.db.models import Q

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.tasks import services as task_services

from . import take_home
from .models import PRESCRIBED_FIELDS, Prescription, PrescriptionChange, Regime, TakeHomeDecision, TakeHomeReview

OVERRIDE_NEEDED = (
    "Not every safeguarding check is met. Record your reason for allowing take-home doses anyway, or choose a "
    "supervised regime"
)


def _take_home_decision(*, previous, prescription: Prescription, decided_by, override_reason: str):
    """Guide: safeguarding is a primary factor in whether to permit take-home doses."""
    as_of = today()
    if not take_home.raises_take_home_risk(previous, prescription) or not take_home.children_involved(
        prescription.service_user, as_of
    ):
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


def _refuse_overlap(prescription: Prescription) -> None:
    """One OST prescription at a time per person: a second one over the same days (at another pharmacy, or an
    injection on top) doubles what could reach a child. The old one is ended first."""
    others = Prescription.objects.filter(service_user_id=prescription.service_user_id).exclude(pk=prescription.pk)
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=prescription.start_date))
    if prescription.end_date is not None:
        others = others.filter(start_date__lte=prescription.end_date)
    clash = others.order_by("start_date").first()
    if clash is not None:
        raise DomainError(
            {
                "start_date": f"{prescription.service_user.full_name} already has a prescription over these dates: "
                f"{clash}, from {clash.start_date:%-d %B %Y}. End it the day before this one starts, or change it "
                "instead"
            }
        )


def _record_history(previous: Prescription, prescription: Prescription, changed_by) -> list[str]:
    """Keep what changed: the prescription's own history, field by field."""
    changed = []
    for field in PRESCRIBED_FIELDS:
        old, new = getattr(previous, field), getattr(prescription, field)
        if old != new:
            changed.append(field)
            apply_changes(
                PrescriptionChange(prescription=prescription, changed_by=changed_by),
                {"field": field, "old_value": _shown(previous, field), "new_value": _shown(prescription, field)},
            )
    return changed


def _shown(prescription: Prescription, field: str) -> str:
    value = getattr(prescription, field)
    if value is None:
        return ""
    if field in {"drug", "regime", "dose_unit"}:
        return getattr(prescription, f"get_{field}_display")()
    if field == "daily_dose":
        return prescription.dose_label
    if field in {"pharmacy", "prescriber"}:
        return str(value)
    return f"{value:%-d %B %Y}" if hasattr(value, "isoformat") else str(value)


@transaction.atomic
def record_prescription(*, service_user, recorded_by, override_reason: str = "", **fields) -> Prescription:
    """Record a new OST prescription. Fails when the dose is not positive, the dates are reversed, the regime does
    not suit the drug, or a take-home regime has no number of days; and, for take-home doses for someone who lives
    with or sees children, when a safeguarding check is not met and no reason is recorded."""
    prescription = Prescription(service_user=service_user)
    for field, value in fields.items():
        setattr(prescription, field, value)
    prescription.full_clean()
    _refuse_overlap(prescription)
    decision = _take_home_decision(
        previous=None, prescription=prescription, decided_by=recorded_by, override_reason=override_reason
    )
    apply_changes(prescription, {})
    _save_decision(decision, prescription)
    record_change(
        user=recorded_by,
        action=AuditAction.PRESCRIPTION_RECORD,
        household_id=service_user.household_id,
        detail=f"{prescription.pk} {prescription}",
    )
    return prescription


@transaction.atomic
def change_prescription(*, prescription: Prescription, changed_by, override_reason: str = "", **changes):
    """Change a prescription (dose, regime, dates). Same checks as recording one: a bigger dose, more days or another
    drug on a take-home regime is a take-home decision. Every change is kept in the prescription's history."""
    previous = Prescription.objects.select_for_update().get(pk=prescription.pk)
    for field, value in changes.items():
        setattr(prescription, field, value)
    prescription.full_clean()
    _refuse_overlap(prescription)
    decision = _take_home_decision(
        previous=previous, prescription=prescription, decided_by=changed_by, override_reason=override_reason
    )
    apply_changes(prescription, {})
    _save_decision(decision, prescription)
    changed = _record_history(previous, prescription, changed_by)
    task_services.close_rule_task(
        dedupe_key=take_home_review_key(prescription.pk),
        outcome=f"Prescription changed: {', '.join(changed) or 'no change'}",
        closed_by=changed_by,
    )
    record_change(
        user=changed_by,
        action=AuditAction.PRESCRIPTION_CHANGE,
        household_id=prescription.service_user.household_id,
        detail=f"{prescription.pk} {prescription} ({', '.join(changed) or 'no change'})",
    )
    return prescription


@transaction.atomic
def review_take_home(*, prescription: Prescription, reviewed_by, note: str, decision=None) -> TakeHomeReview:
    """A manager records that they have reviewed take-home doses allowed although a safeguarding check is not met:
    an override the prescriber saved with a reason (`decision`), or a current prescription whose checks are not met
    today. Fails without a note, when the decision is another prescription's, or when every check is met today and
    there is no override to review."""
    if decision is not None and decision.prescription_id != prescription.pk:
        raise DomainError("That decision is about another prescription")
    unmet = []
    if decision is None:
        as_of = today()
        if take_home.children_involved(prescription.service_user, as_of):
            unmet = [
                c.key for c in take_home.evaluate(service_user=prescription.service_user, as_of=as_of) if not c.met
            ]
        if not unmet:
            raise DomainError("Every safeguarding check is met today: there is nothing to review")
    review = apply_changes(
        TakeHomeReview(prescription=prescription, decision=decision, reviewed_by=reviewed_by),
        {"unmet_checks": unmet, "note": note.strip()},
    )
    record_change(
        user=reviewed_by,
        action=AuditAction.PRESCRIBING_TAKE_HOME_REVIEWED,
        household_id=prescription.service_user.household_id,
        detail=f"{prescription.pk} "
        + (f"override {decision.pk}" if decision else f"checks not met: {', '.join(unmet)}"),
    )
    return review


TAKE_HOME_REVIEW_RULE = take_home.TAKE_HOME_REVIEW_RULE


def take_home_review_key(prescription_id: int) -> str:
    return f"{TAKE_HOME_REVIEW_RULE}:{prescription_id}"


@transaction.atomic
def ask_for_take_home_review(*, household, why: str, due_on, asked_by=None) -> list:
    """Guide: safeguarding is a primary factor in whether to permit take-home doses, so when what is known about a
    family changes (the risk level decided at an assessment), each current take-home prescription in the household
    gets a review task for its prescriber. Closed when the prescription is changed. Returns the tasks."""
    tasks = []
    current = Prescription.objects.current(due_on).filter(
        service_user__household=household, service_user__discharged_on__isnull=True, regime=Regime.TAKE_HOME
    )
    for prescription in current.select_related("service_user", "prescriber"):
        tasks.append(
            task_services.create_task(
                title="Review take-home doses",
                detail=f"{prescription.service_user.full_name}: {why}. Their prescription is {prescription}, "
                f"{prescription.regime_label.lower()}. Change it, or record that it stays as it is.",
                household=household,
                service_user=prescription.service_user,
                assignee=prescription.prescriber,
                due_on=due_on,
                created_by=asked_by,
                rule=TAKE_HOME_REVIEW_RULE,
                dedupe_key=take_home_review_key(prescription.pk),
            )
        )
    return tasks
