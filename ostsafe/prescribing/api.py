from rest_framework import serializers

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet

from . import services
from .models import Prescription, TakeHomeDecision


class PrescriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prescription
        fields = [
            "id",
            "service_user",
            "drug",
            "daily_dose",
            "dose_unit",
            "regime",
            "take_home_days",
            "pharmacy",
            "prescriber",
            "start_date",
            "end_date",
        ]


class PrescriptionWriteSerializer(PrescriptionSerializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, write_only=True)

    class Meta(PrescriptionSerializer.Meta):
        fields = [*PrescriptionSerializer.Meta.fields, "override_reason"]


class PrescriptionViewSet(HouseholdScopedViewSet):
    """OST prescriptions. Reading follows the family's record; writing needs the prescriber's permission."""

    queryset = Prescription.objects.select_related("service_user__household__team", "pharmacy", "prescriber")
    serializer_class = PrescriptionWriteSerializer
    household_lookup = "service_user__household__"
    edit_action = Action.EDIT_PRESCRIPTION
    audit_name = "prescription"

    def household_of(self, obj):
        return obj.service_user.household

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        service_user = data.pop("service_user")
        self.check_household_for_create(service_user.household)
        serializer.instance = services.record_prescription(
            service_user=service_user, recorded_by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("service_user", None)
        services.change_prescription(prescription=serializer.instance, changed_by=self.request.user, **data)


class TakeHomeDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TakeHomeDecision
        fields = ["id", "prescription", "decided_by", "decided_on", "checks", "all_checks_met", "override_reason"]
        read_only_fields = fields


class TakeHomeDecisionViewSet(HouseholdScopedViewSet):
    """The safeguarding checks as they stood each time take-home doses were allowed (read only)."""

    queryset = TakeHomeDecision.objects.select_related("prescription__service_user__household__team")
    serializer_class = TakeHomeDecisionSerializer
    household_lookup = "prescription__service_user__household__"
    audit_name = "take_home_decision"
    http_method_names = ["get", "head", "options"]

    def household_of(self, obj):
        return obj.prescription.service_user.household
