"""The assessment's events in the family chronology (core.households.register_chronology_source)."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import Assessment, AssessmentStatus, FamilyView, PreBirthRequest


def events(household, since, until) -> list[ChronologyEvent]:
    found = []
    assessments = in_period(
        Assessment.objects.filter(household=household, status=AssessmentStatus.COMPLETED), "completed_on", since, until
    ).select_related("completed_by")
    for a in assessments:
        found.append(
            ChronologyEvent(
                on=a.completed_on,
                kind="assessment",
                title=f"Whole-family risk assessment: risk {a.get_practitioner_level_display().lower()}",
                detail=a.rationale,
                by=a.completed_by.full_name if a.completed_by_id else "",
            )
        )
    for r in in_period(PreBirthRequest.objects.filter(household=household), "requested_on", since, until):
        found.append(
            ChronologyEvent(
                on=r.requested_on, kind="assessment", title=f"Pre-birth assessment requested from {r.requested_to}"
            )
        )
    views = FamilyView.objects.filter(household=household).select_related("recorded_by")
    for view in in_period(views, "said_on", since, until):
        found.append(
            ChronologyEvent(
                on=view.said_on,
                kind="assessment",
                title=f"{view.whose}'s views ({view.get_occasion_display().lower()})",
                detail=view.what_would_help,
                by=view.recorded_by.full_name,
            )
        )
    return found
