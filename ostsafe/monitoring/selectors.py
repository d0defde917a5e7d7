"""Reads of appointments, test results and concerns, shaped for the family's Pharmacy and appointments tab."""

from datetime import date, timedelta

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


def concerns_since(household, since: date) -> list[Concern]:
    return list(Concern.objects.filter(household=household, received_on__gte=since).order_by("-received_on", "-pk"))


def appointment_outcomes(household, since: date, until: date) -> list[Appointment]:
    """Appointments with an outcome between the dates (for the warning signs: attendance against a baseline)."""
    return list(
        Appointment.objects.filter(service_user__household=household, on__gte=since, on__lte=until)
        .exclude(outcome="")
        .select_related("service_user")
        .order_by("on", "pk")
    )


def tests_between(household, since: date, until: date) -> list[TestResult]:
    return list(
        TestResult.objects.filter(service_user__household=household, taken_on__gte=since, taken_on__lte=until)
        .select_related("service_user")
        .order_by("taken_on", "pk")
    )
