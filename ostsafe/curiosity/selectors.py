"""Reads of warning-sign flags, shaped for the caseload and the Warning signs tab."""

from datetime import timedelta
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q

from .models import Flag, Observation, WarningSignPolicy
from .signs import most_serious


def with_open_flags(service_users, value: str, as_of):
    """The caseload's filter: those whose family has a warning sign raised (open)."""
    return service_users.filter(Exists(Flag.objects.open().filter(household_id=OuterRef("household_id"))))


class OpenSigns(NamedTuple):
    number: int
    most_serious: str


def households_with_open_flags(household_ids: list) -> dict[int, OpenSigns]:
    """For the caseload's tag, the households among these with a warning sign raised: {household id: how many, and
    the most serious one's title}. One query."""
    signs: dict[int, list] = {}
    for household_id, sign in (
        Flag.objects.open().filter(household_id__in=household_ids).values_list("household_id", "sign")
    ):
        signs.setdefault(household_id, []).append(sign)
    return {household_id: OpenSigns(len(raised), most_serious(raised).title) for household_id, raised in signs.items()}


def flags_for_household(household) -> list[Flag]:
    return list(
        Flag.objects.filter(household=household)
        .select_related("raised_by", "acknowledged_by")
        .order_by("-raised_at", "-pk")
    )


def flag_in(household, pk: int) -> Flag | None:
    return Flag.objects.filter(household=household, pk=pk).first()


def observations_for_household(household) -> list[Observation]:
    return list(
        Observation.objects.filter(household=household)
        .select_related("service_user", "recorded_by")
        .order_by("-noticed_on", "-pk")
    )


def compliance_signs_acknowledged(as_of):
    """Managers' dashboard: no warning sign raised more than the policy's days ago and still not acknowledged."""
    days = WarningSignPolicy.current().acknowledge_days
    late = Flag.objects.unacknowledged_on(as_of).filter(
        household=OuterRef("pk"), raised_on__lt=as_of - timedelta(days=days)
    )
    return ~Exists(late)


def signs_by_service(start, end) -> dict[int, dict[str, int]]:
    """Commissioner's report: warning signs raised in the period and, of those, acknowledged with what was done, by
    treatment service. One query."""
    rows = (
        Flag.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .values("household__team__organisation_id")
        .annotate(raised=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
    )
    return {
        r["household__team__organisation_id"]: {"raised": r["raised"], "acknowledged": r["acknowledged"]} for r in rows
    }
