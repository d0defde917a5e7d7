"""Reads of appointments, test results and concerns, shaped for the family's Pharmacy and appointments tab."""

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
