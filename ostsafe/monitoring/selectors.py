"""Reads of appointments, test results and concerns, shaped for the family's Pharmacy and appointments tab."""

from datetime import date, timedelta

from django.db.models import Max

from .models import Appointment, Concern, TestResult

RECENT = 30


def appointments_for_household(household, limit: int = RECENT):
    """The household's latest appointments, newest first, with whom each was for."""
    return Appointment.objects.filter(service_user__household=household).select_related("service_user")[:limit]


def test_results_for_household(household, limit: int = RECENT):
    return TestResult.objects.filter(service_user__household=household).select_related("service_user")[:limit]


def concerns_for_household(household):
    """Concerns from anyone about the household, newest first, with their source."""
    return Concern.objects.filter(household=household).select_related("service_user")


def tests_for_sharing(household, as_of: date) -> list[TestResult]:
    """The last 90 days' tests of the household's service users, for a partner a recorded decision covers."""
    return list(
        TestResult.objects.filter(service_user__household=household, taken_on__gte=as_of - timedelta(days=90))
        .select_related("service_user")
        .order_by("-taken_on", "-pk")
    )


def concerns_since(household_ids, since: date) -> dict[int, list[Concern]]:
    """Concerns received since the date, by household (for the warning signs). One query."""
    found: dict[int, list[Concern]] = {}
    for concern in Concern.objects.filter(household_id__in=household_ids, received_on__gte=since).order_by(
        "-received_on", "-pk"
    ):
        found.setdefault(concern.household_id, []).append(concern)
    return found


def appointment_outcomes(household_ids, since: date, until: date) -> dict[int, list[Appointment]]:
    """Appointments with an outcome between the dates, by household, oldest first (for the warning signs: attendance
    against a baseline). One query."""
    found: dict[int, list[Appointment]] = {}
    appointments = (
        Appointment.objects.filter(service_user__household_id__in=household_ids, on__gte=since, on__lte=until)
        .exclude(outcome="")
        .select_related("service_user")
        .order_by("on", "pk")
    )
    for appointment in appointments:
        found.setdefault(appointment.service_user.household_id, []).append(appointment)
    return found


def last_attended_on(household_ids, until: date) -> dict[int, date]:
    """The last attended appointment of anyone in each household, on or before the date. One query."""
    rows = (
        Appointment.objects.filter(service_user__household_id__in=household_ids, outcome="attended", on__lte=until)
        .values("service_user__household_id")
        .annotate(last=Max("on"))
    )
    return {row["service_user__household_id"]: row["last"] for row in rows}


def attended_between(household, since: date, until: date) -> int:
    return Appointment.objects.filter(
        service_user__household=household, outcome="attended", on__gte=since, on__lte=until
    ).count()


def tests_between(household_ids, since: date, until: date) -> dict[int, list[TestResult]]:
    """Test results between the dates, by household, oldest first. One query."""
    found: dict[int, list[TestResult]] = {}
    tests = (
        TestResult.objects.filter(
            service_user__household_id__in=household_ids, taken_on__gte=since, taken_on__lte=until
        )
        .select_related("service_user")
        .order_by("taken_on", "pk")
    )
    for test in tests:
        found.setdefault(test.service_user.household_id, []).append(test)
    return found
