"""Recording home visits and storage checks, and the rules that follow from them."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ostsafe.accounts.models import User
from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core import access
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.families import services as family_services
from ostsafe.families.models import MemberRole
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task

from . import selectors
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


def next_visit_key(household_id: int) -> str:
    return f"visits.next_visit:{household_id}"


@transaction.atomic
def reschedule_next_visit(*, household, every_days: int, level_label: str, decided_by) -> Task | None:
    """A risk level just decided sets how often to visit from now on: the next visit is due that many days after the
    last one — sooner than the old schedule said, never later. A family never visited is the assessment-stage visit
    rule's (`require_assessment_stage_visit`)."""
    last = household.home_visits.completed().order_by("-visited_on").values_list("visited_on", flat=True).first()
    if last is None:
        return None
    due_on = last + timedelta(days=every_days)
    key = next_visit_key(household.pk)
    task = task_services.bring_rule_task_forward(dedupe_key=key, due_on=due_on, by=decided_by)
    if task is not None:
        return task
    first = household.service_users.order_by("pk").first()
    return task_services.create_task(
        title="Home visit due",
        detail=f"{level_label} risk: visit at least every {every_days} days, check storage and see the children.",
        household=household,
        service_user=first,
        assignee=_keyworker_or(first, decided_by),
        due_on=due_on,
        created_by=decided_by,
        rule="visits.next_visit",
        dedupe_key=key,
    )


def _next_visit_due(*, household, visited_on: date, recorded_by):
    """Guide: "Home visits should be regularly conducted". The latest assessment's level sets how often; the next
    visit becomes a task, replacing the previous one."""
    latest = household.assessments.filter(status="completed").order_by("-completed_on", "-id").first()
    key = next_visit_key(household.pk)
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


def children_to_observe(household, on: date):
    """The children living in the household on that day who can be seen: born, not unborn."""
    return household.members.current(on).children().filter(lives_here=True, date_of_birth__isnull=False)


def adults_of(household, on: date):
    """The adults recorded in the household on that day, other than its service users: partners, fathers, family,
    visitors, unknown adults."""
    return household.members.current(on).exclude(role=MemberRole.CHILD).exclude(service_user__isnull=False)


def _record_unknown_adult(household, visited_on: date, description: str, recorded_by):
    """Guide, "Professional curiosity": unknown adults staying in the family home. The adult joins the household's
    record as "unknown adult reported" from the day of the visit, and the keyworker is asked to find out who they
    are."""
    adult = family_services.add_household_member(
        household=household,
        added_by=recorded_by,
        role=MemberRole.UNKNOWN_ADULT,
        lives_here=False,
        start_date=visited_on,
        notes=f"At the home visit on {visited_on:%-d %B %Y}: {description}",
    )
    first = household.service_users.order_by("pk").first()
    task_services.create_task(
        title="Find out who the adult at the home visit was",
        detail=f"Seen on {visited_on:%-d %B %Y}: {description[:300]}. Ask the family who they are, whether they "
        "stay, and whether they are around the children.",
        household=household,
        service_user=first,
        assignee=_keyworker_or(first, recorded_by),
        due_on=visited_on + timedelta(days=7),
        created_by=recorded_by,
        rule="visits.unknown_adult",
    )
    return adult


def _refuse_outsiders(household, *, visitors, service_users_seen):
    """Every person a visit names belongs to it: visitors from the family's own service, adults seen from the
    household itself."""
    allowed = User.objects.filter(access.home_visitors_q(organisation_id=household.team.organisation_id))
    if {v.pk for v in visitors} - set(allowed.filter(pk__in=[v.pk for v in visitors]).values_list("pk", flat=True)):
        raise DomainError({"visitors": "Choose people from this family's service who go on home visits"})
    if any(su.household_id != household.pk for su in service_users_seen):
        raise DomainError({"service_users_seen": "Choose adults in treatment who live in this household"})


@transaction.atomic
def plan_home_visit(*, household, planned_for: date, planned_by, notes: str = "") -> HomeVisit:
    """Put a home visit in the diary. Fails for a date already past (record the visit instead)."""
    if planned_for < today():
        raise DomainError({"planned_for": "A planned visit must be today or later. To record one, use Record"})
    visit = apply_changes(
        HomeVisit(household=household, recorded_by=planned_by),
        {"planned_for": planned_for, "notes": notes, "status": VisitStatus.PLANNED},
    )
    record_change(user=planned_by, action=AuditAction.VISIT_PLAN, household_id=household.pk, detail=f"{visit.pk}")
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
    adults_present=(),
    unknown_adult: str = "",
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
    _refuse_outsiders(household, visitors=visitors, service_users_seen=service_users_seen)
    adult_ids = set(adults_of(household, visited_on).values_list("pk", flat=True))
    if any(adult.pk not in adult_ids for adult in adults_present):
        raise DomainError({"adults_present": "Choose adults recorded in this household"})
    children = {child.pk: child for child in children_to_observe(household, visited_on)}
    observed = {child.pk for child, _, _ in child_observations}
    if observed - set(children):
        raise DomainError({"child_observations": "Record observations only for the children living in this household"})
    missing = [c.display_name for pk, c in children.items() if pk not in observed]
    if missing:
        raise DomainError(f"Record whether you saw {', '.join(missing)}")
    visit = visit or HomeVisit(household=household, recorded_by=recorded_by)
    apply_changes(visit, {"status": VisitStatus.COMPLETED, "visited_on": visited_on, "notes": notes})
    visit.visitors.set(visitors)
    visit.service_users_seen.set(service_users_seen)
    present = list(adults_present)
    if unknown_adult.strip():
        present.append(_record_unknown_adult(household, visited_on, unknown_adult.strip(), recorded_by))
    visit.adults_present.set(present)
    for child, seen, note in child_observations:
        try:
            apply_changes(ChildObservation(visit=visit, child=child), {"seen": seen, "note": note})
        except ValidationError as error:
            raise DomainError({"child_observations": error.messages}) from None
    task_services.close_rule_task(
        dedupe_key=home_visit_needed_key(household.pk),
        outcome=f"Home visit recorded on {visited_on:%-d %B %Y}",
        closed_by=recorded_by,
    )
    _next_visit_due(household=household, visited_on=visited_on, recorded_by=recorded_by)
    record_change(user=recorded_by, action=AuditAction.VISIT_RECORD, household_id=household.pk, detail=f"{visit.pk}")
    return visit


@transaction.atomic
def record_storage_check(*, visit: HomeVisit, service_user, checked_by, **fields) -> StorageCheck:
    """Record what was found about how a service user's OST is stored.

    Only claimed, or not satisfied: a follow-up task is made for the keyworker (guide: "take further action if you
    are not satisfied"). Fails on contradictions a practitioner would want caught (satisfied with unseen or unsafe
    storage; storage right but no compliment recorded; unsafe storage with no advice recorded).
    """
    if visit.status != VisitStatus.COMPLETED or visit.visited_on is None:
        raise DomainError("Record the home visit as done before recording a storage check at it")
    if service_user.household_id != visit.household_id:
        raise DomainError({"service_user": "This service user does not live in the household visited"})
    check = StorageCheck(visit=visit, service_user=service_user, checked_by=checked_by, checked_on=visit.visited_on)
    for field, value in fields.items():
        setattr(check, field, value)
    # Guide, "Safe storage": empty bottles are washed out and put in the dustbin. Asked for a liquid only.
    if selectors.takes_a_liquid(service_user, visit.visited_on):
        if check.empty_bottles_disposed is None:
            raise DomainError(
                {"empty_bottles_disposed": "Select yes or no: empty bottles are washed out and put in the dustbin"}
            )
    else:
        check.empty_bottles_disposed = None
    if not check.locked_box_in_use and not check.box_locked:
        check.box_locked = None
    follow_up_due_on = check.follow_up_due_on or visit.visited_on + timedelta(days=VisitPolicy.current().follow_up_days)
    if check.needs_follow_up:
        check.follow_up_due_on = follow_up_due_on
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
            due_on=follow_up_due_on,
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
    record_change(
        user=checked_by, action=AuditAction.STORAGE_CHECK_RECORD, household_id=visit.household_id, detail=f"{check.pk}"
    )
    return check
