"""What a pharmacy expects to dispense, and what a pharmacist may see (only what dispensing needs)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from ostsafe.core import access
from ostsafe.families.models import ChildContact, HouseholdMember, MemberRole
from ostsafe.prescribing.models import Prescription, Regime

from .models import DispensingRecord, Outcome, PharmacyPolicy, RecordsDelayed


def is_expected_on(prescription: Prescription, on: date) -> bool:
    """Daily regimes expect a dose every day; take-home regimes a collection every N days from the start."""
    if not prescription.is_current(on) or prescription.regime == Regime.ADMINISTERED:
        return False
    if prescription.regime == Regime.TAKE_HOME:
        return (on - prescription.start_date).days % (prescription.take_home_days or 1) == 0
    return True


def expected_quantity(prescription: Prescription) -> Decimal:
    days = prescription.take_home_days if prescription.regime == Regime.TAKE_HOME else 1
    return prescription.daily_dose * (days or 1)


def previous_expected_dates(prescription: Prescription, before: date, count: int) -> list[date]:
    """The `count` expected dates before `before` (inclusive), most recent first."""
    dates, day = [], before
    while len(dates) < count and day >= prescription.start_date:
        if is_expected_on(prescription, day):
            dates.append(day)
        day -= timedelta(days=1)
    return dates


def delayed_on(pharmacy_id: int, on: date) -> bool:
    return RecordsDelayed.objects.filter(
        Q(pharmacy_id=pharmacy_id) | Q(pharmacy__isnull=True),
        starts_on__lte=on,
        ends_on__gte=on,
        closed_at__isnull=True,
    ).exists()


def open_delays_for(user):
    """Open delayed periods this user may close: a pharmacist their own pharmacy's, an administrator every one."""
    periods = RecordsDelayed.objects.filter(access.pharmacy_q(user), closed_at__isnull=True)
    return periods.select_related("pharmacy", "recorded_by").order_by("starts_on", "pk")


@dataclass
class CounterRow:
    prescription: Prescription
    expected_quantity: Decimal
    record: DispensingRecord | None
    lives_with_children: bool
    missed_before: int = 0  # consecutive missed doses just before today (counted up to the review threshold)
    threshold: int = 3

    @property
    def speak_to_prescriber(self) -> bool:
        """After the review threshold of missed doses, tolerance may have dropped: today's dose waits for the
        prescriber (clinical guidance on missed opioid doses)."""
        return self.missed_before >= self.threshold


def counter_rows(pharmacy, on: date) -> list[CounterRow]:
    """Today's expected doses at one pharmacy, with what has been recorded so far, in a fixed number of queries."""
    children_at_home = HouseholdMember.objects.current(on).filter(
        household=OuterRef("service_user__household"), role=MemberRole.CHILD, lives_here=True
    )
    child_contact = ChildContact.objects.filter(service_user=OuterRef("service_user"))
    prescriptions = (
        Prescription.objects.current(on)
        .filter(pharmacy=pharmacy)
        .exclude(regime=Regime.ADMINISTERED)
        .annotate(children=Exists(children_at_home) | Exists(child_contact))
        .select_related("service_user")
        .order_by("service_user__family_name", "service_user__given_name", "id")
    )
    due = [p for p in prescriptions if is_expected_on(p, on)]
    threshold = PharmacyPolicy.current().missed_doses_for_review
    # The doses before today that decide the missed run: the last `threshold` expected dates of each prescription.
    before = {p.pk: previous_expected_dates(p, on - timedelta(days=1), threshold) for p in due}
    earliest = min((dates[-1] for dates in before.values() if dates), default=on)
    records, outcomes = {}, {}
    for r in DispensingRecord.objects.filter(prescription__in=due, expected_on__gte=earliest, expected_on__lte=on):
        if r.expected_on == on:
            records[r.prescription_id] = r
        else:
            outcomes[(r.prescription_id, r.expected_on)] = r.outcome
    rows = []
    for p in due:
        missed = 0
        for day in before[p.pk]:
            if outcomes.get((p.pk, day)) != Outcome.MISSED:
                break
            missed += 1
        rows.append(CounterRow(p, expected_quantity(p), records.get(p.pk), p.children, missed, threshold))
    return rows


def dispensing_for_household(household, since: date):
    return (
        DispensingRecord.objects.filter(prescription__service_user__household=household, expected_on__gte=since)
        .select_related("prescription__service_user", "recorded_by")
        .order_by("-expected_on", "prescription_id")
    )
