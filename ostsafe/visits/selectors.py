from datetime import date, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Prefetch, Q

from ostsafe.core.households import DONE, NOT_STARTED, STARTED
from ostsafe.families.models import HouseholdMember
from ostsafe.prescribing.models import Drug
from ostsafe.prescribing.selectors import current_prescriptions
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


def storage_seen_checks(*, service_users: list, as_of: date) -> dict[int, CheckResult]:
    """Take-home check: storage seen (not only claimed) and satisfactory within the configured period. One query (and
    one for the policy)."""
    days = VisitPolicy.current().storage_check_valid_days
    label = f"Storage seen (not only claimed) and satisfactory in the last {days} days"
    latest: dict[int, StorageCheck] = {}
    recent = StorageCheck.objects.filter(
        service_user__in=[su.pk for su in service_users],
        checked_on__gte=as_of - timedelta(days=days),
        checked_on__lte=as_of,
    )
    # Only what the check says: a storage check carries a dozen answers and notes too.
    for check in recent.only("service_user_id", "checked_on", "verification", "satisfied", "location").order_by(
        "checked_on", "id"
    ):
        latest[check.service_user_id] = check
    found = {}
    for service_user in service_users:
        check = latest.get(service_user.pk)
        if check is None:
            result = CheckResult("storage_seen", label, False, f"No storage check in the last {days} days")
        elif check.storage_seen and check.satisfied:
            result = CheckResult(
                "storage_seen", label, True, f"Seen and satisfactory on {check.checked_on:%-d %B %Y}: {check.location}"
            )
        else:
            why = "only claimed, not seen" if not check.storage_seen else "not satisfactory"
            result = CheckResult(
                "storage_seen", label, False, f"Latest check on {check.checked_on:%-d %B %Y} was {why}"
            )
        found[service_user.pk] = result
    return found


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


def takes_a_liquid(service_user, on: date) -> bool:
    """Whether the service user's OST on that day is a liquid (methadone oral solution), whose empty bottles are a
    risk of their own (the storage check asks about them only then)."""
    return current_prescriptions(on).filter(service_user=service_user, drug=Drug.METHADONE_ORAL_SOLUTION).exists()


def compliance_home_visit_done(as_of: date):
    """Managers' dashboard: at least one home visit recorded (the guide's visit at the assessment stage)."""
    return Exists(HomeVisit.objects.completed().filter(household=OuterRef("pk"), visited_on__lte=as_of))


def compliance_visits_on_schedule(as_of: date):
    """Managers' dashboard: no home visit overdue at the frequency the risk level sets (the rules keep a "next visit"
    or "home visit needed" task due by it)."""
    overdue = Task.objects.open_on(as_of).filter(
        rule__in=["visits.next_visit", "visits.home_visit_needed"], due_on__lt=as_of
    )
    # The families with such a task, read once and looked up (not asked again for each family: 3,460 probes of each
    # family's tasks took 28 ms of the dashboard at 10,000 service users).
    return ExpressionWrapper(~Q(pk__in=overdue.values("household_id")), output_field=BooleanField())


def compliance_storage_seen(as_of: date):
    """Managers' dashboard: storage seen (not only claimed) and satisfactory within the review period."""
    days = VisitPolicy.current().storage_check_valid_days
    return Exists(
        StorageCheck.objects.filter(
            visit__household=OuterRef("pk"),
            verification="seen",
            satisfied=True,
            checked_on__gte=as_of - timedelta(days=days),
            checked_on__lte=as_of,
        )
    )
