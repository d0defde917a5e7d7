"""Home visits and storage checks in the family chronology."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import HomeVisit, StorageCheck, VisitStatus


def events(household, since, until) -> list[ChronologyEvent]:
    found = []
    visits = in_period(
        HomeVisit.objects.filter(household=household, status=VisitStatus.COMPLETED), "visited_on", since, until
    )
    for v in visits.select_related("recorded_by"):
        found.append(
            ChronologyEvent(
                on=v.visited_on,
                kind="visits",
                title="Home visit",
                detail=v.notes,
                by=v.recorded_by.full_name,
            )
        )
    checks = in_period(StorageCheck.objects.filter(visit__household=household), "checked_on", since, until)
    for c in checks.select_related("service_user"):
        how = "seen" if c.verification == "seen" else "only described, not seen"
        result = "satisfactory" if c.satisfied else "not satisfactory"
        found.append(
            ChronologyEvent(
                on=c.checked_on,
                kind="visits",
                title=f"Storage check for {c.service_user.full_name}: {how}, {result}",
                detail=c.location,
            )
        )
    return found
