"""Take-home decisions in the family chronology."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import TakeHomeDecision


def events(household, since, until) -> list[ChronologyEvent]:
    decisions = TakeHomeDecision.objects.filter(prescription__service_user__household=household).select_related(
        "prescription__service_user", "decided_by"
    )
    return [
        ChronologyEvent(
            on=d.decided_on,
            kind="prescribing",
            title=f"Take-home doses for {d.prescription.service_user.full_name}: "
            + ("every safeguarding check met" if d.all_checks_met else "allowed with a check not met"),
            detail=d.override_reason,
            by=d.decided_by.full_name,
        )
        for d in in_period(decisions, "decided_on", since, until)
    ]
