from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsAddViewSet, family_record_field
from ostsafe.families.models import Household, ServiceUser

from . import services
from .models import Flag, FlagAction, Observation
from .signs import SIGNS


class FlagSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    sign = serializers.ChoiceField(choices=[(s.key, s.title) for s in SIGNS])

    class Meta:
        model = Flag
        fields = [
            "id",
            "household",
            "sign",
            "raised_on",
            "evidence",
            "raised_by",
            "reason",
            "cleared_at",
            "acknowledged_at",
            "acknowledged_by",
            "action",
            "action_note",
        ]
        read_only_fields = [
            "raised_on",
            "evidence",
            "raised_by",
            "cleared_at",
            "acknowledged_at",
            "acknowledged_by",
            "action",
            "action_note",
        ]


class FlagAcknowledgementSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=FlagAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class FlagViewSet(HouseholdRecordsAddViewSet):
    """Warning signs raised for the families the caller may see, with their evidence. POST raises one by hand
    (`sign`, `reason`); `acknowledge` records what was done (`action`, `note`)."""

    queryset = Flag.objects.select_related("household__team")
    serializer_class = FlagSerializer
    edit_action = Action.RESPOND_TO_WARNING_SIGN
    audit_name = "warning_sign"

    def create_record(self, *, household, data, user):
        return services.raise_by_hand(
            household=household, sign_key=data["sign"], reason=data.get("reason", ""), raised_by=user
        )

    @action(detail=True, methods=["post"], serializer_class=FlagAcknowledgementSerializer)
    def acknowledge(self, request, pk=None):
        flag = self.get_object()
        data = FlagAcknowledgementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.acknowledge_flag(flag=flag, acknowledged_by=request.user, **data.validated_data)
        return Response(FlagSerializer(self.base_queryset().get(pk=flag.pk)).data, status=status.HTTP_200_OK)


class ObservationSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = Observation
        fields = [
            "id",
            "household",
            "service_user",
            "kind",
            "noticed_on",
            "note",
            "professional",
            "contact_on",
            "professional_says",
            "recorded_by",
        ]
        read_only_fields = ["household", "recorded_by"]


class ObservationViewSet(HouseholdRecordsAddViewSet):
    """What practitioners noticed that might suggest disguised compliance (sign 9): sudden compliance, unexpected
    agreement with sanctions, an account of contact with another professional and what that professional's record
    says. POST records one; the family's warning signs are evaluated once it commits."""

    queryset = Observation.objects.select_related("household__team", "service_user")
    serializer_class = ObservationSerializer
    edit_action = Action.RESPOND_TO_WARNING_SIGN
    audit_name = "warning_sign_observation"
    household_from = "service_user.household"
    filter_lookups = {"service_user": "service_user_id"}

    def create_record(self, *, household, data, user):
        return services.record_observation(household=household, recorded_by=user, **data)
