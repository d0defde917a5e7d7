"""REST API for families' records. Every endpoint filters through the access check and audits (see core.api)."""

from rest_framework import exceptions, serializers

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet

from . import services
from .models import ChildContact, Household, HouseholdMember, Involvement, ServiceUser


class HouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "name", "address_line_1", "address_line_2", "town", "postcode", "team", "created_at"]
        read_only_fields = ["created_at"]


class ServiceUserSerializer(serializers.ModelSerializer):
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
            "keyworker",
            "in_treatment_since",
            "last_contact_on",
            "discharged_on",
        ]
        extra_kwargs = {"nhs_number": {"validators": []}}  # uniqueness and checksum are checked by the service


class HouseholdMemberSerializer(serializers.ModelSerializer):
    is_on_ost = serializers.BooleanField(read_only=True)

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
    class Meta:
        model = Involvement
        fields = [
            "id",
            "household",
            "professional",
            "name",
            "organisation_name",
            "role_in_family",
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
    """Households the caller may see. Creating one needs the 'register a service user' permission for its team."""

    queryset = Household.objects.select_related("team")
    serializer_class = HouseholdSerializer
    household_lookup = ""
    audit_name = "household"

    def household_of(self, obj):
        return obj

    def perform_create(self, serializer):
        proposed = Household(team=serializer.validated_data["team"])
        if not access.can(self.request.user, Action.CREATE_HOUSEHOLD, proposed):
            self._audit(None, "create", False, "role or team does not allow this")
            raise exceptions.PermissionDenied("You may not register households for this team.")
        serializer.instance = services.create_household(created_by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.update_household(
            household=serializer.instance, changed_by=self.request.user, **serializer.validated_data
        )


class ServiceUserViewSet(HouseholdScopedViewSet):
    queryset = ServiceUser.objects.select_related("household__team")
    serializer_class = ServiceUserSerializer
    audit_name = "service_user"

    def perform_create(self, serializer):
        household = serializer.validated_data["household"]
        self.check_household_for_create(household)
        serializer.instance = services.register_service_user(
            registered_by=self.request.user, household=household, **_without(serializer.validated_data, "household")
        )

    def perform_update(self, serializer):
        if (
            "household" in serializer.validated_data
            and serializer.validated_data["household"] != serializer.instance.household
        ):
            raise exceptions.ValidationError(
                {"household": "Moving a service user between households is not possible here"}
            )
        services.update_service_user(
            service_user=serializer.instance,
            changed_by=self.request.user,
            **_without(serializer.validated_data, "household"),
        )


class HouseholdMemberViewSet(HouseholdScopedViewSet):
    queryset = HouseholdMember.objects.select_related("household__team", "service_user")
    serializer_class = HouseholdMemberSerializer
    audit_name = "member"

    def perform_create(self, serializer):
        household = serializer.validated_data["household"]
        self.check_household_for_create(household)
        serializer.instance = services.add_household_member(
            household=household, added_by=self.request.user, **_without(serializer.validated_data, "household")
        )

    def perform_update(self, serializer):
        services.update_household_member(
            member=serializer.instance, changed_by=self.request.user, **_without(serializer.validated_data, "household")
        )


class ChildContactViewSet(HouseholdScopedViewSet):
    queryset = ChildContact.objects.select_related("service_user__household__team")
    serializer_class = ChildContactSerializer
    household_lookup = "service_user__household__"
    audit_name = "child_contact"

    def household_of(self, obj):
        return obj.service_user.household

    def perform_create(self, serializer):
        service_user = serializer.validated_data["service_user"]
        self.check_household_for_create(service_user.household)
        serializer.instance = services.add_child_contact(
            service_user=service_user, added_by=self.request.user, **_without(serializer.validated_data, "service_user")
        )

    def perform_update(self, serializer):
        services.update_child_contact(
            contact=serializer.instance,
            changed_by=self.request.user,
            **_without(serializer.validated_data, "service_user"),
        )


class InvolvementViewSet(HouseholdScopedViewSet):
    queryset = Involvement.objects.select_related("household__team", "professional")
    serializer_class = InvolvementSerializer
    audit_name = "network"

    def perform_create(self, serializer):
        household = serializer.validated_data["household"]
        self.check_household_for_create(household)
        serializer.instance = services.add_involvement(
            household=household, added_by=self.request.user, **_without(serializer.validated_data, "household")
        )

    def perform_update(self, serializer):
        services.update_involvement(
            involvement=serializer.instance,
            changed_by=self.request.user,
            **_without(serializer.validated_data, "household"),
        )
