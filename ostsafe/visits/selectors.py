from datetime import date, timedelta

from django.db.models import Max, Prefetch

from ostsafe.core.households import DONE, NOT_STARTED, STARTED
from ostsafe.families.models import HouseholdMember
from ostsafe.prescribing.take_home import CheckResult
from ostsafe.tasks.models import Task, TaskStatus

from .models import ChildObservation, HomeVisit, StorageCheck, VisitPolicy


def visits_for_household(household):
    return (
        HomeVisit.objects.filter(household=household)
        .select_related("recorded_by")
        .prefetch_related(
            "visitors",
            "service_users_seen",
            Prefetch("adults_present", queryset=HouseholdMember.objects.select_related("service_user")),
            Prefetch("child_observations", queryset=ChildObservation.objects.select_related("child")),
            Prefetch("storage_checks", queryset=StorageCheck.objects.select_related("service_user", "checked_by")),
        )
    )


def households_needing_home_visit(household_ids) -> set[int]:
    """Households whose assessment-stage home visit has not happened (the rule's task is still open)."""
    return set(
        Task.objects.filter(
            household_id__in=list(household_ids), rule="visits.home_visit_needed", status=TaskStatus.OPEN
        ).values_list("household_id", flat=True)
    )


def storage_seen_check(*, service_user, as_of: date) -> CheckResult:
    """Take-home check: storage seen (not only claimed) and satisfactory within the configured period."""
    days = VisitPolicy.current().storage_check_valid_days
    label = f"Storage seen (not only claimed) and satisfactory in the last {days} days"
    recent = StorageCheck.objects.filter(
        service_user=service_user, checked_on__gte=as_of - timedelta(days=days), checked_on__lte=as_of
    ).order_by("-checked_on", "-id")
    latest = recent.first()
    if latest is None:
        return CheckResult("storage_seen", label, False, f"No storage check in the last {days} days")
    if latest.storage_seen and latest.satisfied:
        return CheckResult(
            "storage_seen", label, True, f"Seen and satisfactory on {latest.checked_on:%-d %B %Y}: {latest.location}"
        )
    why = "only claimed, not seen" if not latest.storage_seen else "not satisfactory"
    return CheckResult("storage_seen", label, False, f"Latest check on {latest.checked_on:%-d %B %Y} was {why}")


def recent_storage_checks(household, *, limit: int):
    """The household's latest storage checks, newest first (what a safety plan is built on)."""
    return StorageCheck.objects.filter(visit__household=household).select_related("service_user")[:limit]


def last_completed_visit_on(household_ids) -> dict[int, date]:
    """The last completed home visit of each household. One query."""
    rows = HomeVisit.objects.completed().filter(household_id__in=household_ids).values("household_id")
    return {row["household_id"]: row["last"] for row in rows.annotate(last=Max("visited_on"))}


def completed_visits_between(household, since: date, until: date) -> int:
    return HomeVisit.objects.completed().filter(household=household, visited_on__range=(since, until)).count()


def checklist_status(household, as_of: date) -> str:
    """The new-family checklist: a home visit at which the storage was seen."""
    if StorageCheck.objects.filter(visit__household=household, verification="seen").exists():
        return DONE
    return STARTED if HomeVisit.objects.completed().filter(household=household).exists() else NOT_STARTED
