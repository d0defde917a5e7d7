"""Agreements, the safety plan, its reviews and changes, and meetings in the family chronology."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import (
    ActionChange,
    AgreementStatus,
    Disagreement,
    GuidanceAgreement,
    Meeting,
    PlanReview,
    SafetyPlan,
    Strength,
)


def agreement_events(household, since, until) -> list[ChronologyEvent]:
    found = []
    agreements = GuidanceAgreement.objects.filter(household=household).select_related("service_user", "drafted_by")
    for a in in_period(agreements, "drafted_on", since, until):
        found.append(
            ChronologyEvent(
                on=a.drafted_on,
                kind="agreement",
                title=f"Guidance agreement drafted with {a.service_user.full_name}",
                by=a.drafted_by.full_name,
            )
        )
    for a in in_period(agreements.filter(status=AgreementStatus.SIGNED), "signed_on", since, until):
        found.append(
            ChronologyEvent(
                on=a.signed_on, kind="agreement", title=f"Guidance agreement signed by {a.service_user.full_name}"
            )
        )
    return found


def plan_events(household, since, until) -> list[ChronologyEvent]:
    found = []
    for plan in in_period(SafetyPlan.objects.filter(household=household), "created_on", since, until):
        found.append(ChronologyEvent(on=plan.created_on, kind="plan", title="Safety plan started"))
    reviews = PlanReview.objects.filter(plan__household=household).select_related("reviewed_by")
    for review in in_period(reviews, "reviewed_on", since, until):
        agreed = "understood and agreed" if review.understood_and_agreed else "not understood or not agreed"
        found.append(
            ChronologyEvent(
                on=review.reviewed_on,
                kind="plan",
                title=f"Safety plan reviewed: {agreed}",
                detail=review.notes,
                by=review.reviewed_by.full_name,
            )
        )
    changes = ActionChange.objects.filter(action__plan__household=household).select_related("action", "changed_by")
    for change in in_period(changes, "changed_on", since, until):
        what = "Deadline moved" if change.field == "due_on" else "Expectation changed"
        found.append(
            ChronologyEvent(
                on=change.changed_on,
                kind="plan",
                title=f"{what}: {change.action.expectation}",
                detail=change.reason,
                by=change.changed_by.full_name,
            )
        )
    meetings = Meeting.objects.filter(household=household).select_related("recorded_by")
    for meeting in in_period(meetings, "held_on", since, until):
        found.append(
            ChronologyEvent(
                on=meeting.held_on, kind="plan", title=meeting.get_kind_display(), by=meeting.recorded_by.full_name
            )
        )
    strengths = Strength.objects.filter(plan__household=household).select_related("recorded_by")
    for strength in in_period(strengths, "noticed_on", since, until):
        found.append(
            ChronologyEvent(
                on=strength.noticed_on,
                kind="plan",
                title=f"Doing well: {strength.what}",
                by=strength.recorded_by.full_name,
            )
        )
    disagreements = Disagreement.objects.filter(plan__household=household).select_related("raised_by", "resolved_by")
    for disagreement in in_period(disagreements, "raised_on", since, until):
        found.append(
            ChronologyEvent(
                on=disagreement.raised_on,
                kind="plan",
                title=f"Disagreement with {disagreement.whose_view}: {disagreement.about}",
                by=disagreement.raised_by.full_name,
            )
        )
    for disagreement in in_period(disagreements.filter(resolved_on__isnull=False), "resolved_on", since, until):
        found.append(
            ChronologyEvent(
                on=disagreement.resolved_on,
                kind="plan",
                title=f"Disagreement settled ({disagreement.get_decision_display().lower()}): {disagreement.about}",
                detail=disagreement.outcome,
                by=disagreement.decided_by,
            )
        )
    return found
