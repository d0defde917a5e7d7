import re
from datetime import date, timedelta

from rest_framework import exceptions, serializers

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import BatchImportView, HouseholdRecordsReadViewSet
from ostsafe.core.validators import today

from .imports import FIELDS, OPTIONAL_FIELDS, import_rows
from .models import DispensingRecord, Source


class DispensingRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = DispensingRecord
        fields = ["id", "prescription", "expected_on", "outcome", "quantity", "note", "source", "recorded_at"]
        read_only_fields = fields


# Without dates the list is of the last four weeks: a team's whole history is years of daily records.
DEFAULT_DAYS = 28
MOST_DAYS = 366
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date_parameter(params, name: str) -> date | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        if not ISO_DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: ["Give the date as YYYY-MM-DD, like 2026-11-30"]}) from None


class DispensingRecordViewSet(HouseholdRecordsReadViewSet):
    """Dispensing records of the families the caller may see (keyworkers, prescribers, managers), newest first.
    `from` and `to` (YYYY-MM-DD) bound the doses' dates: the last 28 days by default, at most 366 days at a time."""

    queryset = DispensingRecord.objects.select_related("prescription__service_user__household__team")
    serializer_class = DispensingRecordSerializer
    household_lookup = "prescription__service_user__household__"
    audit_name = "dispensing"

    filter_lookups = {"service_user": "prescription__service_user_id", "prescription": "prescription_id"}
    other_filters = ("from", "to")
    other_filter_descriptions = {
        "from": f"Doses on or after this date (YYYY-MM-DD); {DEFAULT_DAYS} days before `to` if not given",
        "to": "Doses on or before this date (YYYY-MM-DD); today if not given",
    }

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        params = self.request.query_params
        last = _date_parameter(params, "to") or today()
        first = _date_parameter(params, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise exceptions.ValidationError({"from": ["The 'from' date must be on or before the 'to' date"]})
        if (last - first).days >= MOST_DAYS:
            raise exceptions.ValidationError({"from": [f"Ask for at most {MOST_DAYS} days at a time"]})
        return queryset.filter(expected_on__gte=first, expected_on__lte=last)

    def household_of(self, obj):
        return obj.prescription.service_user.household

    # Guide, "Dispensing practice": a pharmacist reads the dispensing records of the prescriptions dispensed at
    # their own pharmacy (and nothing else of the family's record); everyone else, those of the families they see.
    def reach_q(self):
        return super().reach_q() | access.pharmacy_q(self.request.user, field="prescription__pharmacy_id")

    def may_list(self, user) -> bool:
        return super().may_list(user) or access.has_action(user, Action.RECORD_DISPENSING)

    def may_read(self, user, obj, household) -> bool:
        return super().may_read(user, obj, household) or access.may_dispense(user, obj.prescription)


class DispensingBatchView(BatchImportView):
    """POST a batch of dispensing records (docs/dispensing-import.md), as JSON {"records": [{nhs_number, pharmacy,
    date, outcome, quantity, note}, ...]} or as CSV text with a header row. Each batch is one transaction; the answer
    is the per-row report. Pharmacists send only their own pharmacy's records."""

    required_action = Action.RECORD_DISPENSING
    fields = FIELDS
    optional_fields = OPTIONAL_FIELDS
    audit_name = "dispensing"

    def run(self, records, user):
        return import_rows(
            records,
            imported_by=user,
            source=Source.API,
            allowed_pharmacy_ids=access.pharmacies_sending_for(user),
            batch_size=self.max_rows,
        )
