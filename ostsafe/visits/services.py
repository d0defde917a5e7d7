"""Recording home visits and storage checks, and the rules that follow from them."""

from datetime import date, timedelta

from django.db import transaction

from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task

from .models import ChildObservation, HomeVisit, StorageCheck, VisitPolicy, VisitStatus


def home_visit_needed_key(household_id: int) -> str:
    return f"visits.home_visit_needed:{household_id}"


def storage_follow_up_key(service_user_id: int) -> str:
    return f"visits.storage_follow_up:{service_user_id}"


def _keyworker_or(service_user, fallback):
    return service_user.keyworker if service_user and service_user.keyworker_id else fallback


@transaction.atomic
def require_assessment_stage_visit(*, household, assessed_on: date, assessed_by) -> Task | None:
    """Guide: "at least one home visit to check safe storage and home conditions, and to observe the child(ren) at
    the assessment stage". A household with children and no completed visit around its first assessment gets a
    task, due when the configured window ends."""
    policy = VisitPolicy.current()
    has_children = household.members.current().children().filter(lives_here=True).exists()
    window_start = assessed_on - timedelta(days=policy.assessment_visit_window_days)
    visited = household.home_visits.completed().filter(visited_on__gte=window_start).exists()
    if not has_children or visited:
        return None
    first = household.service_users.order_by("pk").first()
    return task_services.create_task(
        title="Home visit needed: check storage and see the children",
        detail="Guide: at least one home visit at the assessment stage.",
        household=household,
        service_user=first,
        assignee=_keyworker_or(first, assessed_by),
        due_on=assessed_on + timedelta(days=policy.assessment_visit_window_days),
        rule="visits.home_visit_needed",
        dedupe_key=home_visit_needed_key(household.pk),
    )


def _next_visit_due(*, household, visited_on: date, recorded_by):
    """Guide: "Home visits should be regularly conducted". The latest assessment's level sets how often; the next
    visit becomes a task, replacing the previous one."""
    latest = household.assessments.filter(status="completed").order_by("-completed_on", "-id").first()
    key = f"visits.next_visit:{household.pk}"
    task_services.close_rule_task(dedupe_key=key, outcome=f"Visited {visited_on:%-d %B %Y}", closed_by=recorded_by)
    if latest is None or not latest.home_visit_every_days:
        return
    first = household.service_users.order_by("pk").first()
    task_services.create_task(
        title="Home visit due",
        detail=f"{latest.get_practitioner_level_display()} risk: visit at least every {latest.home_visit_every_days} "
        "days, check storage and see the children.",
        household=household,
        service_user=first,
        assignee=_keyworker_or(first, recorded_by),
        due_on=visited_on + timedelta(days=latest.home_visit_every_days),
        rule="visits.next_visit",
        dedupe_key=key,
    )


@transaction.atomic
def plan_home_visit(*, household, planned_for: date, planned_by, notes: str = "") -> HomeVisit:
    """Put a home visit in the diary."""
    visit = apply_changes(
        HomeVisit(household=household, recorded_by=planned_by),
        {"planned_for": planned_for, "notes": notes, "status": VisitStatus.PLANNED},
    )
    record_change(user=planned_by, action="visit.plan", household_id=household.pk, detail=f"{visit.pk}")
    return visit


@transaction.atomic
def record_home_visit(
    *,
    household,
    visited_on: date,
    recorded_by,
    visitors,
    service_users_seen,
    child_observations: list[tuple],
    notes: str = "",
    visit: HomeVisit | None = None,
) -> HomeVisit:
    """Record a home visit that happened: who went, who was seen, each child observed (seen or not, and a note).

    Fails when the date is in the future, nobody is named as visiting, or a child of the household is left out.
    Closes the "home visit needed" task.
    """
    if visited_on > today():
        raise DomainError({"visited_on": "The visit date must be today or in the past. To plan a visit, use Plan"})
    if not visitors:
        raise DomainError({"visitors": "Select who went on the visit"})
    children = list(household.members.current(visited_on).children().filter(lives_here=True))
    observed = {child.pk for child, _, _ in child_observations}
    missing = [c.display_name for c in children if c.pk not in observed]
    if missing:
        raise DomainError(f"Record whether you saw {', '.join(missing)}")
    visit = visit or HomeVisit(household=household, recorded_by=recorded_by)
    apply_changes(visit, {"status": VisitStatus.COMPLETED, "visited_on": visited_on, "notes": notes})
    visit.visitors.set(visitors)
    visit.service_users_seen.set(service_users_seen)
    for child, seen, note in child_observations:
        apply_changes(ChildObservation(visit=visit, child=child), {"seen": seen, "note": note})
    task_services.close_rule_task(
        dedupe_key=home_visit_needed_key(household.pk),
        outcome=f"Home visit recorded on {visited_on:%-d %B %Y}",
        closed_by=recorded_by,
    )
    _next_visit_due(household=household, visited_on=visited_on, recorded_by=recorded_by)
    record_change(user=recorded_by, action="visit.record", household_id=household.pk, detail=f"{visit.pk}")
    return visit


@transaction.atomic
def record_storage_check(*, visit: HomeVisit, service_user, checked_by, **fields) -> StorageCheck:
    """Record what was found about how a service user's OST is stored.

    Only claimed, or not satisfied: a follow-up task is made for the keyworker (guide: "take further action if you
    are not satisfied"). Fails on contradictions a practitioner would want caught (satisfied with unseen or unsafe
    storage; storage right but no compliment recorded; unsafe storage with no advice recorded).
    """
    if visit.status != VisitStatus.COMPLETED:
        raise DomainError("Record the home visit as done before recording a storage check at it")
    if service_user.household_id != visit.household_id:
        raise DomainError({"service_user": "This service user does not live in the household visited"})
    check = StorageCheck(visit=visit, service_user=service_user, checked_by=checked_by, checked_on=visit.visited_on)
    for field, value in fields.items():
        setattr(check, field, value)
    if check.needs_follow_up and not check.follow_up_due_on:
        check.follow_up_due_on = visit.visited_on + timedelta(days=VisitPolicy.current().follow_up_days)
    apply_changes(check, {})
    if check.needs_follow_up:
        reason = "Storage was only described, not seen" if not check.storage_seen else "Storage was not satisfactory"
        task_services.create_task(
            title=f"Follow up storage: {reason.lower()}",
            detail=f"{service_user.full_name}. Ask to see where the OST is kept and check it is out of sight and "
            "reach, locked away, with other substances stored safely.",
            household=visit.household,
            service_user=service_user,
            assignee=_keyworker_or(service_user, checked_by),
            due_on=check.follow_up_due_on,
            created_by=checked_by,
            rule="visits.storage_follow_up",
            dedupe_key=storage_follow_up_key(service_user.pk),
        )
    else:
        task_services.close_rule_task(
            dedupe_key=storage_follow_up_key(service_user.pk),
            outcome=f"Storage seen and satisfactory on {check.checked_on:%-d %B %Y}",
            closed_by=checked_by,
        )
    record_change(user=checked_by, action="storage_check.record", household_id=visit.household_id, detail=f"{check.pk}")
    return check
