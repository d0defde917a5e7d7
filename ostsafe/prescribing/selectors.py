"""Reads of prescriptions, shaped for the pages that show them."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch

from ostsafe.core import access

from .models import Prescription, PrescriptionChange, TakeHomeDecision


def current_prescriptions(as_of: date | None = None):
    return Prescription.objects.current(as_of).select_related("pharmacy", "prescriber")


def prescriptions_for_display():
    """Prescriptions with their pharmacy, prescriber and history of changes (newest first), in three queries."""
    return (
        Prescription.objects.select_related("pharmacy", "prescriber")
        .prefetch_related(Prefetch("changes", queryset=PrescriptionChange.objects.select_related("changed_by")))
        .order_by("-start_date", "-id")
    )


def take_home_overrides(user, *, limit: int = 200):
    """Take-home doses allowed although a safeguarding check was not met, in the families `user` may see."""
    return (
        TakeHomeDecision.objects.filter(all_checks_met=False)
        .filter(access.household_q(user, prefix="prescription__service_user__household__"))
        .select_related("prescription__service_user__household", "decided_by")[:limit]
    )


def prescriptions_by_service_user(service_users, as_of: date) -> dict:
    """Every prescription of these service users, newest first, with history (the family pages' panel)."""
    found: dict[int, list] = {}
    for prescription in prescriptions_for_display().filter(service_user__in=service_users):
        found.setdefault(prescription.service_user_id, []).append(prescription)
    return found


def current_prescriptions_by_service_user(service_users, as_of: date) -> dict:
    """The prescriptions current on `as_of` of these service users (the caseload's regime column)."""
    found: dict[int, list] = {}
    for prescription in current_prescriptions(as_of).filter(service_user__in=service_users):
        found.setdefault(prescription.service_user_id, []).append(prescription)
    return found


def with_current_regime(service_users, regime: str, as_of: date):
    """Narrow service users to those with a current prescription on this regime (the caseload's filter)."""
    return service_users.filter(Exists(current_prescriptions(as_of).filter(service_user=OuterRef("pk"), regime=regime)))


def prescribed_substances(household_ids, as_of: date) -> dict[int, set[str]]:
    """{service user id: the test substances their current OST prescription accounts for} ("methadone",
    "buprenorphine"), so a positive test for a prescribed drug is not read as illicit use."""
    found: dict[int, set[str]] = {}
    for prescription in Prescription.objects.current(as_of).filter(service_user__household_id__in=household_ids):
        substance = "methadone" if prescription.drug.startswith("methadone") else "buprenorphine"
        found.setdefault(prescription.service_user_id, set()).add(substance)
    return found


def take_home_summary(household, as_of: date) -> list[dict]:
    """Take-home status at the top of every tab: each person in treatment with current take-home doses, and which of
    the safeguarding checks are not met today where children are involved (the checks are the ones a take-home
    decision shows)."""
    from .models import Regime
    from .take_home import children_involved, evaluate

    rows = []
    current = current_prescriptions(as_of).filter(
        service_user__household=household, service_user__discharged_on__isnull=True, regime=Regime.TAKE_HOME
    )
    for prescription in current.select_related("service_user__household"):
        service_user = prescription.service_user
        checked = children_involved(service_user, as_of)
        unmet = [c for c in evaluate(service_user=service_user, as_of=as_of) if not c.met] if checked else []
        rows.append({"service_user": service_user, "prescription": prescription, "checked": checked, "unmet": unmet})
    return rows
