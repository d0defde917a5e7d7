from rest_framework import serializers
from rest_framework.response import Response

from ostsafe.core.access import Action
from ostsafe.core.api import BatchImportView, HouseholdScopedViewSet

from . import services
from .imports import FIELDS as APPOINTMENT_FIELDS
from .imports import import_appointments
from .models import Appointment, Concern, TestResult


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "service_user", "kind", "on", "outcome"]


class TestResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestResult
        fields = ["id", "service_user", "taken_on", "substance", "method", "positive", "audit_c_score"]


class ConcernSerializer(serializers.ModelSerializer):
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


class _ByServiceUser(HouseholdScopedViewSet):
    household_lookup = "service_user__household__"
    http_method_names = ["get", "post", "head", "options"]

    def household_of(self, obj):
        return obj.service_user.household


class AppointmentViewSet(_ByServiceUser):
    """Appointments and their outcomes. POST records one (or the outcome of an existing one on the same day)."""

    queryset = Appointment.objects.select_related("service_user__household__team")
    serializer_class = AppointmentSerializer
    audit_name = "appointment"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.check_household_for_create(data["service_user"].household)
        appointment = services.record_appointment(recorded_by=request.user, **data)
        return Response(AppointmentSerializer(appointment).data, status=201)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "validators"):
            serializer.validators = []  # the service updates the day's appointment instead of refusing it
        return serializer


class TestResultViewSet(_ByServiceUser):
    queryset = TestResult.objects.select_related("service_user__household__team")
    serializer_class = TestResultSerializer
    audit_name = "test_result"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        service_user = data.pop("service_user")
        self.check_household_for_create(service_user.household)
        serializer.instance = services.record_test_result(
            service_user=service_user, recorded_by=self.request.user, **data
        )


class ConcernViewSet(HouseholdScopedViewSet):
    queryset = Concern.objects.select_related("household__team")
    serializer_class = ConcernSerializer
    audit_name = "concern"
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        household = data.pop("household")
        self.check_household_for_create(household)
        serializer.instance = services.record_concern(household=household, recorded_by=self.request.user, **data)


class AppointmentBatchView(BatchImportView):
    """POST a batch of appointments (docs/appointments-import.md), as JSON {"records": [{nhs_number, date, kind,
    outcome}, ...]} or as CSV text with a header row. Each batch is one transaction; the answer is the per-row report.
    Rows for families outside the caller's reach are refused like unknown clients."""

    required_action = Action.EDIT_HOUSEHOLD
    fields = APPOINTMENT_FIELDS
    audit_name = "appointment"

    def run(self, records, user):
        return import_appointments(records, imported_by=user, batch_size=self.max_rows)
