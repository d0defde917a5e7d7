from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet
from ostsafe.core.validators import validate_nhs_number

from . import services
from .in_person import identify_in_person
from .models import SafetyBoxIssue


class SafetyBoxSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyBoxIssue
        fields = ["id", "service_user", "site", "issued_on", "issued_by", "acknowledgement_signed", "returned_on"]
        read_only_fields = ["site", "issued_by", "returned_on"]


class IssueInPersonSerializer(serializers.Serializer):
    nhs_number = serializers.CharField(validators=[validate_nhs_number])
    date_of_birth = serializers.DateField()
    issued_on = serializers.DateField()
    acknowledgement_signed = serializers.BooleanField()


class SafetyBoxViewSet(HouseholdScopedViewSet):
    """Safety boxes issued. POST issues one from the caller's own site's stock to a service user of a family the
    caller may see; `issue-in-person` issues to someone identified by NHS number and date of birth (needle exchange)."""

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

    @action(detail=False, methods=["post"], url_path="issue-in-person", serializer_class=IssueInPersonSerializer)
    def issue_in_person(self, request):
        if not access.has_action(request.user, Action.ISSUE_SAFETY_BOX):
            raise exceptions.PermissionDenied("Your role does not issue safety boxes.")
        data = IssueInPersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        match = identify_in_person(request, nhs_number=values["nhs_number"], date_of_birth=values["date_of_birth"])
        issue = services.issue_safety_box(
            service_user=match,
            site=request.user.organisation,
            issued_by=request.user,
            issued_on=values["issued_on"],
            acknowledgement_signed=values["acknowledgement_signed"],
        )
        return Response(SafetyBoxSerializer(issue).data, status=status.HTTP_201_CREATED)
