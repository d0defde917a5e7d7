from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from ostsafe.core.households import DONE, NOT_STARTED, STARTED
from ostsafe.families import selectors as families
from ostsafe.families.models import age_in_years
from ostsafe.prescribing.take_home import CheckResult
from ostsafe.sharing import selectors as sharing_selectors

from .models import (
    ActionChange,
    ActionStatus,
    AgreementStatus,
    Disagreement,
    GuidanceAgreement,
    Meeting,
    PlanAction,
    PlanPolicy,
    PlanReview,
    SafetyPlan,
    Strength,
)


def default_action_due_on(household, as_of: date) -> date:
    """Guide: "Planning for young children needs to reflect their needs and timescales." The youngest child at
    home sets the default deadline for a new action."""
    policy = PlanPolicy.current()
    ages = [
        age_in_years(child.date_of_birth, as_of) or 0 if child.date_of_birth else 0
        for child in household.members.current(as_of).children().filter(lives_here=True)
    ]
    youngest = min(ages) if ages else None
    if youngest is not None and youngest < 1:
        days = policy.baby_action_days
    elif youngest is not None and youngest < 5:
        days = policy.under_five_action_days
    else:
        days = policy.older_child_action_days
    return as_of + timedelta(days=days)


def latest_agreement(service_user) -> GuidanceAgreement | None:
    return service_user.agreements.select_related("template").order_by("-drafted_on", "-id").first()


def agreements_for_household(household):
    return (
        GuidanceAgreement.objects.filter(household=household)
        .select_related("service_user", "template", "drafted_by")
        .prefetch_related(
            Prefetch(
                "service_user__consents", queryset=sharing_selectors.agreement_consents(), to_attr="agreement_consents"
            )
        )
    )


def current_plan(household) -> SafetyPlan | None:
    return (
        SafetyPlan.objects.filter(household=household)
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.annotate(
                    deadline_moves=Count("changes", filter=Q(changes__field="due_on"))
                ).prefetch_related(Prefetch("changes", queryset=ActionChange.objects.select_related("changed_by"))),
            ),
            "reviews__progress__action",
            "reviews__reviewed_by",
            "reviews__family_views",
            "family_copies",
            Prefetch("strengths", queryset=Strength.objects.select_related("recorded_by")),
            Prefetch("disagreements", queryset=Disagreement.objects.select_related("raised_by", "resolved_by")),
        )
        .order_by("-created_on", "-id")
        .first()
    )


def guidance_agreement_checks(*, service_users: list, as_of: date) -> dict[int, CheckResult]:
    """Take-home check: a guidance agreement signed and current. One query (and one for the policy)."""
    days = PlanPolicy.current().agreement_valid_days
    label = "A signed guidance agreement, current"
    latest: dict[int, GuidanceAgreement] = {}
    signed = GuidanceAgreement.objects.filter(
        service_user__in=[su.pk for su in service_users], status=AgreementStatus.SIGNED, signed_on__lte=as_of
    )
    # Only what the check says: an agreement carries its text's version, signer and scan too.
    for agreement in signed.only("service_user_id", "status", "signed_on", "signature_method").order_by(
        "signed_on", "id"
    ):
        latest[agreement.service_user_id] = agreement
    found = {}
    for service_user in service_users:
        agreement = latest.get(service_user.pk)
        if agreement is None:
            found[service_user.pk] = CheckResult("guidance_agreement", label, False, "No signed guidance agreement")
        elif not agreement.is_current(as_of, days):
            found[service_user.pk] = CheckResult(
                "guidance_agreement",
                label,
                False,
                f"Signed {agreement.signed_on:%-d %B %Y}: more than {days} days ago, renew it",
            )
        else:
            found[service_user.pk] = CheckResult(
                "guidance_agreement",
                label,
                True,
                f"Signed {agreement.signed_on:%-d %B %Y} ({agreement.get_signature_method_display().lower()})",
            )
    return found


def signed_agreements(household):
    return agreements_for_household(household).filter(status=AgreementStatus.SIGNED)


def meetings_for_household(household):
    return household.meetings.prefetch_related("adults")


def adults_living_with_child(household) -> list[dict]:
    """Guide: "Invite any adult living with the child to any meetings called to discuss a child's welfare"."""
    return families.adults_living_with_child(household)


def action_owners(household, user) -> list[str]:
    """Who may own a safety plan action, to choose from: the adults living with the child, the family's current
    professional network, and the practitioner writing the plan. Two queries."""
    owners = [adult["name"] for adult in adults_living_with_child(household)]
    network = household.network.filter(end_date__isnull=True).select_related("professional")
    owners += [str(entry) for entry in network.order_by("role_in_family", "pk")]
    owners.append(f"{user.full_name} ({user.get_role_display().lower()})")
    return list(dict.fromkeys(owners))  # once each, in this order


def agreements_for_sharing(household, as_of: date) -> list[GuidanceAgreement]:
    """Signed agreements (the newest per service user), for a partner whose consent covers the agreement."""
    signed = (
        GuidanceAgreement.objects.filter(household=household, status=AgreementStatus.SIGNED, signed_on__lte=as_of)
        .select_related("service_user", "template")
        .order_by("service_user_id", "-signed_on", "-pk")
    )
    newest: dict[int, GuidanceAgreement] = {}
    for agreement in signed:
        newest.setdefault(agreement.service_user_id, agreement)
    return list(newest.values())


def plan_for_sharing(household, as_of: date) -> SafetyPlan | None:
    return current_plan(household)


def reviews_and_meetings(household_ids, since: date, until: date) -> dict[int, list[tuple[date, str]]]:
    """Plan reviews and meetings about the children held, or plan reviews due, between the dates, by household (the
    warning-signs engine looks at attendance in the weeks before each). Three queries."""
    found: dict[int, list[tuple[date, str]]] = {}
    reviews = PlanReview.objects.filter(plan__household_id__in=household_ids, reviewed_on__range=(since, until))
    for household_id, on in reviews.values_list("plan__household_id", "reviewed_on"):
        found.setdefault(household_id, []).append((on, "safety plan review"))
    for meeting in Meeting.objects.filter(household_id__in=household_ids, held_on__range=(since, until)):
        found.setdefault(meeting.household_id, []).append((meeting.held_on, meeting.get_kind_display().lower()))
    due = SafetyPlan.objects.filter(household_id__in=household_ids, next_review_on__range=(since, until))
    for household_id, on in due.values_list("household_id", "next_review_on"):
        found.setdefault(household_id, []).append((on, "safety plan review due"))
    return {household_id: sorted(occasions) for household_id, occasions in found.items()}


def actions_not_carried_out(household_ids, overdue_before: date) -> dict[int, list[PlanAction]]:
    """Plan actions still under way whose date passed before the given day, or marked not done at a review, by
    household. One query."""
    found: dict[int, list[PlanAction]] = {}
    actions = (
        PlanAction.objects.filter(plan__household_id__in=household_ids)
        .filter(Q(status=ActionStatus.OPEN, due_on__lt=overdue_before) | Q(status=ActionStatus.NOT_DONE))
        .select_related("plan")
        .order_by("due_on", "pk")
    )
    for action in actions:
        found.setdefault(action.plan.household_id, []).append(action)
    return found


def actions_deferred(household_ids, times: int) -> dict[int, list[tuple[PlanAction, list[ActionChange]]]]:
    """Actions whose date was moved on at least this many different days, with those changes, by household. One
    query."""
    moves = ActionChange.objects.filter(action__plan__household_id__in=household_ids, field="due_on")
    by_action: dict[int, list[ActionChange]] = {}
    for change in moves.select_related("action__plan").order_by("changed_on", "pk"):
        by_action.setdefault(change.action_id, []).append(change)
    found: dict[int, list[tuple[PlanAction, list[ActionChange]]]] = {}
    for changes in by_action.values():
        if len({change.changed_on for change in changes}) >= times:
            action = changes[0].action
            found.setdefault(action.plan.household_id, []).append((action, changes))
    return found


def compliance_noticed_at_reviews(household_ids, since: date) -> dict[int, list[PlanReview]]:
    """Reviews since the date at which the practitioner noticed sudden compliance or unexpected agreement with
    sanctions (the review form asks), by household. One query."""
    found: dict[int, list[PlanReview]] = {}
    reviews = (
        PlanReview.objects.filter(plan__household_id__in=household_ids, reviewed_on__gte=since)
        .filter(Q(noticed_sudden_compliance=True) | Q(noticed_agreement_with_sanctions=True))
        .select_related("plan")
        .order_by("reviewed_on", "pk")
    )
    for review in reviews:
        found.setdefault(review.plan.household_id, []).append(review)
    return found


def agreement_checklist_status(household, as_of: date) -> str:
    agreements = GuidanceAgreement.objects.filter(household=household)
    if agreements.filter(status=AgreementStatus.SIGNED).exists():
        return DONE
    return STARTED if agreements.exists() else NOT_STARTED


def plan_checklist_status(household, as_of: date) -> str:
    if PlanAction.objects.filter(plan__household=household).exists():
        return DONE
    return STARTED if SafetyPlan.objects.filter(household=household).exists() else NOT_STARTED


def compliance_agreement_signed(as_of: date):
    """Managers' dashboard: a guidance agreement signed and current."""
    days = PlanPolicy.current().agreement_valid_days
    return Exists(
        GuidanceAgreement.objects.filter(
            household=OuterRef("pk"),
            status=AgreementStatus.SIGNED,
            signed_on__lte=as_of,
            signed_on__gte=as_of - timedelta(days=days),
        )
    )


def compliance_plan_reviewed(as_of: date):
    """Managers' dashboard: a safety plan whose review is not overdue and none of whose deadlines has been moved more
    than twice (the guide's "clear timescales")."""
    on_time = SafetyPlan.objects.filter(household=OuterRef("pk"), created_on__lte=as_of, next_review_on__gte=as_of)
    moved_often = (
        ActionChange.objects.filter(
            action__plan__household=OuterRef(OuterRef("pk")), field="due_on", changed_on__lte=as_of
        )
        .values("action_id")
        .annotate(moves=Count("pk"))
        .filter(moves__gt=2)
    )
    return Exists(on_time) & ~Exists(moved_often)
