from rest_framework import serializers

from ostsafe.accounts import selectors as people
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsAddViewSet, ReachableRelatedField, family_record_field
from ostsafe.families.models import Household, HouseholdMember, ServiceUser

from . import services
from .models import ChildObservation, HomeVisit, StorageCheck


class ChildObservationSerializer(serializers.ModelSerializer):
    child = family_record_field(HouseholdMember, "household__")

    class Meta:
        model = ChildObservation
        fields = ["child", "seen", "note"]


class HomeVisitSerializer(serializers.ModelSerializer):
    child_observations = ChildObservationSerializer(many=True)
    household = family_record_field(Household, "")
    visitors = ReachableRelatedField(reach=people.colleagues, many=True)
    service_users_seen = family_record_field(ServiceUser, "household__", many=True)
    adults_present = family_record_field(HouseholdMember, "household__", many=True, required=False)
    unknown_adult = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="An adult there whom nobody had named: added to the household as an unknown adult, with a task",
    )

    class Meta:
        model = HomeVisit
        fields = [
            "id",
            "household",
            "status",
            "planned_for",
            "visited_on",
            "visitors",
            "service_users_seen",
            "adults_present",
            "unknown_adult",
            "child_observations",
            "notes",
        ]
        read_only_fields = ["status", "planned_for"]
        extra_kwargs = {"visited_on": {"required": True, "allow_null": False}}


class StorageCheckSerializer(serializers.ModelSerializer):
    visit = family_record_field(HomeVisit, "household__")
    service_user = family_record_field(ServiceUser, "household__")

    class Meta:
        model = StorageCheck
        fields = [
            "id",
            "visit",
            "service_user",
            "checked_on",
            "verification",
            "location",
            "out_of_sight_and_reach",
            "locked_box_in_use",
            "box_locked",
            "other_substances_safe",
            "empty_bottles_disposed",
            "advice_given",
            "compliment_given",
            "satisfied",
            "follow_up_due_on",
        ]
        read_only_fields = ["checked_on", "follow_up_due_on"]


class HomeVisitViewSet(HouseholdRecordsAddViewSet):
    """Home visits. POST records a visit that happened, with an observation for every child at home."""

    queryset = HomeVisit.objects.select_related("household__team").prefetch_related(
        "visitors", "service_users_seen", "child_observations"
    )
    serializer_class = HomeVisitSerializer
    edit_action = Action.RECORD_VISIT
    audit_name = "home_visit"

    def create_record(self, *, household, data, user):
        return services.record_home_visit(
            household=household,
            visited_on=data["visited_on"],
            recorded_by=user,
            visitors=data["visitors"],
            service_users_seen=data["service_users_seen"],
            child_observations=[(o["child"], o["seen"], o.get("note", "")) for o in data["child_observations"]],
            notes=data.get("notes", ""),
            adults_present=data.get("adults_present", []),
            unknown_adult=data.get("unknown_adult", ""),
        )


class StorageCheckViewSet(HouseholdRecordsAddViewSet):
    """Storage checks. POST records one at a completed visit; a check only claimed or not satisfied makes a task."""

    queryset = StorageCheck.objects.select_related("visit__household__team")
    serializer_class = StorageCheckSerializer
    household_lookup = "visit__household__"
    edit_action = Action.RECORD_VISIT
    audit_name = "storage_check"
    household_from = "visit.household"
    filter_lookups = {"service_user": "service_user_id", "visit": "visit_id"}

    def household_of(self, obj):
        return obj.visit.household

    def create_record(self, *, household, data, user):
        visit, service_user = data.pop("visit"), data.pop("service_user")
        return services.record_storage_check(visit=visit, service_user=service_user, checked_by=user, **data)
