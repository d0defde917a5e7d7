from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsAddViewSet, family_record_field
from ostsafe.core.validators import validate_nhs_number
from ostsafe.families.models import ServiceUser

from . import services
from .in_person import identify_in_person
from .models import SafetyBoxIssue


class SafetyBoxSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = SafetyBoxIssue
        fields = ["id", "service_user", "site", "issued_on", "issued_by", "acknowledgement_signed", "returned_on"]
        read_only_fields = ["site", "issued_by", "returned_on"]


class IssueInPersonSerializer(serializers.Serializer):
    nhs_number = serializers.CharField(validators=[validate_nhs_number])
    date_of_birth = serializers.DateField()
    issued_on = serializers.DateField()
    acknowledgement_signed = serializers.BooleanField()


class SafetyBoxViewSet(HouseholdRecordsAddViewSet):
    """Safety boxes issued. POST issues one from the caller's own site's stock to a service user of a family the
    caller may see; `issue-in-person` issues to someone identified by NHS number and date of birth (needle exchange)."""

    queryset = SafetyBoxIssue.objects.select_related("service_user__household__team", "site")
    serializer_class = SafetyBoxSerializer
    household_lookup = "service_user__household__"
    edit_action = Action.ISSUE_SAFETY_BOX
    audit_name = "safety_box"
    household_from = "service_user.household"
    filter_lookups = {"service_user": "service_user_id"}

    def household_of(self, obj):
        return obj.service_user.household

    def create_record(self, *, household, data, user):
        service_user = data.pop("service_user")
        return services.issue_safety_box(service_user=service_user, site=user.organisation, issued_by=user, **data)

    @action(detail=False, methods=["post"], url_path="issue-in-person", serializer_class=IssueInPersonSerializer)
    def issue_in_person(self, request):
        access.require(
            request,
            Action.ISSUE_SAFETY_BOX,
            audit_as=self.audit_as("issue_in_person"),
            message="Your role does not issue safety boxes.",
        )
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
