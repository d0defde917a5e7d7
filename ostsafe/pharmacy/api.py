from rest_framework import serializers

from ostsafe.accounts.roles import ROLES, Scope
from ostsafe.core.access import Action
from ostsafe.core.api import BatchImportView, HouseholdScopedViewSet

from .imports import FIELDS, import_rows
from .models import DispensingRecord, Source


class DispensingRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = DispensingRecord
        fields = ["id", "prescription", "expected_on", "outcome", "quantity", "note", "source", "recorded_at"]
        read_only_fields = fields


class DispensingRecordViewSet(HouseholdScopedViewSet):
    """Dispensing records of the families the caller may see (keyworkers, prescribers, managers)."""

    queryset = DispensingRecord.objects.select_related("prescription__service_user__household__team")
    serializer_class = DispensingRecordSerializer
    household_lookup = "prescription__service_user__household__"
    audit_name = "dispensing"
    http_method_names = ["get", "head", "options"]

    def household_of(self, obj):
        return obj.prescription.service_user.household


class DispensingBatchView(BatchImportView):
    """POST a batch of dispensing records (docs/dispensing-import.md), as JSON {"records": [{nhs_number, pharmacy,
    date, outcome, quantity, note}, ...]} or as CSV text with a header row. Each batch is one transaction; the answer
    is the per-row report. Pharmacists send only their own pharmacy's records."""

    required_action = Action.RECORD_DISPENSING
    fields = FIELDS
    audit_name = "dispensing"

    def run(self, records, user):
        allowed = None if ROLES[user.role].household_scope == Scope.ALL else {user.organisation_id}
        return import_rows(
            records, imported_by=user, source=Source.API, allowed_pharmacy_ids=allowed, batch_size=self.max_rows
        )
