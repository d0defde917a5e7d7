"""Reads of appointments, test results and concerns, shaped for the family's Pharmacy and appointments tab."""

from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Max

from .models import Appointment, Concern, Substance, TestResult

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


class AppointmentRow(NamedTuple):
    """An appointment's outcome, as the warning signs read it (light: a region's worth are read each night)."""

    service_user_id: int
    on: date
    outcome: str


def appointment_outcomes(household_ids, since: date, until: date) -> dict[int, list[AppointmentRow]]:
    """Outcomes of the appointments of people in treatment between the dates, by household, oldest first (for the
    warning signs: attendance against a baseline). One query."""
    found: dict[int, list[AppointmentRow]] = {}
    rows = (
        Appointment.objects.filter(
            service_user__household_id__in=household_ids,
            service_user__discharged_on__isnull=True,
            on__gte=since,
            on__lte=until,
        )
        .exclude(outcome="")
        .order_by("on", "pk")
        .values_list("service_user__household_id", "service_user_id", "on", "outcome")
    )
    for household_id, service_user_id, on, outcome in rows:
        found.setdefault(household_id, []).append(AppointmentRow(service_user_id, on, outcome))
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


class TestRow(NamedTuple):
    """A test result, as the warning signs read it."""

    service_user_id: int
    taken_on: date
    substance: str
    method: str
    positive: bool | None
    audit_c_score: int | None

    def get_substance_display(self) -> str:
        return Substance(self.substance).label


def tests_between(household_ids, since: date, until: date) -> dict[int, list[TestRow]]:
    """Test results of people in treatment between the dates, by household, oldest first. One query."""
    found: dict[int, list[TestRow]] = {}
    rows = (
        TestResult.objects.filter(
            service_user__household_id__in=household_ids,
            service_user__discharged_on__isnull=True,
            taken_on__gte=since,
            taken_on__lte=until,
        )
        .order_by("taken_on", "pk")
        .values_list(
            "service_user__household_id",
            "service_user_id",
            "taken_on",
            "substance",
            "method",
            "positive",
            "audit_c_score",
        )
    )
    for household_id, service_user_id, taken_on, substance, method, positive, score in rows:
        found.setdefault(household_id, []).append(
            TestRow(service_user_id, taken_on, substance, method, positive, score)
        )
    return found
