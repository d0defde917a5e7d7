"""Reads of warning-sign flags, shaped for the caseload and the Warning signs tab."""

from .models import Flag


def households_with_open_flags(household_ids: list) -> set:
    """Which of these households have a warning sign raised (one query, for the caseload's tag)."""
    return set(Flag.objects.open().filter(household_id__in=household_ids).values_list("household_id", flat=True))


def flags_for_household(household) -> list[Flag]:
    return list(
        Flag.objects.filter(household=household)
        .select_related("raised_by", "acknowledged_by")
        .order_by("-raised_at", "-pk")
    )


def flag_in(household, pk: int) -> Flag | None:
    return Flag.objects.filter(household=household, pk=pk).first()
