"""Appointments (summarised per week), tests and concerns in the family chronology."""

from collections import defaultdict
from datetime import timedelta

from ostsafe.core.households import ChronologyEvent, in_period

from .models import Appointment, Concern, TestResult


def appointment_events(household, since, until) -> list[ChronologyEvent]:
    """One event per service user and week: how many appointments were attended, missed or cancelled."""
    weeks: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    names = {}
    appointments = Appointment.objects.filter(service_user__household=household, outcome__gt="").select_related(
        "service_user"
    )
    for appointment in in_period(appointments, "on", since, until):
        monday = appointment.on - timedelta(days=appointment.on.weekday())
        weeks[(appointment.service_user_id, monday)][appointment.get_outcome_display().lower()] += 1
        names[appointment.service_user_id] = appointment.service_user.full_name
    return [
        ChronologyEvent(
            on=monday,
            kind="appointments",
            title=f"Appointments, week of {monday:%-d %B}: {names[su]}",
            detail=", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())),
        )
        for (su, monday), counts in weeks.items()
    ]


def test_events(household, since, until) -> list[ChronologyEvent]:
    tests = TestResult.objects.filter(service_user__household=household).select_related("service_user")
    return [
        ChronologyEvent(on=t.taken_on, kind="tests", title=f"{t.service_user.full_name}: {t}")
        for t in in_period(tests, "taken_on", since, until)
    ]


def concern_events(household, since, until) -> list[ChronologyEvent]:
    concerns = Concern.objects.filter(household=household)
    return [
        ChronologyEvent(on=c.received_on, kind="concerns", title=f"Concern: {c}", detail=c.description)
        for c in in_period(concerns, "received_on", since, until)
    ]
