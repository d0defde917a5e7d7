"""Case supervisions in the family chronology (core.households.register_chronology_source): the treatment team's
only, never a partner's."""

from django.urls import reverse

from ostsafe.core.households import ChronologyEvent

from .models import CaseSupervision


def supervision_events(household, since, until) -> list[ChronologyEvent]:
    """One query."""
    rows = CaseSupervision.objects.filter(household=household).select_related("supervisor", "practitioner")
    if since:
        rows = rows.filter(held_on__gte=since)
    if until:
        rows = rows.filter(held_on__lte=until)
    url = reverse("management:supervision", args=[household.pk])
    return [
        ChronologyEvent(
            on=s.held_on,
            kind="supervision",
            title=f"Case supervision with {s.practitioner.full_name}",
            detail=f"Decisions: {s.decisions}",
            by=s.supervisor.full_name,
            url=url,
        )
        for s in rows
    ]
