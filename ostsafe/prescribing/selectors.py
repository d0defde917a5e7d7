"""Reads of prescriptions, shaped for the pages that show them."""

from datetime import date

from .models import Prescription


def current_prescriptions(as_of: date | None = None):
    return Prescription.objects.current(as_of).select_related("pharmacy", "prescriber")


def prescriptions_for_display():
    return Prescription.objects.select_related("pharmacy", "prescriber").order_by("-start_date", "-id")
