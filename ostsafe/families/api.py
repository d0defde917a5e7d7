"""REST API for families' records. Every endpoint filters through the access check and audits (see core.api)."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from ostsafe.accounts import selectors as people
from ostsafe.core.access import Action
from ostsafe.core.api import (
    ChronologyEventSerializer,
    ChronologyQuerySerializer,
    HouseholdScopedViewSet,
    ReachableRelatedField,
    chronology_response,
    family_record_field,
)
from ostsafe.core.households import chronology_sources
from ostsafe.directory import selectors as directory
from ostsafe.directory.models import SERVICE_KINDS

from . import services
from .models import ChildContact, Household, HouseholdMember, Involvement, ServiceUser


class HouseholdSerializer(serializers.ModelSerializer):
    team = ReachableRelatedField(reach=people.placeable_teams)

    class Meta:
        model = Household
        fields = ["id", "name", "address_line_1", "address_line_2", "town", "postcode", "team", "created_at"]
        read_only_fields = ["created_at"]


class ServiceUserSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    keyworker = ReachableRelatedField(reach=people.colleagues, required=False, allow_null=True)

    class Meta:
        model = ServiceUser
        fields = [
            "id",
            "household",
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "sex",
            "phone",
            "children_answer",
            "keyworker",
            "in_treatment_since",
            "last_contact_on",
            "discharged_on",
        ]
        extra_kwargs = {"nhs_number": {"validators": []}}  # uniqueness and checksum are checked by the service


class HouseholdMemberSerializer(serializers.ModelSerializer):
    is_on_ost = serializers.BooleanField(read_only=True)
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__", required=False, allow_null=True)

    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "household",
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_due_date",
            "sex",
            "lives_here",
            "start_date",
            "end_date",
            "school_or_nursery",
            "gp_practice",
            "health_visitor_or_school_nurse",
            "child_status",
            "ost_elsewhere",
            "service_user",
            "is_on_ost",
            "notes",
        ]


class ChildContactSerializer(serializers.ModelSerializer):
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = ChildContact
        fields = [
            "id",
            "service_user",
            "given_name",
            "family_name",
            "date_of_birth",
            "relationship",
            "lives_with",
            "frequency",
            "overnight_stays",
            "notes",
        ]


class InvolvementSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    professional = ReachableRelatedField(reach=people.network_professionals, required=False, allow_null=True)
    service = ReachableRelatedField(
        reach=lambda user: directory.to_choose_from(SERVICE_KINDS), required=False, allow_null=True
    )

    class Meta:
        model = Involvement
        fields = [
            "id",
            "household",
            "professional",
            "name",
            "service",
            "organisation_name",
            "role_in_family",
            "responsibility",
            "phone",
            "email",
            "is_lead",
            "start_date",
            "end_date",
        ]
        validators = []  # the one-lead rule is checked by the service with a practitioner's message


def _without(data: dict, *keys) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


class HouseholdViewSet(HouseholdScopedViewSet):
    """Households the caller may see. Registering one needs the 'register a service user' permission, and its team
    must be one the caller may place a family in (the `team` field offers only those)."""

    queryset = Household.objects.select_related("team")
    serializer_class = HouseholdSerializer
    household_lookup = ""
    household_from = None
    audit_name = "household"

    def household_of(self, obj):
        return obj

    def required_write_action(self):
        return Action.CREATE_HOUSEHOLD if self.action == "create" else Action.EDIT_HOUSEHOLD

    def create_record(self, *, household, data, user):
        return services.create_household(created_by=user, **data)

    def update_record(self, *, instance, data, user):
        return services.update_household(household=instance, changed_by=user, **data)

    @extend_schema(parameters=[ChronologyQuerySerializer], responses=ChronologyEventSerializer(many=True))
    # The events as one list, newest first (filtered by kind and period, not paged).
    @action(detail=True, methods=["get"], pagination_class=None)
    def chronology(self, request, pk=None):
        """The family chronology: every dated event across the record, newest first."""
        return chronology_response(request, self.get_object(), chronology_sources())


class ServiceUserViewSet(HouseholdScopedViewSet):
    queryset = ServiceUser.objects.select_related("household__team")
    serializer_class = ServiceUserSerializer
    audit_name = "service_user"

    def create_record(self, *, household, data, user):
        return services.register_service_user(registered_by=user, household=household, **_without(data, "household"))

    def update_record(self, *, instance, data, user):
        if "household" in data and data["household"] != instance.household:
            raise exceptions.ValidationError(
                {"household": "Moving a service user between households is not possible here"}
            )
        return services.update_service_user(service_user=instance, changed_by=user, **_without(data, "household"))


class HouseholdMemberViewSet(HouseholdScopedViewSet):
    queryset = HouseholdMember.objects.select_related("household__team", "service_user")
    serializer_class = HouseholdMemberSerializer
    audit_name = "member"

    def create_record(self, *, household, data, user):
        return services.add_household_member(household=household, added_by=user, **_without(data, "household"))

    def update_record(self, *, instance, data, user):
        return services.update_household_member(member=instance, changed_by=user, **_without(data, "household"))


class ChildContactViewSet(HouseholdScopedViewSet):
    queryset = ChildContact.objects.select_related("service_user__household__team")
    serializer_class = ChildContactSerializer
    household_lookup = "service_user__household__"
    household_from = "service_user.household"
    audit_name = "child_contact"
    filter_lookups = {"service_user": "service_user_id"}

    def household_of(self, obj):
        return obj.service_user.household

    def create_record(self, *, household, data, user):
        return services.add_child_contact(
            service_user=data["service_user"], added_by=user, **_without(data, "service_user")
        )

    def update_record(self, *, instance, data, user):
        return services.update_child_contact(contact=instance, changed_by=user, **_without(data, "service_user"))


class InvolvementViewSet(HouseholdScopedViewSet):
    queryset = Involvement.objects.select_related("household__team", "professional")
    serializer_class = InvolvementSerializer
    audit_name = "network"

    def create_record(self, *, household, data, user):
        return services.add_involvement(household=household, added_by=user, **_without(data, "household"))

    def update_record(self, *, instance, data, user):
        return services.update_involvement(involvement=instance, changed_by=user, **_without(data, "household"))
