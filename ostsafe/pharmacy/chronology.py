"""Missed-dose runs and pharmacists' concerns in the family chronology."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import DispensingRecord, Outcome, PharmacyConcern


def missed_dose_events(household, since, until) -> list[ChronologyEvent]:
    """Consecutive missed doses of one prescription, one event per run (a single missed dose is a run of one)."""
    missed = in_period(
        DispensingRecord.objects.filter(prescription__service_user__household=household, outcome=Outcome.MISSED),
        "expected_on",
        since,
        until,
    ).select_related("prescription__service_user", "prescription__pharmacy")
    runs: list[list] = []
    for record in missed.order_by("prescription_id", "expected_on"):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.prescription_id == record.prescription_id
            and (record.expected_on - last.expected_on).days <= 1
        ):
            runs[-1].append(record)
        else:
            runs.append([record])
    return [
        ChronologyEvent(
            on=run[-1].expected_on,
            kind="pharmacy",
            title=f"{len(run)} missed dose{'s' if len(run) != 1 else ''}: {run[0].prescription.service_user.full_name}",
            detail=f"{run[0].expected_on:%-d %b} to {run[-1].expected_on:%-d %b} at {run[0].prescription.pharmacy}"
            if len(run) > 1
            else f"At {run[0].prescription.pharmacy}",
        )
        for run in runs
    ]


def concern_events(household, since, until) -> list[ChronologyEvent]:
    concerns = PharmacyConcern.objects.filter(service_user__household=household).select_related(
        "pharmacy", "service_user"
    )
    return [
        ChronologyEvent(
            on=c.raised_on,
            kind="pharmacy",
            title=f"Pharmacist's concern ({c.get_category_display().lower()}): {c.service_user.full_name}",
            detail=c.description,
            by=str(c.pharmacy),
        )
        for c in in_period(concerns, "raised_on", since, until)
    ]
