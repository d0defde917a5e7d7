from rest_framework import serializers

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet

from . import services
from .models import SafetyBoxIssue


class SafetyBoxSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyBoxIssue
        fields = ["id", "service_user", "site", "issued_on", "issued_by", "acknowledgement_signed", "returned_on"]
        read_only_fields = ["site", "issued_by", "returned_on"]


class SafetyBoxViewSet(HouseholdScopedViewSet):
    """Safety boxes issued. POST issues one from the caller's own site's stock."""

    queryset = SafetyBoxIssue.objects.select_related("service_user__household__team", "site")
    serializer_class = SafetyBoxSerializer
    household_lookup = "service_user__household__"
    edit_action = Action.ISSUE_SAFETY_BOX
    audit_name = "safety_box"
    http_method_names = ["get", "post", "head", "options"]

    def household_of(self, obj):
        return obj.service_user.household

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        service_user = data.pop("service_user")
        self.check_household_for_create(service_user.household)
        serializer.instance = services.issue_safety_box(
            service_user=service_user, site=self.request.user.organisation, issued_by=self.request.user, **data
        )
