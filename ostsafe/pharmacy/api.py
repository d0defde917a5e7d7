import io
from itertools import islice

from rest_framework import exceptions, serializers, status, views
from rest_framework.response import Response

from ostsafe.accounts.roles import ROLES, Scope
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet

from .imports import import_rows, read_csv, records_from_dicts
from .models import DispensingRecord, Source

MAX_BATCH_ROWS = 10_000


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


class DispensingBatchView(views.APIView):
    """POST a batch of dispensing records, as JSON {"records": [{nhs_number, pharmacy, date, outcome, quantity,
    note}, ...]} or as CSV text with a header row. One transaction; returns the per-row report. Pharmacists send
    only their own pharmacy's records."""

    def post(self, request):
        user = request.user
        if not access.has_action(user, Action.RECORD_DISPENSING):
            raise exceptions.PermissionDenied("Your role does not send dispensing records.")
        if request.content_type.startswith("text/csv"):
            # The cells go to the import as they are: on PostgreSQL the database parses and checks them.
            try:
                text = request.body.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise exceptions.ValidationError({"records": ["Send the CSV as UTF-8 text"]}) from None
            try:
                rows = list(islice(read_csv(io.StringIO(text, newline="")), MAX_BATCH_ROWS + 1))
            except ValueError as error:
                raise exceptions.ValidationError({"records": [str(error)]}) from None
        else:
            records = request.data.get("records") if isinstance(request.data, dict) else None
            if not isinstance(records, list):
                raise exceptions.ValidationError({"records": ["Send a list of records"]})
            if not all(isinstance(row, dict) for row in records):
                raise exceptions.ValidationError({"records": ["Each record must be an object with the named fields"]})
            rows = list(records_from_dicts(records))
        if len(rows) > MAX_BATCH_ROWS:
            raise exceptions.ValidationError({"records": [f"Send at most {MAX_BATCH_ROWS} records in one batch"]})
        allowed = None if ROLES[user.role].household_scope == Scope.ALL else {user.organisation_id}
        report = import_rows(
            rows, imported_by=user, source=Source.API, allowed_pharmacy_ids=allowed, batch_size=MAX_BATCH_ROWS
        )
        return Response(report.as_dict(), status=status.HTTP_200_OK)
