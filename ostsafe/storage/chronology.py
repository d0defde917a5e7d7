"""Safety boxes, the safe storage conversation and the leaflet in the family chronology."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import LeafletGiven, MustShareDiscussion, SafetyBoxIssue


def events(household, since, until) -> list[ChronologyEvent]:
    found = []
    boxes = SafetyBoxIssue.objects.filter(service_user__household=household).select_related("service_user", "site")
    for box in in_period(boxes, "issued_on", since, until):
        found.append(
            ChronologyEvent(
                on=box.issued_on,
                kind="storage",
                title=f"Safety box issued to {box.service_user.full_name} at {box.site}",
            )
        )
    for box in in_period(boxes.filter(returned_on__isnull=False), "returned_on", since, until):
        found.append(
            ChronologyEvent(
                on=box.returned_on, kind="storage", title=f"Safety box returned by {box.service_user.full_name}"
            )
        )
    talks = MustShareDiscussion.objects.filter(service_user__household=household).select_related(
        "service_user", "discussed_by"
    )
    for talk in in_period(talks, "discussed_on", since, until):
        found.append(
            ChronologyEvent(
                on=talk.discussed_on,
                kind="storage",
                title=f"Safe storage conversation with {talk.service_user.full_name}",
                by=talk.discussed_by.full_name,
            )
        )
    leaflets = LeafletGiven.objects.filter(service_user__household=household).select_related("service_user", "given_by")
    for leaflet in in_period(leaflets, "given_on", since, until):
        found.append(
            ChronologyEvent(
                on=leaflet.given_on,
                kind="storage",
                title=f"Safe storage leaflet given to {leaflet.service_user.full_name}",
                by=leaflet.given_by.full_name,
            )
        )
    return found
