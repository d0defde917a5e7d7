from rest_framework import serializers

from ostsafe.core.access import Action
from ostsafe.core.api import BatchImportView, HouseholdRecordsAddViewSet, family_record_field
from ostsafe.families.models import Household, ServiceUser

from . import services
from .imports import FIELDS as APPOINTMENT_FIELDS
from .imports import OPTIONAL_FIELDS as APPOINTMENT_OPTIONAL_FIELDS
from .imports import import_appointments
from .models import Appointment, Concern, TestResult


class AppointmentSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = Appointment
        fields = ["id", "service_user", "kind", "on", "outcome"]


class TestResultSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = TestResult
        fields = ["id", "service_user", "taken_on", "substance", "method", "positive", "audit_c_score"]


class ConcernSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__", required=False, allow_null=True)

    class Meta:
        model = Concern
        fields = [
            "id",
            "household",
            "service_user",
            "source",
            "source_detail",
            "category",
            "description",
            "received_on",
        ]


class _ByServiceUser(HouseholdRecordsAddViewSet):
    household_lookup = "service_user__household__"
    household_from = "service_user.household"
    filter_lookups = {"service_user": "service_user_id"}

    def household_of(self, obj):
        return obj.service_user.household


class AppointmentViewSet(_ByServiceUser):
    """Appointments and their outcomes. POST records one (or the outcome of an existing one on the same day)."""

    queryset = Appointment.objects.select_related("service_user__household__team")
    serializer_class = AppointmentSerializer
    audit_name = "appointment"

    def create_record(self, *, household, data, user):
        return services.record_appointment(recorded_by=user, **data)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "validators"):
            serializer.validators = []  # the service updates the day's appointment instead of refusing it
        return serializer


class TestResultViewSet(_ByServiceUser):
    queryset = TestResult.objects.select_related("service_user__household__team")
    serializer_class = TestResultSerializer
    audit_name = "test_result"

    def create_record(self, *, household, data, user):
        service_user = data.pop("service_user")
        return services.record_test_result(service_user=service_user, recorded_by=user, **data)


class ConcernViewSet(HouseholdRecordsAddViewSet):
    queryset = Concern.objects.select_related("household__team")
    serializer_class = ConcernSerializer
    audit_name = "concern"
    filter_lookups = {"service_user": "service_user_id"}

    def create_record(self, *, household, data, user):
        data.pop("household")
        return services.record_concern(household=household, recorded_by=user, **data)


class AppointmentBatchView(BatchImportView):
    """POST a batch of appointments (docs/appointments-import.md), as JSON {"records": [{nhs_number, date, kind,
    outcome}, ...]} or as CSV text with a header row. Each batch is one transaction; the answer is the per-row report.
    Rows for families outside the caller's reach are refused like unknown clients."""

    required_action = Action.EDIT_HOUSEHOLD
    fields = APPOINTMENT_FIELDS
    optional_fields = APPOINTMENT_OPTIONAL_FIELDS
    audit_name = "appointment"

    def run(self, records, user):
        return import_appointments(records, imported_by=user, batch_size=self.max_rows)
