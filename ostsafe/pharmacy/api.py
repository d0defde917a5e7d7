from rest_framework import serializers

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import BatchImportView, HouseholdRecordsReadViewSet

from .imports import FIELDS, OPTIONAL_FIELDS, import_rows
from .models import DispensingRecord, Source


class DispensingRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = DispensingRecord
        fields = ["id", "prescription", "expected_on", "outcome", "quantity", "note", "source", "recorded_at"]
        read_only_fields = fields


class DispensingRecordViewSet(HouseholdRecordsReadViewSet):
    """Dispensing records of the families the caller may see (keyworkers, prescribers, managers)."""

    queryset = DispensingRecord.objects.select_related("prescription__service_user__household__team")
    serializer_class = DispensingRecordSerializer
    household_lookup = "prescription__service_user__household__"
    audit_name = "dispensing"

    filter_lookups = {"service_user": "prescription__service_user_id", "prescription": "prescription_id"}

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
