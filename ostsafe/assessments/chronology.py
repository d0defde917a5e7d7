"""The assessment's events in the family chronology (core.households.register_chronology_source)."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import Assessment, AssessmentStatus, PreBirthRequest


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
    return found
