"""What a pharmacy expects to dispense, and what a pharmacist may see (only what dispensing needs)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from ostsafe.core import access
from ostsafe.families.models import ChildContact, Household, HouseholdMember, MemberRole
from ostsafe.prescribing.models import Prescription, Regime

from .models import DispensingCorrection, DispensingRecord, Outcome, PharmacyConcern, PharmacyPolicy, RecordsDelayed


def previous_expected_dates(prescription: Prescription, before: date, count: int) -> list[date]:
    """The `count` expected dates before `before` (inclusive), most recent first."""
    dates: list[date] = []
    day = before
    while len(dates) < count and day >= prescription.start_date:
        if prescription.expects_dose_on(day):
            dates.append(day)
        day -= timedelta(days=1)
    return dates


def missed_in_a_row(dates: list[date], missed: set[date]) -> int:
    """How many of `dates` (most recent first) were missed, counting back from the most recent until one was not."""
    count = 0
    for day in dates:
        if day not in missed:
            break
        count += 1
    return count


def missed_before(prescription: Prescription, on: date, threshold: int) -> int:
    """Missed doses in a row just before `on` (counted up to `threshold`), for one prescription."""
    dates = previous_expected_dates(prescription, on - timedelta(days=1), threshold)
    missed = set(
        DispensingRecord.objects.filter(
            prescription=prescription, expected_on__in=dates, outcome=Outcome.MISSED
        ).values_list("expected_on", flat=True)
    )
    return missed_in_a_row(dates, missed)


def corrected_record_ids(records) -> set[int]:
    """Which of these dose records have been corrected since. One query."""
    return set(
        DispensingCorrection.objects.filter(record__in=[r.pk for r in records]).values_list("record_id", flat=True)
    )


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
    recent_concern: bool = False  # a pharmacist raised a concern about them lately

    @property
    def needs_attention(self) -> bool:
        """Not yet dealt with today, and something to look at first: doses missed just before, or a concern."""
        return self.record is None and (self.missed_before > 0 or self.recent_concern)

    def matches(self, search: str) -> bool:
        """The counter's search: every word in the name, or the date of birth (digits in any order of separators)."""
        service_user = self.prescription.service_user
        digits = "".join(c for c in search if c.isdigit())
        if digits and len(digits) == len(search.replace(" ", "").replace("/", "").replace("-", "").replace(".", "")):
            born = service_user.date_of_birth
            return digits in {f"{born:%d%m%Y}", f"{born.day}{born.month}{born.year}", f"{born:%Y%m%d}"}
        name = service_user.full_name.lower()
        return all(word in name for word in search.lower().split())

    @property
    def speak_to_prescriber(self) -> bool:
        """After the review threshold of missed doses, tolerance may have dropped: today's dose waits for the
        prescriber (clinical guidance on missed opioid doses)."""
        return self.missed_before >= self.threshold


CONCERN_RECENT_DAYS = 14  # a concern raised at the counter in the last fortnight puts the client first


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
        .annotate(
            children=Exists(children_at_home) | Exists(child_contact),
            recent_concern=Exists(
                PharmacyConcern.objects.filter(
                    service_user=OuterRef("service_user"), raised_on__gte=on - timedelta(days=CONCERN_RECENT_DAYS)
                )
            ),
        )
        .select_related("service_user")
        .order_by("service_user__family_name", "service_user__given_name", "id")
    )
    due = [p for p in prescriptions if p.expects_dose_on(on)]
    threshold = PharmacyPolicy.current().missed_doses_for_review
    # The doses before today that decide the missed run: the last `threshold` expected dates of each prescription.
    before = {p.pk: previous_expected_dates(p, on - timedelta(days=1), threshold) for p in due}
    earliest = min((dates[-1] for dates in before.values() if dates), default=on)
    records: dict[int, DispensingRecord] = {}
    missed: dict[int, set[date]] = {}
    for r in DispensingRecord.objects.filter(prescription__in=due, expected_on__gte=earliest, expected_on__lte=on):
        if r.expected_on == on:
            records[r.prescription_id] = r
        elif r.outcome == Outcome.MISSED:
            missed.setdefault(r.prescription_id, set()).add(r.expected_on)
    rows = []
    for p in due:
        run = missed_in_a_row(before[p.pk], missed.get(p.pk, set()))
        rows.append(
            CounterRow(p, p.dose_per_collection, records.get(p.pk), p.children, run, threshold, p.recent_concern)
        )
    return rows


def dispensing_for_household(household, since: date):
    return (
        DispensingRecord.objects.filter(prescription__service_user__household=household, expected_on__gte=since)
        .select_related("prescription__service_user", "recorded_by")
        .order_by("-expected_on", "prescription_id")
    )


def concerns_for_household(household):
    """Pharmacists' concerns about the household's service users, newest first."""
    return PharmacyConcern.objects.filter(service_user__household=household).select_related(
        "service_user", "pharmacy", "raised_by"
    )


def dispensing_for_sharing(household, as_of: date) -> list[dict]:
    """Per prescription, the last 28 days' doses by outcome, for a partner a recorded decision covers."""
    since = as_of - timedelta(days=28)
    rows: dict[int, dict] = {}
    records = DispensingRecord.objects.filter(
        prescription__service_user__household=household, expected_on__gte=since, expected_on__lte=as_of
    ).select_related("prescription__service_user")
    for record in records.order_by("prescription_id", "expected_on"):
        row = rows.setdefault(
            record.prescription_id,
            {"prescription": record.prescription, "supervised": 0, "collected": 0, "missed": 0, "last_missed": None},
        )
        row[record.outcome] = row.get(record.outcome, 0) + 1
        if record.outcome == Outcome.MISSED:
            row["last_missed"] = record.expected_on
    return list(rows.values())


def pharmacy_concerns_since(household_ids, since: date) -> dict[int, list[PharmacyConcern]]:
    """Pharmacists' concerns raised since the date, by household. One query."""
    found: dict[int, list[PharmacyConcern]] = {}
    concerns = (
        PharmacyConcern.objects.filter(service_user__household_id__in=household_ids, raised_on__gte=since)
        .select_related("pharmacy", "service_user")
        .order_by("-raised_on", "-pk")
    )
    for concern in concerns:
        found.setdefault(concern.service_user.household_id, []).append(concern)
    return found


def households_with_doses_since(household_ids, since: date) -> set[int]:
    """The households with any dispensing record (given or missed) since the date. One query."""
    recent = DispensingRecord.objects.filter(
        prescription__service_user__household_id=OuterRef("pk"), expected_on__gte=since
    )
    return set(Household.objects.filter(pk__in=household_ids).filter(Exists(recent)).values_list("pk", flat=True))


def _runs(dates: list[date], gap_days: int) -> list[list[date]]:
    """Split sorted dates into runs whose neighbours are at most `gap_days` apart."""
    runs: list[list[date]] = []
    for on in dates:
        if runs and (on - runs[-1][-1]).days <= gap_days:
            runs[-1].append(on)
        else:
            runs.append([on])
    return runs


def missed_runs_since(household_ids, since: date, min_length: int) -> dict[int, list[list[DispensingRecord]]]:
    """Runs of at least `min_length` consecutive missed doses (per prescription: missed doses at most three days
    apart with no dose given between) ending on or after `since`, by household. The missed dates are read light and
    the runs found from them; only the few prescriptions with a run are read again, for the doses given between their
    misses and for the records themselves. One query when nobody has a run, three when someone has."""
    window = since - timedelta(days=60)
    missed_on: dict[int, list[date]] = {}
    missed = DispensingRecord.objects.filter(
        prescription__service_user__household_id__in=household_ids, outcome=Outcome.MISSED, expected_on__gte=window
    )
    for prescription_id, on in missed.order_by("prescription_id", "expected_on").values_list(
        "prescription_id", "expected_on"
    ):
        missed_on.setdefault(prescription_id, []).append(on)
    candidates = {
        prescription_id: [run for run in _runs(dates, 3) if len(run) >= min_length and run[-1] >= since]
        for prescription_id, dates in missed_on.items()
    }
    candidates = {prescription_id: runs for prescription_id, runs in candidates.items() if runs}
    if not candidates:
        return {}
    given = set(
        DispensingRecord.objects.filter(prescription_id__in=list(candidates), expected_on__gte=window)
        .exclude(outcome=Outcome.MISSED)
        .values_list("prescription_id", "expected_on")
    )
    records = {
        (record.prescription_id, record.expected_on): record
        for record in DispensingRecord.objects.filter(
            prescription_id__in=list(candidates), outcome=Outcome.MISSED, expected_on__gte=window
        ).select_related("prescription__service_user", "prescription__pharmacy")
    }
    found: dict[int, list[list[DispensingRecord]]] = {}
    for prescription_id, runs in candidates.items():
        for run in runs:
            # A dose given between two misses breaks the run there.
            pieces: list[list[date]] = [[run[0]]]
            for before, on in zip(run, run[1:], strict=False):
                between = (before + timedelta(days=d) for d in range(1, (on - before).days))
                if any((prescription_id, day) in given for day in between):
                    pieces.append([])
                pieces[-1].append(on)
            for piece in pieces:
                if len(piece) >= min_length and piece[-1] >= since:
                    whole = [records[(prescription_id, on)] for on in piece]
                    found.setdefault(whole[0].prescription.service_user.household_id, []).append(whole)
    return found
