"""Reads for the Family support tab and the manager's count of services used."""

from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from ostsafe.families.models import HouseholdMember, MemberRole

from .models import Carer, SupportOffer


def carers_of(household) -> QuerySet[Carer]:
    """The family members recorded with their own needs, each with their offers of support, oldest first."""
    return (
        Carer.objects.filter(household=household)
        .select_related("member", "recorded_by")
        .prefetch_related(
            Prefetch("offers", queryset=SupportOffer.objects.select_related("service", "offered_by").order_by("id"))
        )
    )


def could_be_supported(household, as_of: date) -> list[HouseholdMember]:
    """Current members who are not in treatment here, have a name and are not yet recorded: who the tab offers to
    record."""
    return list(
        household.members.current(as_of)
        .filter(service_user__isnull=True, carer__isnull=True)
        .exclude(role=MemberRole.UNKNOWN_ADULT)
        .exclude(given_name="", family_name="")
        .exclude(role=MemberRole.CHILD, date_of_birth__isnull=True)
        .order_by("role", "date_of_birth", "id")
    )


def offers_by_service(households, since: date) -> dict[int, int]:
    """{local service id: family members signposted or referred to it} in these households since `since`."""
    rows = (
        SupportOffer.objects.filter(carer__household__in=households, offered_on__gte=since)
        .values("service_id")
        .annotate(n=Count("pk"))
    )
    return {row["service_id"]: row["n"] for row in rows}
