from rest_framework import serializers

from ostsafe.accounts import selectors as people
from ostsafe.core.access import Action
from ostsafe.core.api import (
    HouseholdRecordsReadViewSet,
    HouseholdScopedViewSet,
    ReachableRelatedField,
    family_record_field,
)
from ostsafe.families.models import ServiceUser

from . import services
from .models import PRESCRIBED_FIELDS, Prescription, TakeHomeDecision


class PrescriptionSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")
    pharmacy = ReachableRelatedField(reach=people.pharmacies, required=False, allow_null=True)
    prescriber = ReachableRelatedField(reach=people.colleagues)

    class Meta:
        model = Prescription
        fields = ["id", "service_user", *PRESCRIBED_FIELDS]


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
    household_from = "service_user.household"
    filter_lookups = {"service_user": "service_user_id"}

    def household_of(self, obj):
        return obj.service_user.household

    def create_record(self, *, household, data, user):
        service_user = data.pop("service_user")
        return services.record_prescription(service_user=service_user, recorded_by=user, **data)

    def update_record(self, *, instance, data, user):
        data.pop("service_user", None)
        return services.change_prescription(prescription=instance, changed_by=user, **data)


class TakeHomeDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TakeHomeDecision
        fields = ["id", "prescription", "decided_by", "decided_on", "checks", "all_checks_met", "override_reason"]
        read_only_fields = fields


class TakeHomeDecisionViewSet(HouseholdRecordsReadViewSet):
    """The safeguarding checks as they stood each time take-home doses were allowed (read only)."""

    queryset = TakeHomeDecision.objects.select_related("prescription__service_user__household__team")
    serializer_class = TakeHomeDecisionSerializer
    household_lookup = "prescription__service_user__household__"
    audit_name = "take_home_decision"
    filter_lookups = {"service_user": "prescription__service_user_id", "prescription": "prescription_id"}

    def household_of(self, obj):
        return obj.prescription.service_user.household
